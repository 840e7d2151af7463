import type { AlertReport } from '../core/alert-report';
import type { BaselineEntry } from '../core/baseline';
import type { RunLog } from '../core/nightly-run';
import type { Notifier } from '../core/ports';
import { inertText } from '../core/render/inert-text';
import { renderPublishInput } from '../core/render/publish-input';
import type { RenderOptions } from '../core/render/report-view';

export interface Output {
  write(text: string): void;
}

/** Progress for people, on stderr: one line per step. */
export function progressLog(err: Output): RunLog {
  const line = (level: string) => (message: string, details?: Record<string, unknown>) => {
    const shown = Object.entries(details ?? {})
      .filter(([key]) => key !== 'summary')
      .map(([key, value]) => `${key}=${typeof value === 'string' ? inertText(value, 300) : JSON.stringify(value)}`)
      .join(' ');
    err.write(`${level === 'info' ? '' : `${level.toUpperCase()}: `}${message}${shown ? ` (${shown})` : ''}\n`);
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
    const slack = JSON.parse(bodies.https) as { content: { title: string; description: string } };
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
        `[slack] ${slack.content.title}`,
        slack.content.description,
        rule,
        '',
      ].join('\n'),
    );
    return `printed-${++this.sequence}`;
  }
}

/** A fixed-width table of baseline entries for people. */
export function entriesTable(entries: readonly BaselineEntry[]): string {
  const rows = entries.map((e) => [
    e.fingerprint.slice(0, 16),
    e.status,
    e.huntId,
    e.lastSeen?.slice(0, 19) ?? '-',
    String(e.sightings),
    inertText(Object.values(e.identity).filter((v) => v !== null).join(' | '), 90),
  ]);
  const header = ['FINGERPRINT', 'STATUS', 'HUNT', 'LAST SEEN', 'RUNS', 'IDENTITY'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  return [format(header), ...rows.map(format)].join('\n') + '\n';
}
