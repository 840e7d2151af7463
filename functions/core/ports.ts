import type { BaselineEntry, BaselineStatus } from './baseline';
import type { HuntRows } from './esql-result';
import type { HuntDefinition } from './hunts/hunt-definition';
import type { AlertReport } from './alert-report';

/** Runs one hunt against the event store. */
/** What a run asks of one hunt beyond its configuration. */
export interface HuntWindow {
  /** Read at least back to here: the hunt's last complete answer, after an outage or while it was disabled. */
  readonly readSince?: Date;
}

export interface HuntRunner {
  run(hunt: HuntDefinition, window?: HuntWindow): Promise<HuntRows>;
}

/** Publishes one report; resolves to the message id. */
export interface Notifier {
  publish(report: AlertReport): Promise<string>;
}

export interface BaselineFilter {
  readonly status?: BaselineStatus;
  readonly huntId?: string;
}

/** What became of entries a run published, when it marked them alerted. */
export interface MarkResult {
  /** Marked alerted under this run's claim. */
  readonly marked: string[];
  /** Approved, forgotten or replaced by an analyst meanwhile: the analyst's change stands. */
  readonly changedByAnalyst: string[];
  /** Taken over by another run after this run's claim lapsed: that run may publish them once more. */
  readonly takenOver: string[];
  /** Could not be written (DynamoDB failed): still pending under this run's claim, published once more after it lapses. */
  readonly failed: string[];
}

/** The baseline of known findings. Every method that two runs could race on is conditional. */
export interface BaselineStore {
  /** Hunts that completed a learning run; the others still learn. */
  initialisedHunts(): Promise<Set<string>>;
  markInitialised(huntIds: readonly string[]): Promise<void>;
  /** When each hunt last answered completely (ISO-8601), so that the next run reads back to then. */
  lastAnswered(): Promise<Map<string, string>>;
  recordAnswered(huntIds: readonly string[], at: Date): Promise<void>;
  /** Entries for these fingerprints, in batches; absent ones are simply missing from the map. */
  getMany(fingerprints: readonly string[]): Promise<Map<string, BaselineEntry>>;
  /** Every pending entry, whichever run left it. */
  listPending(): Promise<BaselineEntry[]>;
  /** Entries sharing an anchor (see NoveltyAxes), at most `limit`. */
  siblings(anchorKey: string, limit: number): Promise<BaselineEntry[]>;
  /** Creates learned entries, each only where the fingerprint is absent; returns those that existed (left as they are). */
  createLearned(entries: readonly BaselineEntry[]): Promise<string[]>;
  /** Creates a pending entry unless the fingerprint exists; false when another run was first. */
  createPending(entry: BaselineEntry): Promise<boolean>;
  /**
   * Takes a pending entry for `entry.claim`: when its claim has lapsed at `now`, or is already held by the same run id
   * (Lambda retries an invocation with the same request id); false when another live run holds it.
   */
  claimPending(entry: BaselineEntry, now: Date): Promise<boolean>;
  /**
   * Marks entries claimed by `runId` as alerted, each conditional on that claim, keeping why each was new
   * (`whyNew`, by fingerprint), and says what became of the others.
   */
  markAlerted(fingerprints: readonly string[], runId: string, messageId: string, at: Date, whyNew?: ReadonlyMap<string, string>): Promise<MarkResult>;
  /** Gives up claims after a failed publish so that a retry can alert at once. */
  releaseClaims(fingerprints: readonly string[], runId: string): Promise<void>;
  /**
   * Writes a known entry's observation fields only (never its status or an analyst's fields), each only if its status
   * and revision are still as the run read them; returns those left alone because someone changed them meanwhile.
   */
  recordObservations(entries: readonly BaselineEntry[]): Promise<string[]>;
  /** Replaces whole entries in batches, each with a new revision: an analyst's import, which wins over a run in flight. */
  putMany(entries: readonly BaselineEntry[]): Promise<void>;
  /** Triage: one entry (a single read, which the analysts' policy allows where batch reads are the function's). */
  get(fingerprint: string): Promise<BaselineEntry | undefined>;
  /**
   * Adds an approval to the entry's history (newest first) and marks it approved; scope: the agents that had reported
   * it, or the whole fleet. Undefined when the fingerprint is not in the baseline.
   */
  approve(fingerprint: string, note: string, approvedBy: string, at: Date, options?: { readonly fleetWide?: boolean }): Promise<BaselineEntry | undefined>;
  forget(fingerprint: string): Promise<boolean>;
  list(filter?: BaselineFilter): AsyncIterable<BaselineEntry>;
}
