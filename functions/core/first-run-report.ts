import { inertText } from './render/inert-text';
import type { RunSummary } from './run-summary';

/** What a deploy says about the run it started: one short line, fit for a CloudFormation output. */
export interface FirstRunReport {
  readonly outcome: 'succeeded' | 'failed' | 'still running' | 'not run';
  readonly details: string;
}

/** CloudFormation outputs and custom resource data are small: keep each line well within them. */
const MAX_DETAILS = 600;

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

export function reportFromSummary(summary: RunSummary): FirstRunReport {
  const { totals } = summary;
  const parts = [
    summary.learning ? `learning run: ${plural(totals.learned, 'entry', 'entries')} learned` : `${plural(totals.findings, 'finding')} compared with the baseline`,
    `${plural(totals.new + totals.republished, 'new finding')} alerted`,
    ...summary.hunts.filter((h) => h.status !== 'ok').map((h) => `${h.huntId} ${h.status === 'no-data' ? 'blind (no index)' : h.status}`),
  ];
  const problems = summary.problems.length > 0 ? `; problems: ${summary.problems.join(' ')}` : '';
  return { outcome: summary.outcome, details: bounded(`${parts.join(', ')}${problems}`) };
}

/** A run that threw: the handler's message is already redacted and made inert. */
export function reportFromError(errorType: string | undefined, errorMessage: string | undefined): FirstRunReport {
  return { outcome: 'failed', details: bounded(`${errorType ?? 'Error'}: ${errorMessage ?? 'no message'}`) };
}

export function bounded(text: string): string {
  return inertText(text.replace(/\s+/g, ' ').trim(), MAX_DETAILS);
}
