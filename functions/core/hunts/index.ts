import { dispatcherChildProcess } from './dispatcher-child-process';
import { dispatcherScriptWrite } from './dispatcher-script-write';
import type { HuntDefinition, HuntId } from './hunt-definition';

export const HUNTS: readonly HuntDefinition[] = [dispatcherChildProcess, dispatcherScriptWrite];

export const HUNT_IDS = HUNTS.map((hunt) => hunt.id);

export function huntById(id: string): HuntDefinition | undefined {
  return HUNTS.find((hunt) => hunt.id === id);
}

export type { HuntDefinition, HuntId };
