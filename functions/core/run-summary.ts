import type { HuntId } from './hunts/hunt-definition';

/** `disabled`: not run by this deployment (its pending entries are still published). */
export type HuntStatus = 'ok' | 'no-data' | 'failed' | 'disabled';

export interface HuntSummary {
  readonly huntId: HuntId;
  readonly status: HuntStatus;
  /** The hunt's baseline was being learned in this run. */
  readonly learning: boolean;
  /** This run ended the hunt's learning: its first complete answer, or one cut at the cap (never a failed, partial or blind one). */
  readonly learningEnded: boolean;
  /** Rare groups returned. */
  readonly rows: number;
  /** The answer was cut at the 10,000-row cap: `rowsCut` rare groups were not compared. */
  readonly truncated: boolean;
  readonly rowsCut?: number;
  /** Warning headers Elasticsearch sent with the hunt's answers (their text is in `problems`). */
  readonly warnings: number;
  readonly partial: boolean;
  /** New findings claimed for alerting by this run. */
  readonly new: number;
  readonly known: number;
  readonly learned: number;
  readonly error?: string;
}

/** What one nightly run did: logged as JSON, returned by the handler, rendered in the alert. */
export interface RunSummary {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly outcome: 'succeeded' | 'failed';
  readonly learning: boolean;
  readonly dryRun: boolean;
  readonly hunts: readonly HuntSummary[];
  readonly totals: {
    readonly findings: number;
    readonly new: number;
    readonly republished: number;
    readonly known: number;
    readonly learned: number;
    /** New findings held by another live run's claim: that run alerts them. */
    readonly claimedElsewhere: number;
    readonly alerted: number;
    /** Published but not marked alerted (DynamoDB failed, or another run took them over): may be published once more. */
    readonly unmarked: number;
    readonly huntsFailed: number;
    /** Hunts none of whose index patterns exists. */
    readonly huntsBlind: number;
  };
  readonly messageId?: string;
  /** Everything that went wrong, one sentence each, for logs and the alert. */
  readonly problems: readonly string[];
}
