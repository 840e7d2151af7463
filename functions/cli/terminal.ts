import type { AlertReport } from '../core/alert-report';
import type { BaselineEntry } from '../core/baseline';
import type { RunLog } from '../core/nightly-run';
import type { Notifier } from '../core/ports';
import { escapeInvisible, stringifyInert } from '../core/invisible-text';
import { Redactor } from '../core/redact';
import { inertText, nonAsciiNote } from '../core/render/inert-text';
import { renderPublishInput } from '../core/render/publish-input';
import type { RenderOptions } from '../core/render/report-view';

export interface Output {
  write(text: string): void;
}

/** Progress for people, on stderr: one line per step, secrets redacted, values inert. */
export function progressLog(err: Output, secrets: Redactor = new Redactor()): RunLog {
  const line = (level: string) => (message: string, details?: Record<string, unknown>) => {
    const shown = Object.entries(details ?? {})
      .filter(([key, value]) => key !== 'summary' && value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? inertText(secrets.text(value), 300) : stringifyInert(secrets.value(value))}`)
      .join(' ');
    err.write(`${level === 'info' ? '' : `${level.toUpperCase()}: `}${escapeInvisible(secrets.text(message))}${shown ? ` (${shown})` : ''}\n`);
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** Prints what SNS would deliver, per channel, instead of publishing it. */
export class PrintingNotifier implements Notifier {
  private sequence = 0;
  constructor(
    private readonly out: Output,
    private readonly options: RenderOptions = {},
    private readonly label = 'would publish',
  ) {}

  async publish(report: AlertReport): Promise<string> {
    const input = renderPublishInput(report, this.options);
    const bodies = JSON.parse(input.Message) as { email: string; https: string };
    const slack = JSON.parse(bodies.https) as { content: { title: string; description: string; nextSteps: string[] } };
    const rule = '─'.repeat(78);
    this.out.write(
      [
        rule,
        `SNS message (${this.label}) · ${Buffer.byteLength(input.Message)} bytes · attributes ${Object.entries(input.MessageAttributes).map(([k, v]) => `${k}=${v.StringValue}`).join(' ')}`,
        rule,
        `[email] Subject: ${input.Subject}`,
        '',
        bodies.email,
        '',
        `[slack] ${asSlackShows(slack.content.title)}`,
        asSlackShows(slack.content.description),
        ...(slack.content.nextSteps.length > 0 ? ['[slack] next steps:', ...slack.content.nextSteps.map((step) => `  • ${asSlackShows(step)}`)] : []),
        rule,
        '',
      ].join('\n'),
    );
    return `printed-${++this.sequence}`;
  }
}

/** Slack's three entities decoded, as the channel shows the text (values stay inert: they were escaped before). */
const asSlackShows = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** One line per entry, every identity field named, for a confirmation that must show exactly what it changes. */
export function entriesList(entries: readonly BaselineEntry[], options: { status?: boolean } = {}): string {
  return entries
    .map((e) => {
      const fields = Object.entries(e.identity).map(([field, value]) => `${field}=${value === null || value === undefined ? '(none)' : identityValue(value)}`);
      return `  ${e.fingerprint}  ${e.huntId}  ${options.status ? `${e.status}  ` : ''}${fields.join('  ')}\n`;
    })
    .join('');
}

function identityValue(value: string): string {
  const note = nonAsciiNote(value);
  return note ? `${inertText(value, 300)} ${note}` : inertText(value, 300);
}
