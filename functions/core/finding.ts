import { createHash } from 'node:crypto';
import type { HuntDefinition, HuntId } from './hunts/hunt-definition';
import type { IndicatorMatch } from './severity/indicators';

/** Identity values as returned by Elasticsearch; null when the field is missing or does not apply. */
export type IdentityValues = Readonly<Record<string, string | null>>;

/** Per-group samples (hosts, command lines, hashes…), full values as Elasticsearch returned them. */
export type ContextSamples = Readonly<Record<string, readonly string[]>>;

/** One finding of one hunt: a rare group, or (write hunt) one agent or one content of a rare group. */
export interface Finding {
  readonly huntId: HuntId;
  readonly fingerprint: string;
  readonly identity: IdentityValues;
  /** SHA-256 of each identity value in the hunt's field order (null for a null value): what the fingerprint hashes. */
  readonly identityDigests: readonly (string | null)[];
  readonly eventCount: number;
  readonly agentCount: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly hostNames: readonly string[];
  readonly agentIds: readonly string[];
  /** Samples shown as context: command lines (interfaces, actions), writers' command lines, users, hashes. */
  readonly context: ContextSamples;
  /** Severity indicators found in the full values of the finding and its samples. */
  readonly indicators: readonly IndicatorMatch[];
  /**
   * Fingerprints of the findings this one is recorded quietly with when any of them is new:
   * a new content of a path whose write on a new agent (or by a new writer) is alerted that night.
   */
  readonly quietWith?: readonly string[];
  /** Fingerprint of a fleet-wide approval that, when present and approved, makes this finding known. */
  readonly coveredBy?: string;
}

export const FINGERPRINT_VERSION = 'nm-dispatcher-hunt/v2';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The digest of one identity value: SHA-256 of its JSON text, which keeps even lone surrogates
 * (that UTF-8 cannot encode) distinct.
 */
export const valueDigest = (value: string | null): string | null => (value === null ? null : sha256Hex(JSON.stringify(value)));

/** The digest of each identity value, in the hunt's field order; a missing value stays null. */
export function identityDigestsOf(hunt: Pick<HuntDefinition, 'identityFields'>, identity: IdentityValues): (string | null)[] {
  return hunt.identityFields.map((field) => valueDigest(identity[field] ?? null));
}

/**
 * SHA-256 over a JSON array of the version tag, the hunt id and the per-field digests. JSON keeps
 * the encoding injective and null distinct from any digest; digests let a stored entry prove its
 * fingerprint even when its display copies were cut (see `baseline import`).
 */
export function fingerprintFromDigests(huntId: string, digests: readonly (string | null)[]): string {
  return sha256Hex(JSON.stringify([FINGERPRINT_VERSION, huntId, digests]));
}

export function fingerprintOf(hunt: Pick<HuntDefinition, 'id' | 'identityFields'>, identity: IdentityValues): string {
  return fingerprintFromDigests(hunt.id, identityDigestsOf(hunt, identity));
}

/** The key that groups siblings (same hunt, same anchor value), from the anchor's digest. */
export function anchorKeyFromDigests(hunt: Pick<HuntDefinition, 'id' | 'identityFields' | 'novelty'>, digests: readonly (string | null)[]): string {
  const anchor = digests[hunt.identityFields.indexOf(hunt.novelty.anchorField)] ?? null;
  return sha256Hex(JSON.stringify([hunt.id, anchor])).slice(0, 32);
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{64}$/;
export const DIGEST_PATTERN = /^[0-9a-f]{64}$/;
