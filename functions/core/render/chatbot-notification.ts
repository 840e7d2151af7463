import type { AlertReport } from '../alert-report';
import { inertText, nonAsciiNote } from './inert-text';
import { kibanaDiscoverUrl } from './follow-up';
import { PRODUCT, byHunt, highestSeverity, plural, severityText, shownIdentityFields, type RenderOptions } from './report-view';
import { slackCode, slackCommand, slackPlain } from './slack-text';
import { triageCommand } from './triage-command';

export interface ChatLimits {
  readonly maxAlerts: number;
  readonly maxValueChars: number;
}

export const CHAT_LIMITS: ChatLimits = { maxAlerts: 10, maxValueChars: 160 };

/** Amazon Q Developer in chat applications (AWS Chatbot) custom notification, for Slack channels. */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: string[];
    readonly keywords: string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: string[];
    readonly additionalContext: Record<string, string>;
  };
}

export function renderChatbotNotification(report: AlertReport, options: RenderOptions, limits: ChatLimits = CHAT_LIMITS): ChatbotNotification {
  const s = report.summary;
  const problems = boundedProblems(s.problems);
  const base = { version: '1.0' as const, source: 'custom' as const, id: s.runId };
  if (report.kind === 'baseline-initialised') {
    return {
      ...base,
      content: {
        textType: 'client-markdown',
        title: `:white_check_mark: ${PRODUCT}: baseline initialised with ${plural(s.totals.learned, 'entry', 'entries')}`,
        description: ['Learning run: everything found was recorded as known; nothing was alerted. From now on this channel hears only about new findings.', ...problems].join('\n'),
        nextSteps: [`Review the learned entries: ${slackCommand(triageCommand('baseline list --status learned', options.triage))}`],
        keywords: [PRODUCT, 'baseline'],
      },
      metadata: metadata(report, 'BaselineInitialised', `Baseline initialised: ${s.totals.learned} entries`),
    };
  }
  if (report.kind === 'problems') {
    return {
      ...base,
      content: {
        textType: 'client-markdown',
        title: `:warning: ${PRODUCT}: no new findings, but the run could not compare everything`,
        description: ['A hunt whose answer was cut left rare rows unchecked tonight.', ...problems].join('\n'),
        nextSteps: ['Look for hosts writing or running many distinct dispatcher scripts, then narrow the lookback or add exclusions'],
        keywords: [PRODUCT, 'truncated'],
      },
      metadata: metadata(report, 'RunProblems', `${s.problems.length} problems, no new findings`),
    };
  }
  // Slack cuts a section's text past SLACK_SECTION_CHARS: the card lists the rarest findings that fit, whole.
  const problemLines = boundedProblems(s.problems);
  const reserve = problemLines.join('\n').length + OMITTED_LINE_RESERVE;
  const lines: string[] = [];
  const listedFingerprints: string[] = [];
  let length = 0;
  const fits = (more: string[]) => length + more.join('\n').length + 1 <= SLACK_SECTION_CHARS - reserve;
  for (const { hunt, alerts } of byHunt(report.alerts)) {
    let header: string | undefined = `*${slackPlain(hunt.id)}* — ${slackPlain(hunt.title)} (${alerts.length} new)`;
    for (const alert of alerts) {
      if (listedFingerprints.length >= limits.maxAlerts) break;
      const { entry } = alert;
      const values = shownIdentityFields(alert).map((f) => {
        const note = nonAsciiNote(entry.identity[f]);
        return `${f.split('.').slice(-2).join('.')} ${slackCode(entry.identity[f], limits.maxValueChars)}${note ? ` :warning: _${note}_` : ''}`;
      });
      const block = [
        ...(header ? [header] : []),
        `• ${values.join(' · ')}`,
        `   severity: ${slackPlain(severityText(alert))}`,
        `   why new: ${slackCode(alert.novelty, limits.maxValueChars)} · ${plural(entry.eventCount, 'event')} on ${slackCode(entry.hostNames.slice(0, 3).join(', ') || 'unknown host', 120)} · last ${entry.lastSeen ?? 'unknown'} · fp \`${entry.fingerprint.slice(0, 12)}\``,
      ];
      if (!fits(block)) break;
      lines.push(...block);
      length += block.join('\n').length + 1;
      header = undefined;
      listedFingerprints.push(entry.fingerprint.slice(0, 12));
    }
  }
  const omitted = report.alerts.length - listedFingerprints.length;
  if (omitted > 0) lines.push(`…and ${plural(omitted, 'more new finding')}: ${slackCommand(triageCommand('baseline list --status alerted', options.triage))}`);
  lines.push(...problemLines);
  const first = report.alerts[0];
  const kibana = options.kibanaUrl && first ? kibanaDiscoverUrl(options.kibanaUrl, first.hunt, first.entry) : undefined;
  return {
    ...base,
    content: {
      textType: 'client-markdown',
      title: `:rotating_light: ${PRODUCT}: ${plural(report.alerts.length, 'new finding')} on NetworkManager dispatcher scripts (${highestSeverity(report)})`,
      description: lines.join('\n'),
      nextSteps: [
        ...(listedFingerprints.length > 0 ? [`Everything about ${listedFingerprints.length === 1 ? 'it' : 'each'} (full values, hosts, why new, osquery): ${slackCommand(triageCommand(`baseline show ${listedFingerprints.join(' ')}`, options.triage))}`] : []),
        `If benign: ${slackCommand(triageCommand('baseline approve <fingerprint> --note "<why benign>" --by "<you>"', options.triage))}`,
        'If malicious: isolate the host (Kibana: Security → Endpoints → Isolate host), collect the script and its SHA-256 with the osquery query in the email, then remove it',
        ...(kibana ? [kibana.length <= MAX_LINK_CHARS ? `Open in Kibana: ${kibana}` : 'Open in Kibana: the link is too long for Slack; the email has one per finding'] : []),
      ],
      keywords: [PRODUCT, 'T1546', ...new Set(report.alerts.map((a) => a.hunt.id))],
    },
    metadata: metadata(report, 'NewFindings', `${report.alerts.length} new findings`),
  };
}

/** Slack cuts a section's text beyond 3,000 characters; the description and each next step must fit. */
export const SLACK_SECTION_CHARS = 3_000;
/** Room kept for the "…and N more" line. */
const OMITTED_LINE_RESERVE = 320;
const MAX_LINK_CHARS = 2_000;
const MAX_PROBLEMS = 3;

/** At most three problems, each bounded, and how many more there were. */
function boundedProblems(problems: readonly string[]): string[] {
  const lines = problems.slice(0, MAX_PROBLEMS).map((p) => `:warning: ${slackCode(p, 300)}`);
  if (problems.length > MAX_PROBLEMS) lines.push(`:warning: …and ${plural(problems.length - MAX_PROBLEMS, 'more problem')} (see the email)`);
  return lines;
}

function metadata(report: AlertReport, eventType: string, summary: string): ChatbotNotification['metadata'] {
  return {
    threadId: `${PRODUCT}-${report.summary.runId}`,
    summary,
    eventType,
    relatedResources: [],
    additionalContext: { runId: inertText(report.summary.runId, 100), outcome: report.summary.outcome },
  };
}
