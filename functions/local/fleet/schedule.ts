import type { AttackId } from './attack-manifest';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Benign changes that make a night differ from the ones before it without anything new being
 * installed: on such a night a hunt that identifies findings correctly publishes nothing.
 * - new-interfaces: a dock rollout gives a third of the laptops a new USB Ethernet adapter (new enx name);
 * - new-actions: some servers join the site-to-site VPN, so their scripts see vpn-up/vpn-down for the first time;
 * - package-upgrade: network-manager and chrony upgrades rewrite stock scripts through dpkg, dnf and dnf5;
 * - container-builds: a release week quadruples image builds on the CI runners that already build;
 * - late-events: laptops back from travel deliver several days of events at once;
 * - config-management: Ansible, Puppet and Chef redeploy the scripts they already manage.
 * Each also happens once during the history, so nothing on a churn night is new to the fleet.
 */
export type ChurnKind = 'new-interfaces' | 'new-actions' | 'package-upgrade' | 'container-builds' | 'late-events' | 'config-management';
export const CHURN_KINDS: readonly ChurnKind[] = ['late-events', 'package-upgrade', 'new-interfaces', 'container-builds', 'new-actions', 'config-management'];

/** One day of events and the nightly run at its end. */
export interface FleetNight {
  /** 0-based day of the generated window. */
  readonly day: number;
  /** First instant of the day's events. */
  readonly startsAt: string;
  /** When the nightly run at the end of the day runs: it sees events ingested by then. */
  readonly runAt: string;
  /** history: the days a first (learning) run reads; replay: the nights a replay checks one by one. */
  readonly phase: 'history' | 'replay';
  /** Benign churn that happens on this day (see ChurnKind). */
  readonly churn: readonly ChurnKind[];
  /** Attacks whose first events fall on this day. */
  readonly attacks: readonly AttackId[];
}

export interface Schedule {
  readonly startMs: number;
  readonly days: number;
  readonly historyDays: number;
  readonly nights: readonly FleetNight[];
  /** The day each churn happens on during the history, and during the replay if there is room. */
  readonly historyChurnDay: Readonly<Record<ChurnKind, number>>;
  readonly replayChurnDay: Readonly<Partial<Record<ChurnKind, number>>>;
}

/**
 * Replay nights alternate: even offsets carry churn, odd offsets attacks (all on the first replay
 * night when there is only one), so that a replay can tell a benign night from an attacked one.
 */
export function buildSchedule(endMs: number, days: number, historyDays: number, attackNights: ReadonlyMap<AttackId, number>): Schedule {
  const startMs = endMs - days * DAY_MS;
  const replayDays = days - historyDays;
  const historyChurnDay = Object.fromEntries(CHURN_KINDS.map((kind, i) => [kind, Math.min(historyDays - 1, Math.floor(historyDays * (0.15 + 0.1 * i)))])) as Record<ChurnKind, number>;
  const churnOffsets = Array.from({ length: Math.ceil(replayDays / 2) }, (_, i) => i * 2);
  const replayChurnDay: Partial<Record<ChurnKind, number>> = {};
  CHURN_KINDS.forEach((kind, i) => {
    if (churnOffsets.length > 0) replayChurnDay[kind] = historyDays + churnOffsets[i % churnOffsets.length]!;
  });
  const nights: FleetNight[] = Array.from({ length: days }, (_, day) => ({
    day,
    startsAt: new Date(startMs + day * DAY_MS).toISOString(),
    runAt: new Date(startMs + (day + 1) * DAY_MS).toISOString(),
    phase: day < historyDays ? 'history' : 'replay',
    churn: CHURN_KINDS.filter((kind) => historyChurnDay[kind] === day || replayChurnDay[kind] === day),
    attacks: [...attackNights].filter(([, night]) => night === day).map(([id]) => id),
  }));
  return { startMs, days, historyDays, nights, historyChurnDay, replayChurnDay };
}

/** The default night of the i-th attack: odd replay offsets in turn, or the first replay night. */
export function defaultAttackNight(i: number, days: number, historyDays: number): number {
  const odd = Array.from({ length: Math.floor((days - historyDays) / 2) }, (_, k) => historyDays + 1 + k * 2);
  return odd.length > 0 ? odd[i % odd.length]! : historyDays;
}

export const churnDays = (schedule: Schedule, kind: ChurnKind): number[] =>
  [schedule.historyChurnDay[kind], schedule.replayChurnDay[kind]].filter((d): d is number => d !== undefined);

/** A traveller's events from `from` up to the end of `arrival` reach the cluster during day `arrival`. */
export interface LateStretch {
  readonly from: number;
  readonly arrival: number;
}

/** The stretches in which a travelling laptop's events arrive late: one per late-events day. */
export function lateStretches(schedule: Schedule): LateStretch[] {
  return churnDays(schedule, 'late-events').map((arrival) => ({ from: Math.max(0, arrival - 4), arrival }));
}

export { HOUR_MS };
