import type { AlertReport } from '../alert-report';
import { stringifyInert } from '../invisible-text';
import { CHAT_LIMITS, renderChatbotNotification, type ChatLimits } from './chatbot-notification';
import { EMAIL_LIMITS, renderEmail, type EmailLimits } from './email-text';
import { highestSeverity, reportHuntIds, subjectLine, type RenderOptions } from './report-view';
import { STRUCTURED_LIMITS, renderStructuredMessage, type StructuredLimits } from './structured-message';

/** SNS accepts 262,144 bytes for message, subject and attributes together; keep a margin. */
export const MAX_MESSAGE_BYTES = 240 * 1024;

/** The input of one SNS `PublishCommand` (without the topic), one body per protocol. */
export interface SnsPublishInput {
  readonly Subject: string;
  readonly Message: string;
  readonly MessageStructure: 'json';
  readonly MessageAttributes: Record<string, { DataType: 'String' | 'Number' | 'String.Array'; StringValue: string }>;
}

interface Limits {
  email: EmailLimits;
  chat: ChatLimits;
  structured: StructuredLimits;
}

/**
 * Renders every channel and shrinks the listed findings and value lengths until the whole
 * message fits SNS's limit; each channel then says how many findings it left out.
 * `default` reaches SQS, Lambda and HTTP subscribers that have no body of their own; `https` is the
 * body Amazon Q Developer (Slack) receives.
 */
export function renderPublishInput(report: AlertReport, options: RenderOptions = {}): SnsPublishInput {
  let limits: Limits = { email: EMAIL_LIMITS, chat: CHAT_LIMITS, structured: STRUCTURED_LIMITS };
  for (;;) {
    const message = JSON.stringify({
      default: stringifyInert(renderStructuredMessage(report, limits.structured)),
      email: renderEmail(report, options, limits.email),
      https: stringifyInert(renderChatbotNotification(report, options, limits.chat)),
    });
    if (Buffer.byteLength(message, 'utf8') <= MAX_MESSAGE_BYTES || limits.structured.maxAlerts === 0) {
      return { Subject: subjectLine(report), Message: message, MessageStructure: 'json', MessageAttributes: attributes(report) };
    }
    limits = shrink(limits);
  }
}

const half = (n: number) => Math.floor(n / 2);

function shrink({ email, chat, structured }: Limits): Limits {
  return {
    email: { maxAlerts: half(email.maxAlerts), maxValueChars: Math.max(200, half(email.maxValueChars)) },
    chat: { maxAlerts: half(chat.maxAlerts), maxValueChars: Math.max(100, half(chat.maxValueChars)) },
    structured: { maxAlerts: half(structured.maxAlerts), maxValueChars: Math.max(256, half(structured.maxValueChars)) },
  };
}

/**
 * Attributes for subscription filter policies: severity, hunt ids, number of new findings. For one
 * schema version `huntIds` also carries the earlier ids the hunts were split from
 * (`dispatcher-child-process`), so that existing filter policies keep matching.
 */
function attributes(report: AlertReport): SnsPublishInput['MessageAttributes'] {
  const huntIds = reportHuntIds(report);
  return {
    kind: { DataType: 'String', StringValue: report.kind },
    severity: { DataType: 'String', StringValue: highestSeverity(report) },
    huntIds: { DataType: 'String.Array', StringValue: JSON.stringify(huntIds) },
    newFindings: { DataType: 'Number', StringValue: String(report.kind === 'new-findings' ? report.alerts.length : 0) },
  };
}
