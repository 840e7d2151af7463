import type { HuntRows } from './esql-result';
import type { HuntDefinition } from './hunts/hunt-definition';

/** Runs one hunt against the event store. */
export interface HuntRunner {
  run(hunt: HuntDefinition): Promise<HuntRows>;
}
