import { ATTACK_IDS, type AttackId, type AttackManifestEntry } from './attack-manifest';
import { planAttack, type AttackPlan } from './attacks';
import { hostDayEvents } from './host-day';
import { createHost, type Host } from './hosts';
import { DAY_MS, buildSchedule, defaultAttackNight, type FleetNight, type Schedule } from './schedule';
import type { StoredEvent } from './stored-event';

export interface AttackChoice {
  readonly id: AttackId;
  /** Day index of the attack (default: the odd replay nights in turn). */
  readonly night?: number;
  /** Index of the host to attack (default: a suitable server chosen from the seed). */
  readonly hostIndex?: number;
}

export interface FleetOptions {
  readonly seed: string | number;
  /** Number of hosts. */
  readonly hosts: number;
  /** Days of events, each ending with a nightly run. @default 40 */
  readonly days?: number;
  /** The first days, read by a learning run; every benign thing first appears in them. @default days - 10, at least 1 */
  readonly historyDays?: number;
  /** The last nightly run: the end of the last day. @default 2026-11-24T02:00:00.000Z */
  readonly end?: Date | string;
  /** Attacks to mix in. @default 'all' */
  readonly attacks?: 'all' | 'none' | readonly (AttackId | AttackChoice)[];
  /** Decoy writes and decoy children of the decoy-flood attack. @default 150 */
  readonly decoys?: number;
}

export interface Fleet {
  readonly seed: string | number;
  readonly hosts: readonly Host[];
  /** One entry per day, saying which nights are history, churn or attack nights. */
  readonly nights: readonly FleetNight[];
  /** Ground truth of every attack mixed in, in night order. */
  readonly attacks: readonly AttackManifestEntry[];
  /** Every event, day by day and host by host (not time-sorted), generated as it is read. */
  events(): Iterable<StoredEvent>;
  /** The events whose @timestamp falls on `day` (some are ingested later: see ingestedBy). */
  eventsOfDay(day: number): Iterable<StoredEvent>;
  /** Replay nights with benign churn and no attack: a correct hunt publishes nothing on them. */
  benignChurnNights(): FleetNight[];
}

export const DEFAULT_END = '2026-11-24T02:00:00.000Z';

/**
 * A seeded, deterministic fleet of Elastic Defend events: the same options give the same events,
 * hosts are independent of fleet size, and cost is linear in hosts × days. Events are produced lazily,
 * one host-day at a time, so a fleet of 10,000 hosts over 30 days streams in bounded memory.
 */
export function generateFleet(options: FleetOptions): Fleet {
  const { seed, hostCount, days, historyDays, endMs, decoys, choices } = validate(options);
  const hosts = Array.from({ length: hostCount }, (_, i) => createHost(seed, i));
  const nightOf = new Map<AttackId, number>(choices.map((c, i) => [c.id, c.night ?? defaultAttackNight(i, days, historyDays)]));
  const schedule: Schedule = buildSchedule(endMs, days, historyDays, nightOf);
  const used = new Set<number>();
  const plans: AttackPlan[] = choices.map((choice) => {
    const day = nightOf.get(choice.id)!;
    return planAttack(choice.id, { seed, hosts, day, dayStartMs: schedule.startMs + day * DAY_MS, decoys, used, ...(choice.hostIndex !== undefined ? { hostIndex: choice.hostIndex } : {}) });
  });
  const plansByHost = new Map<number, AttackPlan[]>();
  for (const plan of plans) plansByHost.set(plan.hostIndex, [...(plansByHost.get(plan.hostIndex) ?? []), plan]);

  const eventsOfDay = function* (day: number): Generator<StoredEvent> {
    if (!Number.isInteger(day) || day < 0 || day >= days) throw new RangeError(`day must be an integer from 0 to ${days - 1}, got ${day}`);
    for (const host of hosts) yield* hostDayEvents({ seed, host, day, startMs: schedule.startMs + day * DAY_MS, schedule }, plansByHost.get(host.index) ?? []);
  };
  return {
    seed,
    hosts,
    nights: schedule.nights,
    attacks: plans.map((p) => p.manifest).sort((a, b) => a.night - b.night || a.id.localeCompare(b.id)),
    events: function* () {
      for (let day = 0; day < days; day++) yield* eventsOfDay(day);
    },
    eventsOfDay,
    benignChurnNights: () => schedule.nights.filter((n) => n.phase === 'replay' && n.churn.length > 0 && n.attacks.length === 0),
  };
}

function validate(options: FleetOptions) {
  const fail = (message: string): never => {
    throw new RangeError(`generateFleet: ${message}`);
  };
  const { seed } = options;
  if (typeof seed !== 'number' && typeof seed !== 'string') fail('seed must be a number or a string');
  const hostCount = options.hosts;
  if (!Number.isInteger(hostCount) || hostCount < 1) fail(`hosts must be a positive integer, got ${hostCount}`);
  const days = options.days ?? 40;
  if (!Number.isInteger(days) || days < 2) fail(`days must be an integer of at least 2, got ${days}`);
  const historyDays = options.historyDays ?? Math.max(1, days - 10);
  if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays >= days) fail(`historyDays must be an integer from 1 to days - 1 (${days - 1}), got ${historyDays}`);
  const endMs = Date.parse(String(options.end instanceof Date ? options.end.toISOString() : (options.end ?? DEFAULT_END)));
  if (Number.isNaN(endMs)) fail(`end is not a date: ${String(options.end)}`);
  const decoys = options.decoys ?? 150;
  if (!Number.isInteger(decoys) || decoys < 0) fail(`decoys must be a whole number, got ${decoys}`);
  const requested = options.attacks ?? 'all';
  const choices: AttackChoice[] = requested === 'all' ? ATTACK_IDS.map((id) => ({ id })) : requested === 'none' ? [] : requested.map((c) => (typeof c === 'string' ? { id: c } : c));
  const seen = new Set<string>();
  for (const choice of choices) {
    if (!ATTACK_IDS.includes(choice.id)) fail(`unknown attack "${choice.id}"; known: ${ATTACK_IDS.join(', ')}`);
    if (seen.has(choice.id)) fail(`attack "${choice.id}" is listed twice`);
    seen.add(choice.id);
    if (choice.night !== undefined && (!Number.isInteger(choice.night) || choice.night < historyDays || choice.night >= days)) fail(`attack "${choice.id}" night must be a replay night, ${historyDays} to ${days - 1}, got ${choice.night}`);
    if (choice.hostIndex !== undefined && (!Number.isInteger(choice.hostIndex) || choice.hostIndex < 0 || choice.hostIndex >= hostCount)) fail(`attack "${choice.id}" hostIndex must be from 0 to ${hostCount - 1}`);
  }
  return { seed, hostCount, days, historyDays, endMs, decoys, choices };
}
