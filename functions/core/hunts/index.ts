import { dispatcherScriptChild } from './dispatcher-script-child';
import { dispatcherScriptRun } from './dispatcher-script-run';
import { dispatcherScriptWrite } from './dispatcher-script-write';
import type { HuntDefinition, HuntId, LegacyHuntId } from './hunt-definition';

export const HUNTS: readonly HuntDefinition[] = [dispatcherScriptRun, dispatcherScriptChild, dispatcherScriptWrite];

export const HUNT_IDS = HUNTS.map((hunt) => hunt.id);

/** Earlier ids still accepted where hunt ids are public (CLI, configuration, subscriptions). */
export const LEGACY_HUNT_IDS: readonly LegacyHuntId[] = [...new Set(HUNTS.flatMap((hunt) => hunt.aliases))];

/** Every id a user may type: current ids and earlier ones. */
export const ACCEPTED_HUNT_IDS: readonly string[] = [...HUNT_IDS, ...LEGACY_HUNT_IDS];

export function huntById(id: string): HuntDefinition | undefined {
  return HUNTS.find((hunt) => hunt.id === id);
}

/** The hunts an id names: itself, or every hunt that an earlier id was split into. */
export function huntsNamed(id: string): HuntDefinition[] {
  return HUNTS.filter((hunt) => hunt.id === id || (hunt.aliases as readonly string[]).includes(id));
}

export type { HuntDefinition, HuntId, LegacyHuntId };
