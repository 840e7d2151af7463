export { generateFleet, DEFAULT_END, type Fleet, type FleetOptions, type AttackChoice } from './fleet';
export { ATTACK_IDS, type AttackId, type AttackManifestEntry, type GroundTruthChild, type GroundTruthWrite } from './attack-manifest';
export { CHURN_KINDS, type ChurnKind, type FleetNight } from './schedule';
export { FILE_INDEX, PROCESS_INDEX, ingestedBy, type StoredEvent } from './stored-event';
export type { Host, ScriptShape } from './hosts';
