import type { Alert, AlertReport } from '../alert-report';
import { inertText, nonAsciiNote } from './inert-text';
import { kibanaDiscoverUrl, osqueryFollowUp } from './follow-up';
import { PRODUCT, byHunt, plural, severityText, shownIdentityFields, type RenderOptions } from './report-view';
import { OSQUERY_EXPECTATION, maliciousSteps } from './response-steps';
import { triageCommand } from './triage-command';

/** Bounds for the email body; attacker text is made inert and cut to these. */
export interface EmailLimits {
  readonly maxAlerts: number;
  readonly maxValueChars: number;
}

export const EMAIL_LIMITS: EmailLimits = { maxAlerts: 50, maxValueChars: 1_000 };

/** The plain-text report for email subscribers. */
export function renderEmail(report: AlertReport, options: RenderOptions, limits: EmailLimits = EMAIL_LIMITS): string {
  const s = report.summary;
  const lines: string[] = [];
  if (report.kind === 'baseline-initialised') {
    lines.push(
      `${PRODUCT}: baseline initialised with ${plural(s.totals.learned, 'entry', 'entries')}.`,
      '',
      'This was a learning run: every dispatcher script and child process the hunts found was recorded as known, and nothing was alerted.',
      'From the next run on, you hear from this job only when something new appears.',
      `Review what was learned with: ${triageCommand('baseline list --status learned', options.triage)}`,
      '',
      ...s.hunts.map((h) => `- ${h.huntId}: ${h.status}, ${plural(h.learned, 'entry', 'entries')} learned${h.error ? ` (${inertText(h.error, 300)})` : ''}`),
    );
  } else if (report.kind === 'problems') {
    lines.push(
      `${PRODUCT}: no new findings, but the run could not compare everything it should have.`,
      '',
      'Read the problems below: a hunt whose answer was cut left rare rows unchecked tonight.',
      '',
    );
  } else {
    lines.push(`${PRODUCT}: ${plural(report.alerts.length, 'new finding')} on NetworkManager dispatcher scripts (MITRE ATT&CK T1546).`, '');
    let listed = 0;
    for (const { hunt, alerts } of byHunt(report.alerts)) {
      lines.push(`== ${hunt.id}: ${hunt.title} (${plural(alerts.length, 'new finding')}) ==`, '');
      for (const alert of alerts) {
        if (listed >= limits.maxAlerts) break;
        listed++;
        lines.push(...renderAlert(alert, options, limits), '');
      }
      lines.push(`Reading the osquery results: ${OSQUERY_EXPECTATION}.`);
      lines.push(`Why it matters: ${hunt.description}`);
      lines.push(`ATT&CK: ${[...hunt.tactics, ...hunt.techniques].map((m) => `${m.id} ${m.name} <${m.url}>`).join('; ')}`, '');
    }
    const omitted = report.alerts.length - listed;
    if (omitted > 0) {
      lines.push(`${plural(omitted, 'more new finding')} not shown here (rarest shown first). See them all with:`, `  ${triageCommand('baseline list --status alerted', options.triage)}`, '');
    }
  }
  if (s.problems.length > 0) {
    lines.push('Problems in this run:', ...s.problems.map((p) => `- ${inertText(p, 600)}`), '');
  }
  lines.push(
    '--',
    `Run ${s.runId} at ${s.startedAt}${options.deploymentLabel ? ` (${inertText(options.deploymentLabel, 100)})` : ''}.`,
    'Values found on hosts are shown inert: invisible characters as \\xNN, \\uNNNN or \\u{NNNNN} escapes, links broken as hxxps[://]host[.]example, user[@]host.',
  );
  return lines.join('\n');
}

function renderAlert(alert: Alert, options: RenderOptions, limits: EmailLimits): string[] {
  const { entry, hunt } = alert;
  const v = (text: string | null | undefined) => inertText(text, limits.maxValueChars);
  const flag = (text: string | null | undefined) => (nonAsciiNote(text) ? `   ${nonAsciiNote(text)}` : '');
  return [
    ...shownIdentityFields(alert).map((field) => `  ${field}: ${v(entry.identity[field])}${flag(entry.identity[field])}`),
    `  severity: ${severityText(alert)}`,
    `  why new: ${v(alert.novelty)}${alert.republished ? ' (re-sent: an earlier run could not confirm this alert)' : ''}`,
    ...Object.entries(entry.context ?? {}).filter(([, values]) => values.length > 0).map(([name, values]) => `  ${name.replaceAll('_', ' ')}: ${values.map((x) => v(x)).join(' | ')}`),
    `  hosts: ${entry.hostNames.map((h) => inertText(h, 100)).join(', ') || '(none reported)'}`,
    `  agents: ${entry.agentIds.map((a) => inertText(a, 100)).join(', ') || '(none reported)'}`,
    `  seen: ${plural(entry.eventCount, 'event')} on ${plural(entry.agentCount, 'agent')}, first ${entry.firstSeen ?? 'unknown'}, last ${entry.lastSeen ?? 'unknown'}`,
    `  fingerprint: ${entry.fingerprint}`,
    `  details: ${triageCommand(`baseline show ${entry.fingerprint.slice(0, 12)}`, options.triage)}`,
    `  if benign: ${triageCommand(`baseline approve ${entry.fingerprint} --note "<why benign>" --by "<you>"`, options.triage)}`,
    `  if malicious: ${maliciousSteps(hunt, entry)}`,
    `  osquery: ${osqueryFollowUp(hunt, entry)}`,
    ...(options.kibanaUrl ? [`  kibana: ${kibanaDiscoverUrl(options.kibanaUrl, hunt, entry)}`] : []),
  ];
}
