import { createHash } from 'node:crypto';
import type { HuntDefinition, HuntId } from './hunts/hunt-definition';

/** Identity values as returned by Elasticsearch; null when the field is missing. */
export type IdentityValues = Readonly<Record<string, string | null>>;

/** One rare row of one hunt. */
export interface Finding {
  readonly huntId: HuntId;
  readonly fingerprint: string;
  readonly identity: IdentityValues;
  readonly eventCount: number;
  readonly agentCount: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly hostNames: readonly string[];
  readonly agentIds: readonly string[];
}

/**
 * SHA-256 over a JSON array of the hunt id and identity values in the hunt's field order.
 * JSON quoting makes the encoding injective (no concatenation collisions) and keeps null distinct from "null".
 */
export function fingerprintOf(hunt: Pick<HuntDefinition, 'id' | 'identityFields'>, identity: IdentityValues): string {
  const canonical = JSON.stringify(['nm-dispatcher-hunt/v1', hunt.id, hunt.identityFields.map((f) => identity[f] ?? null)]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;
