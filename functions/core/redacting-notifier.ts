import type { Alert, AlertReport } from './alert-report';
import type { Notifier } from './ports';
import type { Redactor } from './redact';
import type { RunSummary } from './run-summary';

/**
 * Removes the connection's secrets from a report before it is published: a problem line quotes
 * Elasticsearch's reason, which a proxy may fill with the Basic header, and a command line on a host
 * may hold a password (`curl -u elastic:…`). Fingerprints and counts are left as they are.
 */
export class RedactingNotifier implements Notifier {
  constructor(
    private readonly inner: Notifier,
    private readonly secrets: Redactor,
  ) {}

  publish(report: AlertReport): Promise<string> {
    const summary = this.secrets.value(report.summary) as RunSummary;
    if (report.kind !== 'new-findings') return this.inner.publish({ ...report, summary });
    return this.inner.publish({ ...report, summary, alerts: report.alerts.map((alert) => this.alert(alert)) });
  }

  private alert(alert: Alert): Alert {
    const { entry } = alert;
    const text = (value: string) => this.secrets.text(value);
    return {
      ...alert,
      novelty: text(alert.novelty),
      entry: {
        ...entry,
        identity: Object.fromEntries(Object.entries(entry.identity).map(([field, value]) => [field, typeof value === 'string' ? text(value) : value])),
        hostNames: entry.hostNames.map(text),
        agentIds: entry.agentIds.map(text),
        context: Object.fromEntries(Object.entries(entry.context ?? {}).map(([name, values]) => [name, values.map(text)])),
      },
    };
  }
}
