import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Check } from '../functions/adapters/cluster-checks';
import { runCli } from '../functions/cli/cli';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { ELASTIC_DEFEND_MAPPINGS, type FieldMappings, type StoredEvent } from '../functions/local/esql';
import { generateFleet } from '../functions/local/fleet/fleet';
import { FILE_INDEX, PROCESS_INDEX } from '../functions/local/fleet/stored-event';
import type { ClusterBackendOptions } from '../functions/local/stand-in/cluster-api';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nmdh-doctor-'));
const END = '2026-11-24T02:00:00.000Z';
const events: StoredEvent[] = [...generateFleet({ seed: 'doctor', hosts: 2, days: 2, historyDays: 1, end: END, attacks: 'none' }).events()];
const standIns: ElasticsearchStandIn[] = [];

/** A cluster in one state: its indices and mappings, the user's privileges, its version. */
async function cluster(over: Partial<ClusterBackendOptions> = {}, indices: Record<string, FieldMappings> = { [PROCESS_INDEX]: ELASTIC_DEFEND_MAPPINGS, [FILE_INDEX]: ELASTIC_DEFEND_MAPPINGS }): Promise<string> {
  const names = new Set(Object.keys(indices));
  const standIn = await startElasticsearchStandIn({
    majorVersion: 9,
    cluster: { data: { indices: new Map(Object.entries(indices)), events: events.filter((e) => names.has(e.index)) }, now: () => Date.parse(END), ...over },
  });
  standIns.push(standIn);
  const file = join(dir, `connection-${standIns.length}.json`);
  writeFileSync(file, JSON.stringify({ node: standIn.url, apiKey: 'ZG9jdG9yOmRvY3Rvcg==' }));
  return file;
}

async function doctor(connectionFile: string, extra: string[] = []) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['doctor', '--connection-file', connectionFile, '--json', ...extra], { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env: {} });
  return { code, stderr, checks: (stdout ? JSON.parse(stdout) : []) as Check[] };
}

const byName = (checks: readonly Check[], name: string) => checks.find((c) => c.name === name) ?? assert.fail(`no check named ${name}: ${checks.map((c) => c.name).join(', ')}`);

let healthy: string;
before(async () => {
  healthy = await cluster();
});
after(async () => {
  for (const standIn of standIns) await standIn.close();
});

describe('doctor', () => {
  it('passes every check on a healthy cluster, with only a connection file: no DynamoDB, no AWS credentials', async () => {
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'hunt', '--', 'doctor', '--connection-file', healthy], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    for (const name of ['reachable', 'version', 'privileges', 'dispatcher-script-run: indices', 'dispatcher-script-run: mappings', 'dispatcher-script-run: run', 'dispatcher-script-child: indices', 'dispatcher-script-child: mappings', 'dispatcher-script-child: run', 'dispatcher-script-write: mappings', 'dispatcher-script-write: run']) {
      assert.match(run.stdout, new RegExp(`^\\[ ok \\] ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'), run.stdout);
    }
    assert.match(run.stdout, /^All checks passed \(\d+ ok, 0 warnings, 0 skipped\)\.$/m);
    const { checks } = await doctor(healthy);
    assert.match(byName(checks, 'version').detail, /^Elasticsearch 9\.1\.5; requests declare compatible-with=8/);
    assert.match(byName(checks, 'privileges').detail, /read and view_index_metadata on logs-endpoint\.events\.process-\*, logs-endpoint\.events\.file-\*/);
  });

  it('fails on a missing index, naming the hunt that would be blind and what to check', async () => {
    const { code, checks } = await doctor(await cluster({}, { [PROCESS_INDEX]: ELASTIC_DEFEND_MAPPINGS }));
    assert.equal(code, 1);
    const indices = byName(checks, 'dispatcher-script-write: indices');
    assert.equal(indices.status, 'fail');
    assert.match(indices.detail, /no index or data stream matches logs-endpoint\.events\.file-\*: the hunt would be blind/);
    assert.match(indices.fix!, /Elastic Defend ships logs-endpoint\.events\.file-\* events/);
    assert.equal(byName(checks, 'dispatcher-script-write: mappings and run').status, 'skipped');
    assert.equal(byName(checks, 'dispatcher-script-child: run').status, 'ok', 'the other hunt is still checked');
  });

  it('fails on a missing privilege, naming the pattern, the privilege and the role that fixes it', async () => {
    const file = await cluster({ privileges: { username: 'hunter', index: [{ names: ['logs-endpoint.events.*'], privileges: ['read'] }] } });
    const { code, checks } = await doctor(file);
    assert.equal(code, 1);
    const privileges = byName(checks, 'privileges');
    assert.equal(privileges.status, 'fail');
    assert.equal(privileges.detail, 'logs-endpoint.events.process-* lacks view_index_metadata; logs-endpoint.events.file-* lacks view_index_metadata');
    assert.match(privileges.fix!, /"privileges":\["read","view_index_metadata"\]/);
  });

  it('fails on a wrong mapping, naming the field, its type, the index and the type the hunt expects', async () => {
    const textPath: FieldMappings = { ...ELASTIC_DEFEND_MAPPINGS, 'file.path': { type: 'text' } };
    const { code, checks } = await doctor(await cluster({}, { [PROCESS_INDEX]: ELASTIC_DEFEND_MAPPINGS, [FILE_INDEX]: textPath }));
    assert.equal(code, 1);
    const mappings = byName(checks, 'dispatcher-script-write: mappings');
    assert.equal(mappings.status, 'fail');
    assert.match(mappings.detail, /file\.path is mapped as text.*, expected keyword \(keyword, constant_keyword, wildcard\)/);
    assert.equal(byName(checks, 'dispatcher-script-child: mappings').status, 'ok');
  });

  it('says what is wrong with an unreachable cluster, an old version, and disabled hunts', async () => {
    const gone = join(dir, 'gone.json');
    writeFileSync(gone, JSON.stringify({ node: 'http://127.0.0.1:9', apiKey: 'ZG9jdG9yOmRvY3Rvcg==' }));
    const unreachable = await doctor(gone);
    assert.equal(unreachable.code, 1);
    assert.equal(byName(unreachable.checks, 'reachable').status, 'fail');
    assert.match(byName(unreachable.checks, 'reachable').detail, /^cannot reach http:\/\/127\.0\.0\.1:9/);
    assert.equal(byName(unreachable.checks, 'privileges, indices, mappings, hunts').status, 'skipped');

    const old = await doctor(await cluster({ version: { number: '8.14.3' } }));
    assert.equal(old.code, 1);
    assert.match(byName(old.checks, 'version').detail, /8\.14\.3: the hunts need 8\.15 or later/);

    const partly = await doctor(healthy, ['-c', 'nmDispatcherHunt:disabledHunts=dispatcher-script-write']);
    assert.equal(partly.code, 0);
    assert.equal(byName(partly.checks, 'hunt dispatcher-script-write').status, 'skipped');
    assert.ok(!partly.checks.some((c) => c.name.startsWith('dispatcher-script-write:')));
  });
});
