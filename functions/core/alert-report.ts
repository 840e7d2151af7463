import type { BaselineEntry } from './baseline';
import type { HuntDefinition } from './hunts/hunt-definition';
import type { RunSummary } from './run-summary';

/** One new finding as an analyst sees it. */
export interface Alert {
  readonly hunt: HuntDefinition;
  readonly entry: BaselineEntry;
  /** Why it is new against the baseline (attacker-influenced text: render inert). */
  readonly novelty: string;
  /** Re-published after an earlier run could not confirm its alert. */
  readonly republished: boolean;
}

/** What the notifier turns into one message. */
export type AlertReport =
  | { readonly kind: 'new-findings'; readonly summary: RunSummary; readonly alerts: readonly Alert[] }
  | { readonly kind: 'baseline-initialised'; readonly summary: RunSummary };
