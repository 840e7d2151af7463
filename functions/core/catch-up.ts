import { MAX_LOOKBACK_DAYS } from './hunt-config';

const DAY_MS = 86_400_000;

/**
 * Days a hunt reads tonight: its configured window, or, after an outage or while it was disabled, back to its last
 * complete answer plus a day (events indexed late), so that re-enabling it or fixing the cluster skips nothing.
 * At most MAX_LOOKBACK_DAYS.
 */
export function catchUpLookbackDays(configuredDays: number, readSince: Date | undefined, now: Date): number {
  if (!readSince) return configuredDays;
  const sinceDays = Math.ceil((now.getTime() - readSince.getTime()) / DAY_MS) + 1;
  return Math.min(MAX_LOOKBACK_DAYS, Math.max(configuredDays, sinceDays));
}

/** A problem line when even the longest lookback cannot reach back to the hunt's last complete answer. */
export function catchUpProblem(huntId: string, readSince: Date | undefined, now: Date): string | undefined {
  if (!readSince) return undefined;
  const days = Math.floor((now.getTime() - readSince.getTime()) / DAY_MS);
  if (days < MAX_LOOKBACK_DAYS) return undefined;
  return `${huntId} last answered completely ${days} days ago; only the last ${MAX_LOOKBACK_DAYS} days were hunted, so anything only seen before that was missed.`;
}
