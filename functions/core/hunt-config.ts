import { ConfigurationError } from './errors';
import { ACCEPTED_HUNT_IDS, HUNTS, huntsNamed, type HuntId } from './hunts';
import { SAMPLE_SIZE, type HuntDefinition, type RarityThresholds } from './hunts/hunt-definition';

/** Everything a deployment may tune about the hunts. Validated once, then passed around as data. */
export interface HuntConfig {
  /** Days of events each hunt looks back over. @default 30 */
  readonly lookbackDays: number;
  /** Rarity thresholds per hunt. @default each hunt's defaultThresholds */
  readonly thresholds: Readonly<Record<HuntId, RarityThresholds>>;
  /**
   * Executables (exact path, or a prefix ending in `*`) this deployment trusts, per hunt. An earlier
   * hunt id applies to every hunt it was split into, unless the new id is given too. @default none
   */
  readonly exclusions: Readonly<Record<HuntId, readonly string[]>>;
  /** Index patterns queried in addition to each hunt's own, e.g. the seed rule's `endgame-*`. @default none */
  readonly extraIndexPatterns: readonly string[];
  /** Hunts this deployment does not run; their pending entries are still published. @default none */
  readonly disabledHunts: readonly HuntId[];
}

/** The longest lookback a deployment may configure, and the furthest a hunt catches up after an outage. */
export const MAX_LOOKBACK_DAYS = 365;

const INDEX_PATTERN = /^[a-z0-9][a-z0-9_.*-]{0,254}$/;
const ABSOLUTE_PATH = /^\/[^\0\n\r]{0,4094}$/;

export const defaultHuntConfig = (): HuntConfig => parseHuntConfig({});

/** Validates untyped input (environment JSON, CLI flags, CDK context); errors name the offending key. */
export function parseHuntConfig(input: unknown): HuntConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigurationError('huntConfig', 'expected a JSON object');
  }
  const raw = input as Record<string, unknown>;
  const known = new Set(['lookbackDays', 'thresholds', 'exclusions', 'extraIndexPatterns', 'disabledHunts']);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw new ConfigurationError(key, `unknown key; expected one of ${[...known].join(', ')}`);
  }
  const lookbackDays = raw.lookbackDays ?? 30;
  if (!Number.isInteger(lookbackDays) || (lookbackDays as number) < 1 || (lookbackDays as number) > MAX_LOOKBACK_DAYS) {
    throw new ConfigurationError('lookbackDays', `expected a whole number of days from 1 to ${MAX_LOOKBACK_DAYS}, e.g. 30`);
  }
  const thresholdsInput = objectOrEmpty(raw.thresholds, 'thresholds');
  const exclusionsInput = objectOrEmpty(raw.exclusions, 'exclusions');
  for (const [section, input] of [['thresholds', thresholdsInput], ['exclusions', exclusionsInput]] as const) {
    for (const key of Object.keys(input)) {
      if (!ACCEPTED_HUNT_IDS.includes(key)) {
        throw new ConfigurationError(`${section}.${key}`, `unknown hunt id; expected one of ${ACCEPTED_HUNT_IDS.join(', ')}`);
      }
    }
  }
  const thresholds = {} as Record<HuntId, RarityThresholds>;
  const exclusions = {} as Record<HuntId, readonly string[]>;
  for (const hunt of HUNTS) {
    // The hunt's own id wins over an earlier id it inherits from.
    const key = (input: Record<string, unknown>) => [hunt.id, ...hunt.aliases].find((id) => input[id] !== undefined) ?? hunt.id;
    const thresholdsKey = key(thresholdsInput);
    const exclusionsKey = key(exclusionsInput);
    thresholds[hunt.id] = parseThresholds(thresholdsInput[thresholdsKey], hunt, `thresholds.${thresholdsKey}`);
    exclusions[hunt.id] = stringList(exclusionsInput[exclusionsKey], `exclusions.${exclusionsKey}`, ABSOLUTE_PATH, 'an absolute path, optionally ending in *');
    exclusions[hunt.id].forEach((path, index) => refuseWritableLocation(path, `exclusions.${exclusionsKey}[${index}]`));
  }
  const extraIndexPatterns = stringList(raw.extraIndexPatterns, 'extraIndexPatterns', INDEX_PATTERN, 'an index pattern such as endgame-*');
  const disabledHunts = stringList(raw.disabledHunts, 'disabledHunts', /^[\w-]{1,64}$/, 'a hunt id');
  disabledHunts.forEach((id, index) => {
    if (!ACCEPTED_HUNT_IDS.includes(id)) throw new ConfigurationError(`disabledHunts[${index}]`, `unknown hunt id "${id}"; expected one of ${ACCEPTED_HUNT_IDS.join(', ')}`);
  });
  // An earlier id disables every hunt it was split into.
  const disabled = [...new Set(disabledHunts.flatMap((id) => huntsNamed(id).map((hunt) => hunt.id)))];
  if (disabled.length === HUNTS.length) throw new ConfigurationError('disabledHunts', 'disables every hunt; remove the stack instead, or keep at least one hunt');
  return { lookbackDays: lookbackDays as number, thresholds, exclusions, extraIndexPatterns, disabledHunts: disabled };
}

function objectOrEmpty(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(field, 'expected an object keyed by hunt id');
  }
  return value as Record<string, unknown>;
}

/** The query parameter each threshold feeds: a hunt whose query lacks it does not use that threshold. */
const THRESHOLD_PARAMETERS = { maxAgentCount: '?max_agent_count', maxEventCount: '?max_event_count' } as const;

function parseThresholds(value: unknown, hunt: HuntDefinition, field: string): RarityThresholds {
  const defaults = hunt.defaultThresholds;
  const raw = objectOrEmpty(value, field);
  const count = (key: 'maxAgentCount' | 'maxEventCount', fallback: number | undefined, max: number) => {
    const v = raw[key] ?? fallback;
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) {
      throw new ConfigurationError(`${field}.${key}`, `expected a whole number from 1 to ${max}`);
    }
    return v as number;
  };
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(THRESHOLD_PARAMETERS, key)) throw new ConfigurationError(`${field}.${key}`, `unknown key; expected ${Object.keys(THRESHOLD_PARAMETERS).join(' or ')}`);
    const parameter = THRESHOLD_PARAMETERS[key as keyof typeof THRESHOLD_PARAMETERS];
    // A threshold the query never reads would be silently ignored: refuse it instead.
    if (!hunt.rarity.includes(parameter)) throw new ConfigurationError(`${field}.${key}`, `is not used by this hunt (its query has no ${parameter} filter); remove it`);
  }
  // A rare group's agents must fit the samples an entry keeps: that is what makes a write on another agent new.
  const maxAgentCount = count('maxAgentCount', defaults.maxAgentCount, SAMPLE_SIZE) as number;
  const maxEventCount = count('maxEventCount', defaults.maxEventCount, 1_000_000);
  return maxEventCount === undefined ? { maxAgentCount } : { maxAgentCount, maxEventCount };
}

function stringList(value: unknown, field: string, pattern: RegExp, example: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 500) throw new ConfigurationError(field, 'expected a list of at most 500 strings');
  return value.map((item, index) => {
    if (typeof item !== 'string' || !pattern.test(item)) {
      throw new ConfigurationError(`${field}[${index}]`, `expected ${example}`);
    }
    return item;
  });
}

/** Where anyone can write (or nothing is on disk): a writer running from there is never trusted. */
export const WRITABLE_EXECUTABLE_LOCATIONS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/shm/', '/dev/fd/', '/proc/', '/memfd:'] as const;

function refuseWritableLocation(path: string, field: string): void {
  const prefix = path.endsWith('*') ? path.slice(0, -1) : path;
  const hit = WRITABLE_EXECUTABLE_LOCATIONS.find((location) => prefix.startsWith(location) || location.startsWith(prefix) || prefix.includes('memfd:'));
  if (hit !== undefined) {
    throw new ConfigurationError(field, `executables in ${hit} are never trusted: anyone can write there, and attackers run payloads from it`);
  }
}
