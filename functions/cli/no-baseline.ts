import type { AlertReport } from '../core/alert-report';
import type { BaselineEntry } from '../core/baseline';
import { HUNT_IDS } from '../core/hunts';
import type { BaselineStore, MarkResult, Notifier } from '../core/ports';

export const NOT_COMPARED = 'not compared with a baseline (dry run without a table)';

const readOnly = (): never => {
  throw new Error('a dry run without a baseline table writes nothing');
};

/**
 * The baseline of a dry run that has none: every hunt has finished learning and nothing is known, so every finding
 * is listed as the message would list it. Nothing is read from or written to AWS.
 */
export class NoBaselineStore implements BaselineStore {
  async initialisedHunts(): Promise<Set<string>> {
    return new Set(HUNT_IDS);
  }
  async lastAnswered(): Promise<Map<string, string>> {
    return new Map();
  }
  async getMany(): Promise<Map<string, BaselineEntry>> {
    return new Map();
  }
  async listPending(): Promise<BaselineEntry[]> {
    return [];
  }
  async siblings(): Promise<BaselineEntry[]> {
    return [];
  }
  async get(): Promise<BaselineEntry | undefined> {
    return undefined;
  }
  async *list(): AsyncIterable<BaselineEntry> {}
  markInitialised = readOnly;
  recordAnswered = readOnly;
  createLearned = readOnly;
  createPending = readOnly;
  claimPending = readOnly;
  markAlerted = readOnly as () => Promise<MarkResult>;
  releaseClaims = readOnly;
  recordObservations = readOnly;
  putMany = readOnly;
  approve = readOnly;
  forget = readOnly;
}

/** Says, on every finding of a dry run without a baseline, that it was not compared: "path never seen" would be a guess. */
export class NotComparedNotifier implements Notifier {
  constructor(private readonly inner: Notifier) {}

  publish(report: AlertReport): Promise<string> {
    if (report.kind !== 'new-findings') return this.inner.publish(report);
    return this.inner.publish({ ...report, alerts: report.alerts.map((alert) => ({ ...alert, novelty: NOT_COMPARED })) });
  }
}
