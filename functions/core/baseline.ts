import { createHash } from 'node:crypto';
import { truncate } from './bounded-text';
import type { Finding, IdentityValues } from './finding';
import type { HuntDefinition, HuntId } from './hunts/hunt-definition';

/**
 * learned: recorded by a learning run, never alerted.
 * pending: new, claimed for alerting by a run that has not yet confirmed the publish.
 * alerted: published once; never again.
 * approved: an analyst marked it benign.
 */
export type BaselineStatus = 'learned' | 'pending' | 'alerted' | 'approved';
export const BASELINE_STATUSES: readonly BaselineStatus[] = ['learned', 'pending', 'alerted', 'approved'];

/** A run's exclusive right to publish a pending entry until `expiresAt`. */
export interface Claim {
  readonly runId: string;
  readonly expiresAt: string;
}

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly huntId: HuntId;
  /** Display copies of the identity values, each bounded; the fingerprint was computed from the full values. */
  readonly identity: IdentityValues;
  readonly identityTruncated: boolean;
  /** Hash of the hunt id and the novelty anchor (a path, a parent script): finds siblings. */
  readonly anchorKey: string;
  readonly status: BaselineStatus;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Counts over the lookback window of the latest run that saw the finding. */
  readonly eventCount: number;
  readonly agentCount: number;
  readonly hostNames: readonly string[];
  readonly agentIds: readonly string[];
  /** Number of runs that returned this finding with something new (a later event, other counts, another host). */
  readonly sightings: number;
  readonly recordedAt: string;
  readonly updatedAt: string;
  readonly claim?: Claim;
  /**
   * Changed by every analyst write (approve, import): a run updates its observation only if the revision it read
   * is still there, so that it never undoes what an analyst did meanwhile. Absent until an analyst first writes.
   */
  readonly revision?: string;
  readonly alertMessageId?: string;
  readonly alertedAt?: string;
  readonly note?: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
}

/** Bounds that keep an item far below DynamoDB's 400 KB whatever an attacker writes. */
export const MAX_IDENTITY_CHARS = 4_096;
export const MAX_SAMPLE_CHARS = 256;
export const MAX_SAMPLES = 10;
export const MAX_NOTE_CHARS = 1_024;

export function anchorKeyOf(hunt: Pick<HuntDefinition, 'id' | 'novelty'>, identity: IdentityValues): string {
  const canonical = JSON.stringify([hunt.id, identity[hunt.novelty.anchorField] ?? null]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32);
}

const bounded = (values: readonly string[]) => values.slice(0, MAX_SAMPLES).map((v) => truncate(v, MAX_SAMPLE_CHARS).text);

/** The entry a finding becomes when first recorded. */
export function entryFromFinding(hunt: HuntDefinition, finding: Finding, status: BaselineStatus, now: string, claim?: Claim): BaselineEntry {
  let identityTruncated = false;
  const identity: Record<string, string | null> = {};
  for (const field of hunt.identityFields) {
    const value = finding.identity[field] ?? null;
    if (value === null) {
      identity[field] = null;
      continue;
    }
    const cut = truncate(value, MAX_IDENTITY_CHARS);
    identity[field] = cut.text;
    identityTruncated ||= cut.truncated;
  }
  return {
    fingerprint: finding.fingerprint,
    huntId: finding.huntId,
    identity,
    identityTruncated,
    anchorKey: anchorKeyOf(hunt, finding.identity),
    status,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    eventCount: finding.eventCount,
    agentCount: finding.agentCount,
    hostNames: bounded(finding.hostNames),
    agentIds: bounded(finding.agentIds),
    sightings: 1,
    recordedAt: now,
    updatedAt: now,
    ...(claim ? { claim } : {}),
  };
}

/** An existing entry updated with tonight's observation; triage fields are kept. */
export function withObservation(entry: BaselineEntry, finding: Finding, now: string): BaselineEntry {
  return {
    ...entry,
    firstSeen: earliest(entry.firstSeen, finding.firstSeen),
    lastSeen: latest(entry.lastSeen, finding.lastSeen),
    eventCount: finding.eventCount,
    agentCount: finding.agentCount,
    hostNames: bounded([...new Set([...finding.hostNames, ...entry.hostNames])]),
    agentIds: bounded([...new Set([...finding.agentIds, ...entry.agentIds])]),
    sightings: entry.sightings + 1,
    updatedAt: now,
  };
}

/** Whether tonight's observation adds anything to the entry as read: only then is it written. */
export function observationChanged(read: BaselineEntry, observed: BaselineEntry): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  return (
    read.firstSeen !== observed.firstSeen ||
    read.lastSeen !== observed.lastSeen ||
    read.eventCount !== observed.eventCount ||
    read.agentCount !== observed.agentCount ||
    !same(read.hostNames, observed.hostNames) ||
    !same(read.agentIds, observed.agentIds)
  );
}

const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const latest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
