import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ATTACK_IDS } from '../functions/local/fleet/attack-manifest';
import { generateFleet, type FleetOptions } from '../functions/local/fleet/fleet';
import { CHURN_KINDS } from '../functions/local/fleet/schedule';
import { FILE_INDEX, PROCESS_INDEX, ingestedBy, type StoredEvent } from '../functions/local/fleet/stored-event';

/** A value at a dotted path of a nested `_source`. */
function field(source: Record<string, unknown>, path: string): unknown {
  let value: unknown = source;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
const text = (source: Record<string, unknown>, path: string) => field(source, path) as string | undefined;
const list = (source: Record<string, unknown>, path: string) => (field(source, path) ?? []) as string[];

function digest(events: Iterable<StoredEvent>): { sha256: string; count: number } {
  const hash = createHash('sha256');
  let count = 0;
  for (const event of events) {
    hash.update(JSON.stringify(event)).update('\n');
    count++;
  }
  return { sha256: hash.digest('hex'), count };
}

const DISPATCHER = /^\/(etc|usr\/lib)\/NetworkManager\/dispatcher\.d\//;
const INTERPRETERS = /^\/usr\/(bin|libexec)\/(dash|bash|python3\.\d+|env)$/;
const DAY_MS = 86_400_000;

// One CI fleet, read once: 120 hosts over 12 days (8 of history, 4 replay nights), every attack.
const OPTIONS: FleetOptions = { seed: 'ci', hosts: 120, days: 12, historyDays: 8, decoys: 120 };
const fleet = generateFleet(OPTIONS);
const attackHosts = new Set(fleet.attacks.map((a) => a.host.name));
const seen = {
  process: 0,
  file: 0,
  badShapes: [] as string[],
  late: [] as { host: string; delayMs: number }[],
  scriptShape: 0,
  interpreterShape: 0,
  interpreterChildren: 0,
  interfaces: new Set<string>(),
  actions: new Set<string>(),
  folders: new Set<string>(),
  writers: new Set<string>(),
  containerWrites: 0,
  attackEvents: [] as StoredEvent[],
};

function checkShape(event: StoredEvent): string | undefined {
  const s = event.source;
  const common = ['@timestamp', 'event.ingested', 'event.action', 'event.kind', 'host.name', 'host.os.type', 'agent.id', 'user.name', 'process.executable', 'process.name', 'process.pid', 'process.entity_id'];
  for (const path of common) if (field(s, path) === undefined) return `missing ${path}`;
  if (text(s, 'host.os.type') !== 'linux') return 'host.os.type is not linux';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(text(s, 'agent.id')!)) return 'agent.id is not a uuid';
  if (Date.parse(text(s, 'event.ingested')!) < Date.parse(text(s, '@timestamp')!)) return 'ingested before it happened';
  if (!Array.isArray(field(s, 'event.type')) || !Array.isArray(field(s, 'event.category'))) return 'event.type and event.category must be arrays';
  if (event.index === PROCESS_INDEX) {
    if (list(s, 'event.type').join() !== 'start' || list(s, 'event.category').join() !== 'process') return 'process event type/category';
    for (const prefix of ['process', 'process.parent']) {
      const args = field(s, `${prefix}.args`);
      if (!Array.isArray(args) || args.length === 0) return `${prefix}.args must be a non-empty array`;
      if (text(s, `${prefix}.command_line`) !== args.join(' ')) return `${prefix}.command_line must be the arguments joined`;
      if (field(s, `${prefix}.args_count`) !== args.length) return `${prefix}.args_count`;
      if (!text(s, `${prefix}.executable`) || !text(s, `${prefix}.name`)) return `${prefix} executable and name`;
    }
    return undefined;
  }
  if (event.index !== FILE_INDEX) return `unknown index ${event.index}`;
  const action = text(s, 'event.action');
  const expectedType = { creation: 'creation', modification: 'change', rename: 'change', deletion: 'deletion' }[action as string];
  if (!expectedType || list(s, 'event.type').join() !== expectedType || list(s, 'event.category').join() !== 'file') return `file event ${action} type ${list(s, 'event.type')}`;
  const path = text(s, 'file.path')!;
  if (text(s, 'file.name') !== path.slice(path.lastIndexOf('/') + 1)) return 'file.name is not the last path segment';
  const hasHash = field(s, 'file.hash.sha256') !== undefined;
  const hasCommandLine = field(s, 'process.command_line') !== undefined;
  if (action === 'rename' && (hasHash || hasCommandLine || !text(s, 'file.Ext.original.path'))) return 'a rename carries the original path and neither hash nor command line';
  if (action === 'modification' && !/^[0-9a-f]{64}$/.test(text(s, 'file.hash.sha256') ?? '')) return 'a modification carries a sha256';
  if ((action === 'creation' || action === 'modification') && !hasCommandLine) return 'creation and modification carry the command line';
  return undefined;
}

for (const event of fleet.events()) {
  const s = event.source;
  const problem = checkShape(event);
  if (problem && seen.badShapes.length < 5) seen.badShapes.push(`${problem}: ${JSON.stringify(s).slice(0, 300)}`);
  if (attackHosts.has(text(s, 'host.name')!)) seen.attackEvents.push(event);
  const delayMs = Date.parse(text(s, 'event.ingested')!) - Date.parse(text(s, '@timestamp')!);
  if (delayMs > 2 * DAY_MS) seen.late.push({ host: text(s, 'host.name')!, delayMs });
  if (event.index === PROCESS_INDEX) {
    seen.process++;
    const executable = text(s, 'process.executable')!;
    const args = list(s, 'process.args');
    if (text(s, 'process.parent.name') === 'nm-dispatcher') {
      const scriptArg = args.findIndex((a) => DISPATCHER.test(a));
      if (DISPATCHER.test(executable)) seen.scriptShape++;
      else if (INTERPRETERS.test(executable) && scriptArg > 0) seen.interpreterShape++;
      const script = DISPATCHER.test(executable) ? executable : args[scriptArg];
      if (script && scriptArg <= 0 ? true : script !== undefined) {
        const at = DISPATCHER.test(executable) ? 0 : scriptArg;
        if (script) {
          seen.folders.add(script.slice(0, script.lastIndexOf('/') + 1));
          seen.interfaces.add(args[at + 1] ?? '');
          seen.actions.add(args[at + 2] ?? '');
        }
      }
    } else if (INTERPRETERS.test(text(s, 'process.parent.executable')!) && list(s, 'process.parent.args').some((a) => DISPATCHER.test(a))) {
      seen.interpreterChildren++;
    }
  } else {
    seen.file++;
    const path = text(s, 'file.path')!;
    if (!DISPATCHER.test(path)) continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const pattern = name.endsWith('.dpkg-new')
      ? '.dpkg-new'
      : name.includes(';')
        ? ';rpm'
        : name.startsWith('.ansible_tmp')
          ? '.ansible_tmp'
          : name.startsWith('.chef-')
            ? '.chef-'
            : name.endsWith('.swp')
              ? '.swp'
              : name.endsWith('~')
                ? '~'
                : name.startsWith('sed')
                  ? 'sed'
                  : 'plain';
    seen.writers.add(`${text(s, 'event.action')} ${text(s, 'process.executable')} ${pattern}`);
    if (field(s, 'container.id') !== undefined) seen.containerWrites++;
  }
}

describe('the fleet generator', () => {
  it('gives the same events for the same seed and other events for another seed', () => {
    const small: FleetOptions = { seed: 1, hosts: 40, days: 5, historyDays: 3 };
    const first = digest(generateFleet(small).events());
    assert.deepEqual(digest(generateFleet(small).events()), first);
    assert.notEqual(digest(generateFleet({ ...small, seed: 2 }).events()).sha256, first.sha256);
    assert.ok(first.count > 5_000, `a small fleet still has events (${first.count})`);
  });

  it('generates each host independently of the fleet size, so the event count grows linearly with hosts', () => {
    const options = { seed: 'linear', days: 5, historyDays: 3, attacks: 'none' } as const;
    const half = generateFleet({ ...options, hosts: 60 });
    const full = generateFleet({ ...options, hosts: 120 });
    const firstHalf = new Set(half.hosts.map((h) => h.name));
    const halfDigest = digest(half.events());
    const prefix = digest((function* () {
      for (const event of full.events()) if (firstHalf.has(text(event.source, 'host.name')!)) yield event;
    })());
    assert.deepEqual(prefix, halfDigest, 'the first 60 hosts of 120 have exactly the events of a 60-host fleet');
    const ratio = digest(full.events()).count / halfDigest.count;
    assert.ok(ratio > 1.7 && ratio < 2.3, `twice the hosts, about twice the events (ratio ${ratio.toFixed(2)})`);
  });

  it('streams: the first events of 10,000 hosts over 30 days come without generating the rest', () => {
    const big = generateFleet({ seed: 'big', hosts: 10_000, days: 30, attacks: 'none' });
    let taken = 0;
    for (const _event of big.events()) if (++taken === 500) break;
    assert.equal(taken, 500);
    assert.equal(big.hosts.length, 10_000);
  });

  it('writes every event in the shape Elastic Defend stores it', () => {
    assert.deepEqual(seen.badShapes, []);
    assert.ok(seen.process > 10_000 && seen.file > 500, `process ${seen.process}, file ${seen.file}`);
  });

  it('reports scripts in both shapes: as the executable, and as an argument of their interpreter with children under it', () => {
    assert.ok(seen.scriptShape > 100, `script as executable: ${seen.scriptShape}`);
    assert.ok(seen.interpreterShape > 100, `interpreter with the script in its arguments: ${seen.interpreterShape}`);
    assert.ok(seen.interpreterChildren > 50, `children whose parent is the interpreter: ${seen.interpreterChildren}`);
  });

  it('runs scripts of both dispatcher trees and their subfolders, with interfaces and actions that vary', () => {
    for (const folder of ['/etc/NetworkManager/dispatcher.d/', '/usr/lib/NetworkManager/dispatcher.d/', '/etc/NetworkManager/dispatcher.d/pre-up.d/', '/etc/NetworkManager/dispatcher.d/pre-down.d/', '/etc/NetworkManager/dispatcher.d/no-wait.d/', '/usr/lib/NetworkManager/dispatcher.d/pre-up.d/']) {
      assert.ok(seen.folders.has(folder), `scripts run from ${folder}`);
    }
    for (const action of ['up', 'down', 'pre-up', 'pre-down', 'vpn-up', 'vpn-down', 'dhcp4-change', 'connectivity-change', 'hostname']) assert.ok(seen.actions.has(action), `action ${action}`);
    for (const family of [/^enx[0-9a-f]{12}$/, /^wl(p|o)/, /^tun\d$/, /^wg\d$/, /^br-[0-9a-f]{12}$/, /^veth[0-9a-f]{7}$/, /^docker0$/, /^none$/, /^$/]) {
      assert.ok([...seen.interfaces].some((i) => family.test(i)), `an interface like ${family}`);
    }
    assert.ok([...seen.interfaces].filter((i) => i.startsWith('veth')).length > 50, 'veth names change with every container');
  });

  it('writes dispatcher files the way package managers, configuration management, image builds and editors do', () => {
    const expected = [
      'creation /usr/bin/dpkg .dpkg-new',
      'rename /usr/bin/dpkg plain',
      'rename /usr/bin/dnf5 plain',
      'creation /kaniko/executor plain',
      'creation /proc/self/exe plain',
      'creation /usr/bin/vim.basic .swp',
      'rename /opt/puppetlabs/puppet/bin/ruby plain',
      'creation /opt/chef/embedded/bin/ruby .chef-',
      'rename /usr/bin/sed plain',
    ];
    for (const writer of expected) assert.ok(seen.writers.has(writer), `a write like "${writer}"`);
    assert.ok([...seen.writers].some((w) => /^rename \/usr\/bin\/(vim|vim\.basic|emacs|emacs-nox) ~$/.test(w)), "an editor's backup rename to name~");
    assert.ok([...seen.writers].some((w) => /^creation \/usr\/bin\/python3\.\d+ \.ansible_tmp$/.test(w)), 'Ansible stages .ansible_tmp files through python');
    assert.ok([...seen.writers].some((w) => /^rename \/usr\/(bin\/python3\.\d+|libexec\/platform-python) (plain|;rpm)$/.test(w)), 'python renames files into place');
    assert.ok(seen.containerWrites > 0, 'image builds carry container.id');
  });

  it('has laptops whose events arrive days late, and a replay night on which they arrive', () => {
    assert.ok(seen.late.length > 100, `late events: ${seen.late.length}`);
    assert.ok(seen.late.every((l) => l.host.startsWith('lt-')), 'only laptops travel');
    assert.ok(Math.max(...seen.late.map((l) => l.delayMs)) > 4 * DAY_MS);
    const lateNight = fleet.nights.find((n) => n.phase === 'replay' && n.churn.includes('late-events'))!;
    const before = new Date(Date.parse(lateNight.runAt) - DAY_MS);
    const arriving = seen.late.length > 0 && [...fleet.eventsOfDay(lateNight.day - 1)].filter((e) => !ingestedBy(e, before) && ingestedBy(e, new Date(lateNight.runAt)));
    assert.ok(arriving && arriving.length > 50, 'the previous day of travellers is visible only from the late-events night');
  });

  it('labels nights: history, benign churn nights covering every kind, and attack nights', () => {
    assert.equal(fleet.nights.length, 12);
    assert.deepEqual(fleet.nights.map((n) => n.phase), [...Array(8).fill('history'), ...Array(4).fill('replay')]);
    const churn = fleet.benignChurnNights();
    assert.ok(churn.length > 0 && churn.every((n) => n.attacks.length === 0));
    assert.deepEqual(new Set(churn.flatMap((n) => n.churn)), new Set(CHURN_KINDS));
    assert.deepEqual(new Set(fleet.nights.filter((n) => n.phase === 'history').flatMap((n) => n.churn)), new Set(CHURN_KINDS), 'every churn kind also happens during the history');
    assert.deepEqual(fleet.nights.flatMap((n) => n.attacks).sort(), [...ATTACK_IDS].sort());
  });
});

describe('the attack variants', () => {
  it('each appears exactly once in the manifest, on a replay night that lists it, on a host of the fleet', () => {
    assert.deepEqual(fleet.attacks.map((a) => a.id).sort(), [...ATTACK_IDS].sort());
    for (const attack of fleet.attacks) {
      assert.equal(fleet.nights[attack.night]?.phase, 'replay', attack.id);
      assert.ok(fleet.nights[attack.night]!.attacks.includes(attack.id), attack.id);
      const host = fleet.hosts.find((h) => h.name === attack.host.name)!;
      assert.equal(host.agentId, attack.host.agentId);
      assert.equal(host.shape, attack.host.shape);
      assert.ok(DISPATCHER.test(attack.script), attack.id);
      assert.ok(['high', 'medium'].includes(attack.severity) && attack.indicator.length > 0);
      assert.ok(attack.children.length > 0, `${attack.id} starts something`);
    }
    assert.equal(new Set(fleet.attacks.map((a) => a.host.name)).size, fleet.attacks.length, 'one host per attack');
  });

  it("each has its ground-truth writes and children among its host's events on its night", () => {
    for (const attack of fleet.attacks) {
      const night = fleet.nights[attack.night]!;
      const onNight = seen.attackEvents.filter(
        (e) => text(e.source, 'host.name') === attack.host.name && text(e.source, '@timestamp')! >= night.startsAt && text(e.source, '@timestamp')! < night.runAt,
      );
      assert.ok(onNight.every((e) => ingestedBy(e, new Date(night.runAt)) || Date.parse(text(e.source, '@timestamp')!) > Date.parse(night.runAt) - 60_000), `${attack.id} arrives on time`);
      for (const write of attack.writes) {
        const match = onNight.find(
          (e) =>
            e.index === FILE_INDEX &&
            text(e.source, 'file.path') === write.path &&
            text(e.source, 'process.executable') === write.writer &&
            text(e.source, 'event.action') === write.action &&
            (field(e.source, 'file.hash.sha256') !== undefined) === write.hasHash &&
            (field(e.source, 'process.command_line') !== undefined) === write.hasCommandLine &&
            (write.originalPath === undefined || write.originalPath.endsWith('XXXXXX') || text(e.source, 'file.Ext.original.path') === write.originalPath),
        );
        assert.ok(match, `${attack.id}: ${write.action} of ${write.path} by ${write.writer}`);
      }
      for (const child of attack.children) {
        const match = onNight.find(
          (e) =>
            e.index === PROCESS_INDEX &&
            text(e.source, 'process.executable') === child.executable &&
            text(e.source, 'process.command_line') === child.commandLine &&
            text(e.source, 'process.parent.executable') === child.reportedParentExecutable,
        );
        assert.ok(match, `${attack.id}: ${child.commandLine} under ${child.reportedParentExecutable}`);
      }
      const firstEvent = onNight.map((e) => text(e.source, '@timestamp')!).filter((t) => t >= attack.firstEventAt).sort()[0];
      assert.equal(firstEvent?.slice(0, 10), attack.firstEventAt.slice(0, 10), `${attack.id} starts on its night`);
    }
  });

  it('leave no trace before their night (except the script that predates the lookback)', () => {
    for (const attack of fleet.attacks) {
      const before = seen.attackEvents.filter(
        (e) =>
          text(e.source, 'host.name') === attack.host.name &&
          text(e.source, '@timestamp')! < fleet.nights[attack.night]!.startsAt &&
          (text(e.source, 'file.path') === attack.script || list(e.source, 'process.args').includes(attack.script) || text(e.source, 'process.executable') === attack.script),
      );
      if (attack.id === 'env-python-predates-lookback') {
        assert.ok(before.length > 0 && before.every((e) => e.index === PROCESS_INDEX), 'it ran before, and no write of it exists');
      } else if (attack.id === 'known-script-new-writer') {
        assert.ok(before.every((e) => !attack.children.some((c) => c.commandLine === text(e.source, 'process.command_line'))), 'the known script ran before, without the new children');
      } else {
        assert.deepEqual(before.map((e) => text(e.source, '@timestamp')), [], attack.id);
      }
    }
  });

  it('decoy-flood adds the configured number of one-event decoys, all later than the real rows', () => {
    const decoy = fleet.attacks.find((a) => a.id === 'decoy-flood')!;
    assert.deepEqual(decoy.decoys, { writes: 120, children: 120, writer: '/usr/bin/touch', childExecutable: '/usr/bin/printf' });
    const onHost = seen.attackEvents.filter((e) => text(e.source, 'host.name') === decoy.host.name);
    const decoyWrites = onHost.filter((e) => text(e.source, 'process.executable') === '/usr/bin/touch');
    const decoyChildren = onHost.filter((e) => text(e.source, 'process.executable') === '/usr/bin/printf');
    assert.equal(new Set(decoyWrites.map((e) => text(e.source, 'file.path'))).size, 120);
    assert.equal(decoyWrites.length, 120, 'one event per decoy write');
    assert.equal(new Set(decoyChildren.map((e) => text(e.source, 'process.command_line'))).size, 120);
    assert.equal(decoyChildren.length, 120, 'one event per decoy child');
    const realWrites = onHost.filter((e) => text(e.source, 'file.path') === decoy.script);
    const realChildren = onHost.filter((e) => text(e.source, 'process.command_line') === decoy.children[0]!.commandLine);
    assert.ok(realWrites.length >= 2 && realChildren.length >= 2, 'the real rows have more events than any decoy');
    const lastReal = realWrites.map((e) => text(e.source, '@timestamp')!).sort().at(-1)!;
    assert.ok(decoyWrites.every((e) => text(e.source, '@timestamp')! > lastReal), 'decoys sort before the real write by last_seen as well');
  });

  it('can be chosen, placed on a night and host, or left out', () => {
    const chosen = generateFleet({ seed: 'ci', hosts: 60, days: 10, historyDays: 6, attacks: [{ id: 'panix-network-manager', night: 8, hostIndex: 7 }, 'exec-in-place'] });
    // Attacks without a night take the odd replay nights (7, 9) in list order: exec-in-place is second.
    assert.deepEqual(chosen.attacks.map((a) => [a.id, a.night]).sort(), [['exec-in-place', 9], ['panix-network-manager', 8]]);
    assert.equal(chosen.attacks.find((a) => a.id === 'panix-network-manager')!.host.name, chosen.hosts[7]!.name);
    assert.deepEqual(generateFleet({ seed: 'ci', hosts: 60, days: 10, attacks: 'none' }).attacks, []);
  });

  it('rejects options it cannot honour, saying which and why', () => {
    assert.throws(() => generateFleet({ seed: 1, hosts: 60, attacks: ['no-such-attack' as never] }), /unknown attack "no-such-attack"/);
    assert.throws(() => generateFleet({ seed: 1, hosts: 60, days: 10, historyDays: 6, attacks: [{ id: 'decoy-flood', night: 2 }] }), /night must be a replay night, 6 to 9/);
    assert.throws(() => generateFleet({ seed: 1, hosts: 0 }), /hosts must be a positive integer/);
    assert.throws(() => generateFleet({ seed: 1, hosts: 10, days: 5, historyDays: 5 }), /historyDays must be an integer from 1 to days - 1/);
    assert.throws(() => generateFleet({ seed: 1, hosts: 3 }), /no free server for an attack/);
  });
});
