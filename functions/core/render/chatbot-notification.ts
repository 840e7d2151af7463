import type { AlertReport } from '../alert-report';
import { inertText, nonAsciiNote } from './inert-text';
import { kibanaDiscoverUrl } from './follow-up';
import { PRODUCT, byHunt, highestSeverity, plural, type RenderOptions } from './report-view';
import { slackCode, slackCommand, slackPlain } from './slack-text';
import { triageCommand } from './triage-command';

export interface ChatLimits {
  readonly maxAlerts: number;
  readonly maxValueChars: number;
}

export const CHAT_LIMITS: ChatLimits = { maxAlerts: 10, maxValueChars: 300 };

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
  const problems = s.problems.map((p) => `:warning: ${slackCode(p, 300)}`);
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
  const lines: string[] = [];
  let listed = 0;
  for (const { hunt, alerts } of byHunt(report.alerts)) {
    lines.push(`*${slackPlain(hunt.id)}* — ${slackPlain(hunt.title)} (${alerts.length} new)`);
    for (const alert of alerts) {
      if (listed >= limits.maxAlerts) break;
      listed++;
      const { entry } = alert;
      const values = hunt.identityFields.map((f) => {
        const note = nonAsciiNote(entry.identity[f]);
        return `${f.split('.').slice(-2).join('.')} ${slackCode(entry.identity[f], limits.maxValueChars)}${note ? ` :warning: _${note}_` : ''}`;
      });
      lines.push(
        `• ${values.join(' · ')}`,
        `   why new: ${slackCode(alert.novelty, limits.maxValueChars)} · ${plural(entry.eventCount, 'event')} on ${slackCode(entry.hostNames.slice(0, 3).join(', ') || 'unknown host', 120)} · last ${entry.lastSeen ?? 'unknown'} · fp \`${entry.fingerprint.slice(0, 12)}\``,
      );
    }
  }
  const omitted = report.alerts.length - listed;
  if (omitted > 0) lines.push(`…and ${plural(omitted, 'more new finding')}: ${slackCommand(triageCommand('baseline list --status alerted', options.triage))}`);
  lines.push(...problems);
  const first = report.alerts[0];
  return {
    ...base,
    content: {
      textType: 'client-markdown',
      title: `:rotating_light: ${PRODUCT}: ${plural(report.alerts.length, 'new finding')} on NetworkManager dispatcher scripts (${highestSeverity(report)})`,
      description: lines.join('\n'),
      nextSteps: [
        'Read the email for each finding’s osquery follow-up query and full values',
        `If benign: ${slackCommand(triageCommand('baseline approve <fingerprint> --note "<why benign>" --by "<you>"', options.triage))}`,
        ...(options.kibanaUrl && first ? [`Open in Kibana: ${kibanaDiscoverUrl(options.kibanaUrl, first.hunt, first.entry)}`] : []),
      ],
      keywords: [PRODUCT, 'T1546', ...new Set(report.alerts.map((a) => a.hunt.id))],
    },
    metadata: metadata(report, 'NewFindings', `${report.alerts.length} new findings`),
  };
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
