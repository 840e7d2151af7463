import type { Alert, AlertReport } from '../alert-report';
import type { HuntDefinition, Severity } from '../hunts/hunt-definition';
import type { TriageTarget } from './triage-command';
import { maxSeverity } from '../severity/finding-severity';

/** Options every channel shares. */
export interface RenderOptions {
  /** Kibana base URL for Discover links, e.g. https://kibana.example.com. @default none */
  readonly kibanaUrl?: string;
  /** Where the deployment lives, shown in the footer (stack name, account). @default none */
  readonly deploymentLabel?: string;
  /** The baseline the printed CLI commands act on (the function's table and region). @default none: the CLI's environment */
  readonly triage?: TriageTarget;
}

export const PRODUCT = 'nm-dispatcher-hunt';

/** Rarest first: fewest agents, then fewest events, then most recent. */
export function rarestFirst(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      a.entry.agentCount - b.entry.agentCount ||
      a.entry.eventCount - b.entry.eventCount ||
      (b.entry.lastSeen ?? '').localeCompare(a.entry.lastSeen ?? '') ||
      a.entry.fingerprint.localeCompare(b.entry.fingerprint),
  );
}

/** Alerts grouped by hunt, in hunt order, each group rarest first. */
export function byHunt(alerts: readonly Alert[]): { hunt: HuntDefinition; alerts: Alert[] }[] {
  const groups = new Map<string, { hunt: HuntDefinition; alerts: Alert[] }>();
  for (const alert of rarestFirst(alerts)) {
    const group = groups.get(alert.hunt.id) ?? { hunt: alert.hunt, alerts: [] };
    group.alerts.push(alert);
    groups.set(alert.hunt.id, group);
  }
  return [...groups.values()];
}

export function highestSeverity(report: AlertReport): Severity | 'info' {
  if (report.kind !== 'new-findings' || report.alerts.length === 0) return 'info';
  return report.alerts.reduce<Severity>((max, a) => maxSeverity(max, a.severity), 'low');
}

/** `high (reverse shell over /dev/tcp; interactive shell)` or `medium`: the severity and why. */
export const severityText = (alert: Alert): string =>
  alert.indicators.length > 0 ? `${alert.severity} (${alert.indicators.map((i) => i.title).join('; ')})` : alert.severity;

/** Identity fields worth showing: those with a value (a write finding has no hash, a content finding no writer). */
export const shownIdentityFields = (alert: Alert): string[] => {
  const present = alert.hunt.identityFields.filter((f) => alert.entry.identity[f] !== null && alert.entry.identity[f] !== undefined);
  return present.length > 0 ? present : [...alert.hunt.identityFields];
};

/** Ids of the hunts in a report, with the earlier ids they were split from, for subscription filters. */
export function reportHuntIds(report: AlertReport): string[] {
  if (report.kind !== 'new-findings') return [];
  return [...new Set(report.alerts.flatMap((a) => [a.hunt.id, ...a.hunt.aliases]))];
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The subject line: our own words only (no attacker text), printable ASCII, at most 100 characters. */
export function subjectLine(report: AlertReport): string {
  const subject =
    report.kind === 'baseline-initialised'
      ? `[${PRODUCT}] baseline initialised: ${plural(report.summary.totals.learned, 'entry', 'entries')}`
      : report.kind === 'problems'
        ? `[${PRODUCT}] no new findings, ${plural(report.summary.problems.length, 'problem')} (${report.summary.hunts.filter((h) => h.truncated).map((h) => h.huntId).join(', ')} cut)`
        : `[${PRODUCT}] ${plural(report.alerts.length, 'new finding')}, ${highestSeverity(report)}: ${[...new Set(report.alerts.map((a) => a.hunt.id.replace(/^dispatcher-/, '')))].join(', ')}`;
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}
