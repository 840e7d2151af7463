import type { BaselineEntry } from './baseline';
import type { HuntDefinition, Severity } from './hunts/hunt-definition';
import type { RunSummary } from './run-summary';
import type { IndicatorMatch } from './severity/indicators';

/** One new finding as an analyst sees it. */
export interface Alert {
  readonly hunt: HuntDefinition;
  readonly entry: BaselineEntry;
  /** Why it is new against the baseline (attacker-influenced text: render inert). */
  readonly novelty: string;
  /** Re-published after an earlier run could not confirm its alert. */
  readonly republished: boolean;
  /** The hunt's severity, or high when the content shows an indicator. */
  readonly severity: Severity;
  /** What in the content made it high (empty otherwise), named in every channel. */
  readonly indicators: readonly IndicatorMatch[];
}

/** What the notifier turns into one message. */
export type AlertReport =
  | { readonly kind: 'new-findings'; readonly summary: RunSummary; readonly alerts: readonly Alert[] }
  | { readonly kind: 'baseline-initialised'; readonly summary: RunSummary }
  /** Nothing new, but something the analyst must hear even on a quiet night (an answer cut at the row cap). */
  | { readonly kind: 'problems'; readonly summary: RunSummary };
