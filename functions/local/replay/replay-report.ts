import type { AttackManifestEntry } from '../fleet';
import type { Replay, ReplayAlert, ReplayNight } from './fleet-replay';

/**
 * Which attack an alert is about, judged on ground truth: seen on the attacked host, and naming its
 * script, a path it wrote or a command it ran, on or after its night (benign runs of the same script
 * elsewhere, or before the attack, are not it).
 */
export function attackOf(alert: ReplayAlert, day: number, attacks: readonly AttackManifestEntry[]): AttackManifestEntry | 'decoy' | undefined {
  const values = new Set(Object.values(alert.identity).filter((v): v is string => v !== null));
  const attack = attacks.find(
    (a) => day >= a.night && alert.agentIds.includes(a.host.agentId) && (values.has(a.script) || a.writes.some((w) => values.has(w.path)) || a.children.some((c) => values.has(c.commandLine) || (values.has(c.executable) && values.has(c.reportedParentExecutable)))),
  );
  if (attack) return attack;
  const decoys = attacks.find((a) => a.decoys && (values.has(a.decoys.writer) || values.has(a.decoys.childExecutable)));
  return decoys ? 'decoy' : undefined;
}

export interface NightFigures {
  readonly day: number;
  readonly phase: string;
  readonly churn: string;
  readonly attacksStarting: string;
  readonly rows: Readonly<Record<string, number>>;
  readonly truncated: readonly string[];
  readonly learned: number;
  readonly alerts: number;
  readonly attackAlerts: Readonly<Record<string, number>>;
  readonly decoyAlerts: number;
  /** Alerts no attack explains: false positives. */
  readonly benignAlerts: number;
  readonly outcome: string;
}

export interface ReplayFigures {
  readonly nights: readonly NightFigures[];
  /** Per attack: the days whose message named it. Exactly one day, the attack's night, is right. */
  readonly attackNights: Readonly<Record<string, readonly number[]>>;
  readonly alertedExactlyOnce: readonly string[];
  readonly missed: readonly string[];
  readonly repeated: readonly string[];
  /** Alerted on one night, but not the attack's own. */
  readonly wrongNight: readonly string[];
  readonly benignChurnAlerts: number;
  readonly evaluatorMs: number;
  readonly handlerMs: number;
}

export function replayFigures(replay: Replay): ReplayFigures {
  const attacks = replay.fleet.attacks;
  const attackNights: Record<string, number[]> = Object.fromEntries(attacks.map((a) => [a.id, []]));
  const nights = replay.nights.map((n) => nightFigures(n, attacks, attackNights));
  const churnDays = new Set(replay.fleet.benignChurnNights().map((n) => n.day));
  return {
    nights,
    attackNights,
    alertedExactlyOnce: attacks.filter((a) => attackNights[a.id]!.length === 1 && attackNights[a.id]![0] === a.night).map((a) => a.id),
    missed: attacks.filter((a) => attackNights[a.id]!.length === 0).map((a) => a.id),
    repeated: attacks.filter((a) => attackNights[a.id]!.length > 1).map((a) => a.id),
    wrongNight: attacks.filter((a) => attackNights[a.id]!.length === 1 && attackNights[a.id]![0] !== a.night).map((a) => a.id),
    benignChurnAlerts: nights.filter((n) => churnDays.has(n.day)).reduce((sum, n) => sum + n.alerts, 0),
    evaluatorMs: replay.nights.reduce((sum, n) => sum + n.queries.reduce((s, q) => s + q.evaluatorMs, 0), 0),
    handlerMs: replay.nights.reduce((sum, n) => sum + n.handlerMs, 0),
  };
}

function nightFigures(n: ReplayNight, attacks: readonly AttackManifestEntry[], attackNights: Record<string, number[]>): NightFigures {
  const attackAlerts: Record<string, number> = {};
  let decoyAlerts = 0;
  let benignAlerts = 0;
  for (const alert of n.alerts) {
    const attack = attackOf(alert, n.night.day, attacks);
    if (attack === 'decoy') decoyAlerts++;
    else if (attack === undefined) benignAlerts++;
    else attackAlerts[attack.id] = (attackAlerts[attack.id] ?? 0) + 1;
  }
  for (const id of Object.keys(attackAlerts)) attackNights[id]!.push(n.night.day);
  return {
    day: n.night.day,
    phase: n.summary.learning ? 'learning' : n.night.phase,
    churn: n.night.churn.join(', '),
    attacksStarting: n.night.attacks.join(', '),
    rows: Object.fromEntries(n.summary.hunts.map((h) => [h.huntId, h.rows])),
    truncated: n.summary.hunts.filter((h) => h.truncated).map((h) => h.huntId),
    learned: n.summary.totals.learned,
    alerts: n.alerts.length,
    attackAlerts,
    decoyAlerts,
    benignAlerts,
    outcome: n.summary.outcome,
  };
}

/** A Markdown table of the nights, for the test's output and the benchmarks. */
export function replayTable(figures: ReplayFigures): string {
  const huntIds = [...new Set(figures.nights.flatMap((n) => Object.keys(n.rows)))];
  const header = ['day', 'night', ...huntIds.map((id) => `rows ${id}`), 'learned', 'alerts', 'attack alerts', 'decoy', 'benign', 'outcome'];
  const lines = figures.nights.map((n) => [
    String(n.day),
    [n.phase, n.churn && `churn: ${n.churn}`, n.attacksStarting && `attacks: ${n.attacksStarting}`].filter(Boolean).join('; '),
    ...huntIds.map((id) => `${n.rows[id] ?? 0}${n.truncated.includes(id) ? ' (cut)' : ''}`),
    String(n.learned),
    String(n.alerts),
    Object.entries(n.attackAlerts).map(([id, count]) => `${id} ×${count}`).join(', ') || '—',
    String(n.decoyAlerts),
    String(n.benignAlerts),
    n.outcome,
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
