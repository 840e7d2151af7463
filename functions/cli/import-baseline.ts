import type { BaselineEntry, BaselineStatus } from '../core/baseline';
import { BASELINE_STATUSES } from '../core/baseline';
import type { ParsedExport } from '../core/baseline-jsonl';
import { errorMessage } from '../core/errors';
import type { BaselineStore } from '../core/ports';
import { inertText } from '../core/render/inert-text';

/** What a file would change, said before anything is written: approved entries are never alerted. */
export function statusSummary(entries: readonly BaselineEntry[]): string {
  const counts = new Map<BaselineStatus, number>();
  for (const entry of entries) counts.set(entry.status, (counts.get(entry.status) ?? 0) + 1);
  const parts = BASELINE_STATUSES.filter((s) => counts.has(s)).map((status) => {
    const n = counts.get(status) as number;
    if (status !== 'approved') return `${n} ${status}`;
    const approvers = [...new Set(entries.filter((e) => e.status === 'approved').map((e) => inertText(e.approvedBy ?? 'unknown', 60)))];
    const named = approvers.slice(0, 5).join(', ') + (approvers.length > 5 ? ` and ${approvers.length - 5} more` : '');
    return `${n} approved (never alerted; approved by ${named})`;
  });
  return `The file holds ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`;
}

/** An import that stopped partway: it says exactly which lines were written. */
export class ImportStoppedError extends Error {
  override readonly name = 'ImportStoppedError';
}

const BATCH = 25;

/**
 * Writes in order, one batch at a time, so that a failure can say exactly which lines were written. Re-importing the
 * same file is safe: it replaces the same entries.
 */
export async function writeInBatches(store: Pick<BaselineStore, 'putMany'>, parsed: ParsedExport, progress: (written: number) => void): Promise<void> {
  const { entries, lines } = parsed;
  for (let start = 0; start < entries.length; start += BATCH) {
    const end = Math.min(start + BATCH, entries.length);
    try {
      await store.putMany(entries.slice(start, end));
    } catch (error) {
      const written = start === 0 ? 'no line was written' : `${range(lines, 0, start)} (${start} entries) were written`;
      // A request DynamoDB refused as a whole wrote nothing; one that was throttled or lost may have written part.
      const refused = /^(ValidationException|AccessDeniedException|ResourceNotFoundException)$/.test((error as Error).name);
      const rest = refused
        ? `${range(lines, start, entries.length)} (${entries.length - start} entries) were not`
        : `${range(lines, start, end)} (the batch that failed) may be partly written and ${end < entries.length ? `${range(lines, end, entries.length)} were not` : 'no later line exists'}`;
      throw new ImportStoppedError(`Import stopped: ${written}; ${rest}. DynamoDB: ${errorMessage(error)}. Importing the file again is safe: it replaces the same entries.`);
    }
    progress(end);
  }
}

const range = (lines: readonly number[], from: number, to: number) => (to - from === 1 ? `line ${lines[from]}` : `lines ${lines[from]}-${lines[to - 1]}`);
