import type { AttackPlan } from './attacks';
import { isTriggeredBy, type DispatcherScript } from './dispatcher-scripts';
import { EventFactory, basename, type ProcessImage } from './event-factory';
import { writtenDay, benignWrites } from './file-activity';
import { networkBursts, type Burst, type HostDay } from './network-activity';
import { Random } from './random';
import { DAY_MS, HOUR_MS, lateStretches } from './schedule';
import { runScript } from './script-run';
import type { StoredEvent } from './stored-event';

const SYSTEMD: ProcessImage = Object.freeze({ pid: 1, entityId: 'systemd', executable: '/usr/lib/systemd/systemd', name: 'systemd', args: Object.freeze(['/sbin/init', 'splash']) });

interface ActiveScript {
  readonly script: DispatcherScript;
  readonly sinceMs: number;
}

/** Every event of one host on one day, benign and (if any) attack; ingested on time or, for travellers, late. */
export function hostDayEvents(hostDay: HostDay, attacks: readonly AttackPlan[]): StoredEvent[] {
  const { host, day } = hostDay;
  const random = new Random(hostDay.seed, 'day', host.index, day);
  const arrivalMs = lateArrival(hostDay);
  const ingestion = (atMs: number) => {
    const onTime = atMs + 800 + (Math.floor(atMs / 7) % 40_000);
    return arrivalMs === undefined ? onTime : Math.max(onTime, arrivalMs + (Math.floor(atMs / 13) % 600_000));
  };
  const factory = new EventFactory(host, random, ingestion);
  const out: StoredEvent[] = [];

  const scripts = activeScripts(hostDay, attacks);
  const bursts: Burst[] = [...networkBursts(hostDay, random), ...attacks.filter((a) => a.day === day).flatMap((a) => a.bursts)].sort((a, b) => a.atMs - b.atMs);
  let dispatcher: ProcessImage | undefined;
  let idleSince = -Infinity;
  for (const burst of bursts) {
    // nm-dispatcher is started by D-Bus activation and exits when idle.
    if (!dispatcher || burst.atMs - idleSince > 10_000) {
      dispatcher = factory.spawn(host.os.nmDispatcher, [host.os.nmDispatcher], 'nm-dispatcher');
      out.push(factory.exec(burst.atMs - 40, dispatcher, SYSTEMD));
    }
    let t = burst.atMs;
    for (const { script, sinceMs } of scripts) {
      if (sinceMs > burst.atMs || !isTriggeredBy(script.path, burst.action)) continue;
      t = runScript(factory, script, host.shape, dispatcher, burst.iface, burst.action, t + random.int(1, 8), out);
    }
    idleSince = t;
  }

  const writes = { factory, out };
  benignWrites(hostDay, writes);
  for (const attack of attacks) if (attack.day === day) attack.writes(writes);
  background(hostDay, factory, out);
  return out;
}

/** Host scripts (once written) and attack scripts (from their start), in the order nm-dispatcher runs them. */
function activeScripts(hostDay: HostDay, attacks: readonly AttackPlan[]): ActiveScript[] {
  const { host, day, startMs, schedule } = hostDay;
  const replaced = new Map<string, number>();
  const fromAttacks: ActiveScript[] = [];
  const endMs = startMs + DAY_MS;
  for (const attack of attacks) {
    const active = attack.scripts.filter((s) => s.sinceMs < endMs);
    fromAttacks.push(...active);
    if (attack.replaces && active.length > 0) replaced.set(attack.replaces, Math.min(...active.map((s) => s.sinceMs)));
  }
  const own: ActiveScript[] = [];
  for (const installed of host.scripts) {
    const written = writtenDay(installed, schedule.historyDays);
    if (written !== undefined && written >= day) continue;
    const until = replaced.get(installed.script.path);
    if (until !== undefined && until <= startMs) continue;
    own.push({ script: until === undefined ? installed.script : untilScript(installed.script, until), sinceMs: -Infinity });
  }
  // NetworkManager sorts the scripts of both trees by file name.
  return [...own, ...fromAttacks].sort((a, b) => basename(a.script.path).localeCompare(basename(b.script.path)));
}

/** The host's own copy of a script an attack rewrites runs until the rewrite. */
function untilScript(script: DispatcherScript, untilMs: number): DispatcherScript {
  return { ...script, run: (iface, action, atMs) => (atMs < untilMs ? script.run(iface, action, atMs) : []) };
}

/** When a traveller's events of this day reach the cluster, if late. */
function lateArrival(hostDay: HostDay): number | undefined {
  if (!hostDay.host.travels) return undefined;
  for (const stretch of lateStretches(hostDay.schedule)) {
    if (hostDay.day >= stretch.from && hostDay.day <= stretch.arrival) {
      return hostDay.schedule.startMs + stretch.arrival * DAY_MS + new Random(hostDay.seed, 'late', hostDay.host.index, stretch.arrival).int(1, 18) * HOUR_MS;
    }
  }
  return undefined;
}

/** A daily cron job: process events the hunts' WHERE clauses must drop. */
function background(hostDay: HostDay, factory: EventFactory, out: StoredEvent[]): void {
  const { host, startMs } = hostDay;
  const cron = factory.spawn(host.os.family === 'debian' ? '/usr/sbin/cron' : '/usr/sbin/crond', [host.os.family === 'debian' ? '/usr/sbin/cron' : '/usr/sbin/crond', '-f']);
  const job = factory.spawn(host.os.sh, ['/bin/sh', '-c', 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }'], basename(host.os.sh));
  out.push(factory.exec(startMs + 4 * HOUR_MS + factory.random.int(0, 600_000), job, cron));
}
