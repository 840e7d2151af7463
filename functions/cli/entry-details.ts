import { MAX_IDENTITY_CHARS, approvalHistory, type ApprovalScope, type BaselineEntry } from '../core/baseline';
import { huntById } from '../core/hunts';
import { osqueryFollowUp } from '../core/render/follow-up';
import { inertText, nonAsciiNote } from '../core/render/inert-text';
import { plural } from '../core/render/report-view';

/** Values found on hosts, shown whole but inert: invisible code points escaped, links broken, homoglyphs named. */
const value = (text: string | null | undefined, max = MAX_IDENTITY_CHARS + 64) => {
  const note = nonAsciiNote(text);
  return note ? `${inertText(text, max)}   ${note}` : inertText(text, max);
};

/** Everything the baseline holds about one entry, for `baseline show`: what an analyst decides on. */
export function entryDetails(entry: BaselineEntry): string {
  const hunt = huntById(entry.huntId);
  const rows: [string, string][] = [
    ['fingerprint', entry.fingerprint],
    ['hunt', hunt ? `${hunt.id}: ${hunt.title} (severity ${hunt.severity})` : `${value(entry.huntId, 100)} (unknown to this version)`],
    ['status', statusLine(entry)],
  ];
  const lines = rows.map(([label, text]) => `${label.padEnd(12)} ${text}`);
  lines.push('identity');
  const fields = hunt ? hunt.identityFields : Object.keys(entry.identity);
  const width = Math.max(...fields.map((f) => f.length));
  for (const field of fields) lines.push(`  ${field.padEnd(width)}  ${entry.identity[field] === null || entry.identity[field] === undefined ? '(none)' : value(entry.identity[field])}`);
  if (entry.identityTruncated) lines.push(`  (values longer than ${MAX_IDENTITY_CHARS} characters are stored cut; the fingerprint covers the full values)`);
  const more: [string, string][] = [
    ['why new', whyNew(entry)],
    ['hosts', entry.hostNames.map((h) => value(h, 256)).join(', ') || '(none reported)'],
    ['agents', entry.agentIds.map((a) => value(a, 256)).join(', ') || '(none reported)'],
    ['seen', `${plural(entry.eventCount, 'event')} on ${plural(entry.agentCount, 'agent')} over the lookback of the last run that saw it; first ${entry.firstSeen ?? 'unknown'}, last ${entry.lastSeen ?? 'unknown'}`],
    ['runs', `seen with something new by ${plural(entry.sightings, 'run')}; recorded ${entry.recordedAt}, updated ${entry.updatedAt}`],
  ];
  lines.push(...more.map(([label, text]) => `${label.padEnd(12)} ${text}`));
  lines.push(...approvalLines(entry));
  if (hunt) lines.push('osquery', `  ${osqueryFollowUp(hunt, entry)}`);
  return `${lines.join('\n')}\n`;
}

function statusLine(entry: BaselineEntry): string {
  switch (entry.status) {
    case 'learned':
      return 'learned (recorded by a learning run, never alerted)';
    case 'pending':
      return `pending (new, not yet confirmed as alerted${entry.claim ? `; claimed by run ${value(entry.claim.runId, 200)} until ${entry.claim.expiresAt}` : ''})`;
    case 'alerted':
      return `alerted${entry.alertedAt ? ` at ${entry.alertedAt}` : ''}${entry.alertMessageId ? ` (SNS message ${value(entry.alertMessageId, 200)})` : ''}`;
    case 'approved':
      return 'approved (benign: never alerted again)';
  }
}

function whyNew(entry: BaselineEntry): string {
  if (entry.whyNew) return value(entry.whyNew, 1_100);
  if (entry.status === 'learned') return '(learned: it was in the fleet when the hunt first answered)';
  return '(not recorded: alerted by an earlier release)';
}

/** Every approval, newest first: who, when, where it applies, why. */
function approvalLines(entry: BaselineEntry): string[] {
  const history = approvalHistory(entry);
  if (history.length === 0) return [`${'approvals'.padEnd(12)} (none)`];
  const dropped = entry.approvalsDropped ? ` (and ${plural(entry.approvalsDropped, 'older approval')} dropped by the cap)` : '';
  return [
    `approvals    ${plural(history.length, 'approval')}, newest first${dropped}`,
    ...history.map((a) => `  ${a.at}  by ${value(a.by, 256)}  ${scopeText(a.scope)}: ${value(a.note, 1_100)}`),
  ];
}

function scopeText(scope: ApprovalScope): string {
  if (scope.kind === 'fleet') return 'fleet-wide';
  return scope.agentIds.length > 0 ? `on agents ${scope.agentIds.map((id) => value(id, 80)).join(', ')}` : 'on the agents that had reported it (none recorded)';
}
