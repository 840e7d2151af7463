import { truncate } from './bounded-text';
import { dynamoItemBytes } from './item-size';
import { anchorKeyFromDigests, fingerprintFromDigests, identityDigestsOf, type ContextSamples, type Finding, type IdentityValues } from './finding';
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
  /** SHA-256 of each full identity value, in the hunt's field order: the fingerprint's input, provable on import. */
  readonly identityDigests: readonly (string | null)[];
  /** Hash of the hunt id and the novelty anchor's digest (a path, a script): finds siblings. */
  readonly anchorKey: string;
  readonly status: BaselineStatus;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  /** Counts over the lookback window of the latest run that saw the finding. */
  readonly eventCount: number;
  readonly agentCount: number;
  readonly hostNames: readonly string[];
  readonly agentIds: readonly string[];
  /** Bounded samples shown as context (command lines, writers' command lines, users, content hashes). */
  readonly context: ContextSamples;
  /** Ids of the severity indicators found in the full values (see SEVERITY_INDICATORS): any makes it high. */
  readonly indicators: readonly string[];
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
  /** Why it was new against the baseline when it was alerted ("path never seen"): attacker-influenced, render inert. */
  readonly whyNew?: string;
  /** The newest approval's note, approver and time (also approvals[0]), as earlier releases stored them. */
  readonly note?: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  /** Every approval, newest first; re-approving adds one. Capped (see MAX_APPROVALS), the oldest dropped first. */
  readonly approvals?: readonly Approval[];
  /** How many of the oldest approvals the cap dropped. */
  readonly approvalsDropped?: number;
}

/** Who approved a finding as benign, when, why, and where the approval applies. */
export interface Approval {
  readonly by: string;
  readonly at: string;
  readonly note: string;
  readonly scope: ApprovalScope;
}

/** The agents that had reported the finding when it was approved, or the whole fleet. */
export type ApprovalScope = { readonly kind: 'fleet' } | { readonly kind: 'agents'; readonly agentIds: readonly string[] };

/** Bounds that keep an item far below DynamoDB's 400 KB whatever an attacker writes. */
export const MAX_IDENTITY_CHARS = 4_096;
export const MAX_SAMPLE_CHARS = 256;
export const MAX_SAMPLES = 10;
export const MAX_NOTE_CHARS = 1_024;
export const MAX_WHY_NEW_CHARS = 1_000;
export const MAX_APPROVER_CHARS = 256;
/** At most this many approvals, and at most MAX_APPROVAL_HISTORY_BYTES of them: at least five even at every bound. */
export const MAX_APPROVALS = 50;
export const MAX_APPROVAL_HISTORY_BYTES = 64_000;

/**
 * The keys an entry must have: its fingerprint and its anchor, from the per-field digests of its full identity
 * values. The one place that recomputes them, for a finding and for an imported line alike.
 */
export function entryKeys(hunt: Pick<HuntDefinition, 'id' | 'identityFields' | 'novelty'>, digests: readonly (string | null)[]): { fingerprint: string; anchorKey: string } {
  return { fingerprint: fingerprintFromDigests(hunt.id, digests), anchorKey: anchorKeyFromDigests(hunt, digests) };
}

/** The keys of full identity values (not display copies). */
export const entryKeysOf = (hunt: Pick<HuntDefinition, 'id' | 'identityFields' | 'novelty'>, identity: IdentityValues) => entryKeys(hunt, identityDigestsOf(hunt, identity));

const bounded = (values: readonly string[]) => values.slice(0, MAX_SAMPLES).map((v) => truncate(v, MAX_SAMPLE_CHARS).text);

/** Context samples bounded like host names, newest first. */
function boundedContext(...sources: ContextSamples[]): ContextSamples {
  const names = [...new Set(sources.flatMap((s) => Object.keys(s)))].sort();
  return Object.fromEntries(names.map((name) => [name, bounded([...new Set(sources.flatMap((s) => s[name] ?? []))])]));
}

const indicatorIds = (finding: Finding) => finding.indicators.map((m) => m.id);

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
    identityDigests: finding.identityDigests,
    anchorKey: anchorKeyFromDigests(hunt, finding.identityDigests),
    status,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    eventCount: finding.eventCount,
    agentCount: finding.agentCount,
    hostNames: bounded(finding.hostNames),
    agentIds: bounded(finding.agentIds),
    context: boundedContext(finding.context),
    indicators: indicatorIds(finding),
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
    context: boundedContext(finding.context, entry.context ?? {}),
    indicators: [...new Set([...(entry.indicators ?? []), ...indicatorIds(finding)])],
    sightings: entry.sightings + 1,
    updatedAt: now,
  };
}

/** The approvals an entry holds; one approved by an earlier release has its single approval (fingerprint-wide, so fleet-wide). */
export function approvalHistory(entry: BaselineEntry): readonly Approval[] {
  if (entry.approvals) return entry.approvals;
  if (entry.approvedBy !== undefined && entry.approvedAt !== undefined) return [{ by: entry.approvedBy, at: entry.approvedAt, note: entry.note ?? '', scope: { kind: 'fleet' } }];
  return [];
}

/** The history with `approval` first, the oldest dropped while it exceeds the caps (never the newest). */
export function withApproval(entry: BaselineEntry, approval: Approval): { approvals: Approval[]; approvalsDropped: number } {
  const approvals = [approval, ...approvalHistory(entry)];
  let dropped = entry.approvalsDropped ?? 0;
  while (approvals.length > 1 && (approvals.length > MAX_APPROVALS || dynamoItemBytes({ approvals }) > MAX_APPROVAL_HISTORY_BYTES)) {
    approvals.pop();
    dropped++;
  }
  return { approvals, approvalsDropped: dropped };
}

/** Whether tonight's observation adds anything to the entry as read: only then is it written. */
export function observationChanged(read: BaselineEntry, observed: BaselineEntry): boolean {
  // Samples are sets: tonight's order alone is no news.
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v) => b.includes(v));
  return (
    read.firstSeen !== observed.firstSeen ||
    read.lastSeen !== observed.lastSeen ||
    read.eventCount !== observed.eventCount ||
    read.agentCount !== observed.agentCount ||
    !same(read.hostNames, observed.hostNames) ||
    !same(read.agentIds, observed.agentIds) ||
    JSON.stringify(read.context ?? {}) !== JSON.stringify(observed.context) ||
    !same(read.indicators ?? [], observed.indicators)
  );
}

const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const latest = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
