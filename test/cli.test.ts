import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { runCli } from '../functions/cli/cli';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { writeFinding } from './support/harness';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { childGroup, writeGroup } from './support/rows';

let db: EmbeddedDynamoDb;
let es: ElasticsearchStandIn;
const dir = mkdtempSync(join(tmpdir(), 'nmdh-cli-'));
const NOW = '2026-11-25T02:00:00.000Z';
const write = huntById('dispatcher-script-write')!;
const learned = entryFromFinding(write, writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp'), 'learned', NOW);
const alerted = { ...entryFromFinding(write, writeFinding('/etc/NetworkManager/dispatcher.d/99-x', '/usr/bin/bash'), 'alerted', NOW), alertMessageId: 'm-1', alertedAt: NOW };

async function cli(args: string[], env: Record<string, string> = {}, ask?: (question: string) => Promise<string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env, ...(ask ? { ask } : {}) });
  return { code, stdout, stderr };
}

let table: string;
before(async () => {
  db = await startEmbeddedDynamoDb();
  es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: (request) => answerFromRecordedGroups(request, { 'dispatcher-script-child': [childGroup()], 'dispatcher-script-write': [writeGroup('/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/bash')] }),
  });
  Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
  table = await db.createTable();
  await new DynamoDbBaselineStore(db.client, table).putMany([learned, alerted]);
});
after(async () => {
  await es.close();
  await db.close();
});

describe('the CLI', () => {
  it('lists entries as a table and as JSON, filtered by status and hunt', async () => {
    const all = await cli(['baseline', 'list', '--table', table]);
    assert.equal(all.code, 0);
    assert.match(all.stdout, /^FINGERPRINT\s+STATUS\s+HUNT\s+LAST SEEN\s+HOSTS\s+IDENTITY\n/);
    assert.equal(all.stdout.trim().split('\n').length, 3);
    const json = await cli(['baseline', 'list', '--status', 'alerted', '--hunt', 'dispatcher-script-write', '--json'], { BASELINE_TABLE_NAME: table });
    const entries = JSON.parse(json.stdout) as { fingerprint: string; status: string; alertMessageId: string }[];
    assert.deepEqual(entries.map((e) => [e.fingerprint, e.status, e.alertMessageId]), [[alerted.fingerprint, 'alerted', 'm-1']]);
  });

  it('approves by unique prefix with a note and an approver, and forgets', async () => {
    const approved = await cli(['baseline', 'approve', learned.fingerprint.slice(0, 10), '--note', 'stock ifupdown hook', '--by', 'alice', '--table', table]);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(approved.stdout, `approved ${learned.fingerprint}\n`);
    const [entry] = JSON.parse((await cli(['baseline', 'list', '--status', 'approved', '--json', '--table', table])).stdout) as { note: string; approvedBy: string }[];
    assert.deepEqual([entry!.note, entry!.approvedBy], ['stock ifupdown hook', 'alice']);
    const again = await cli(['baseline', 'approve', learned.fingerprint, '--note', 'now on every host', '--by', 'bob', '--fleet-wide', '--table', table]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /scope fleet-wide; 2 approval\(s\) in its history, newest first/);
    const [history] = JSON.parse((await cli(['baseline', 'list', '--status', 'approved', '--json', '--table', table])).stdout) as { approvals: { by: string; scope: { kind: string } }[] }[];
    assert.deepEqual(history!.approvals.map((a) => [a.by, a.scope.kind]), [['bob', 'fleet'], ['alice', 'agents']]);
    const missing = await cli(['baseline', 'forget', 'f'.repeat(64), '--table', table]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found/);
  });

  it('prints what approve approves and asks at a terminal: declined changes nothing, --yes asks nothing', async () => {
    const target = await db.createTable();
    await new DynamoDbBaselineStore(db.client, target).putMany([alerted]);
    let question = '';
    const declined = await cli(['baseline', 'approve', alerted.fingerprint.slice(0, 12), '--note', 'lab box', '--by', 'bob', '--table', target], {}, async (q) => ((question = q), 'n'));
    assert.equal(declined.code, 1);
    assert.match(question, /Approve this entry\? \[y\/N\]/);
    assert.match(declined.stderr, new RegExp(`Approving as benign on the agents that have reported it, by "bob" with note "lab box"; never alerted again:\\n {2}${alerted.fingerprint} {2}dispatcher-script-write {2}alerted {2}file\\.path=/etc/NetworkManager/dispatcher\\.d/99-x`));
    assert.match(declined.stderr, /nothing approved/);
    const [still] = JSON.parse((await cli(['baseline', 'show', alerted.fingerprint, '--json', '--table', target])).stdout) as { status: string }[];
    assert.equal(still!.status, 'alerted');
    const yes = await cli(['baseline', 'approve', alerted.fingerprint, '--note', 'lab box', '--by', 'bob', '--yes', '--table', target], {}, async () => assert.fail('--yes must not ask'));
    assert.equal(yes.code, 0, yes.stderr);
    const shown = await cli(['baseline', 'show', alerted.fingerprint, '--table', target]);
    assert.match(shown.stdout, /^approvals\s+1 approval, newest first\n {2}\S+ {2}by bob {2}on agents \S+: lab box$/m);
    assert.match(shown.stdout, /^status\s+approved/m);
  });

  it('exports and imports JSON Lines, refusing a malformed file with its line number', async () => {
    const file = join(dir, 'baseline.jsonl');
    assert.equal((await cli(['baseline', 'export', file, '--table', table])).code, 0);
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1 + 2, 'a header line, then one line per entry');
    const target = await db.createTable();
    const imported = await cli(['baseline', 'import', file, '--table', target, '--allow-approved']); // the entry approved above
    assert.match(imported.stderr, /The file holds 2 entries: 1 alerted, 1 approved \(never alerted; approved by bob\)/);
    assert.equal(imported.stdout, 'imported 2 entries\n');
    writeFileSync(join(dir, 'bad.jsonl'), `${readFileSync(file, 'utf8')}{"fingerprint":"nope"}\n`);
    const bad = await cli(['baseline', 'import', join(dir, 'bad.jsonl'), '--table', await db.createTable()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Line 4: field "fingerprint"/);
  });

  it('ends learning on import only for the hunts the file says had finished learning', async () => {
    const source = await db.createTable();
    const sourceStore = new DynamoDbBaselineStore(db.client, source);
    await sourceStore.putMany([learned, alerted]);
    await sourceStore.markInitialised(['dispatcher-script-write']);
    const file = join(dir, 'learning.jsonl');
    assert.equal((await cli(['baseline', 'export', file, '--table', source])).code, 0);
    const withHeader = await db.createTable();
    const imported = await cli(['baseline', 'import', file, '--table', withHeader]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /learning complete, as in the exported table: dispatcher-script-write/);
    assert.deepEqual([...(await new DynamoDbBaselineStore(db.client, withHeader).initialisedHunts())], ['dispatcher-script-write']);

    // An export of an earlier release has no header: it says nothing about learning, so learning goes on.
    writeFileSync(join(dir, 'v1.jsonl'), readFileSync(file, 'utf8').split('\n').slice(1).join('\n'));
    const withoutHeader = await db.createTable();
    const old = await cli(['baseline', 'import', join(dir, 'v1.jsonl'), '--table', withoutHeader]);
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stderr, /does not say whether learning was complete/);
    assert.deepEqual([...(await new DynamoDbBaselineStore(db.client, withoutHeader).initialisedHunts())], []);
  });

  it('runs a dry run against Elasticsearch without writing or publishing', async () => {
    const connection = join(dir, 'connection.json');
    writeFileSync(connection, JSON.stringify({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }));
    const target = await db.createTable();
    await new DynamoDbBaselineStore(db.client, target).markInitialised(['dispatcher-child-process', 'dispatcher-script-write']); // as the previous release left it
    const run = await cli(['run', '--dry-run', '--connection-file', connection, '--table', target]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /SNS message \(would publish\)/);
    assert.match(run.stderr, /hunt finished \(huntId=dispatcher-script-write rows=1/);
    assert.equal((JSON.parse(run.stdout.slice(run.stdout.indexOf('{\n  "runId"'))) as { dryRun: boolean }).dryRun, true);
    const after = await cli(['baseline', 'list', '--json', '--table', target]);
    assert.equal(after.stdout.trim(), '[]');
  });

  it('states the deadline of a real run, after which it publishes nothing', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'cli-message' });
    try {
      const connection = join(dir, 'connection-real.json');
      writeFileSync(connection, JSON.stringify({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }));
      const target = await db.createTable();
      await new DynamoDbBaselineStore(db.client, target).markInitialised(['dispatcher-child-process', 'dispatcher-script-write']);
      const run = await cli(['run', '--connection-file', connection, '--table', target, '--topic', 'arn:aws:sns:us-east-1:111122223333:alerts', '--deadline-minutes', '5']);
      assert.equal(run.code, 0, run.stderr);
      const stated = /This run publishes only until (\S+) \(5 min\); its claims on new findings lapse at (\S+)\./.exec(run.stderr);
      assert.ok(stated, run.stderr);
      assert.equal(Date.parse(stated[2]!) - Date.parse(stated[1]!), 60_000);
      assert.equal(sns.commandCalls(PublishCommand).length, 1);
      assert.equal((await cli(['run', '--connection-file', connection, '--table', target, '--topic', 'arn:aws:sns:us-east-1:111122223333:alerts', '--deadline-minutes', '0'])).code, 2);
    } finally {
      sns.restore();
    }
  });

  it('forces learning only after listing every entry and a confirmation, and names each in the message', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'learn-message' });
    try {
      const connection = join(dir, 'connection-learn.json');
      writeFileSync(connection, JSON.stringify({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }));
      const target = await db.createTable();
      const targetStore = new DynamoDbBaselineStore(db.client, target);
      await targetStore.markInitialised(['dispatcher-child-process', 'dispatcher-script-write']);
      const base = ['run', '--connection-file', connection, '--table', target, '--topic', 'arn:aws:sns:us-east-1:111122223333:alerts', '--learn'];

      const noName = await cli([...base, '--yes']);
      assert.equal(noName.code, 2);
      assert.match(noName.stderr, /--learn needs --by <name>/);
      const unattended = await cli([...base, '--by', 'alice']);
      assert.equal(unattended.code, 2);
      assert.match(unattended.stderr, /asks for confirmation in a terminal; in a script pass --yes/);

      let question = '';
      const declined = await cli([...base, '--by', 'alice'], {}, async (q) => ((question = q), 'no'));
      assert.equal(declined.code, 1);
      assert.match(question, /Type "learn" to confirm/);
      assert.match(declined.stderr, /Forced learning: 2 new findings will be recorded as learned and never alerted:\n {2}[0-9a-f]{64} {2}dispatcher-script-child {2}parent_script=/);
      assert.equal(sns.commandCalls(PublishCommand).length, 0);
      const none: unknown[] = [];
      for await (const entry of targetStore.list()) none.push(entry);
      assert.deepEqual(none, [], 'declined: nothing written');

      const learned = await cli([...base, '--by', 'alice', '--yes']);
      assert.equal(learned.code, 0, learned.stderr);
      const listed = [...learned.stderr.matchAll(/^ {2}([0-9a-f]{64}) {2}/gm)].map((m) => m[1]);
      const entries: { fingerprint: string; status: string }[] = [];
      for await (const entry of targetStore.list()) entries.push(entry);
      assert.deepEqual(listed.sort(), entries.map((e) => e.fingerprint).sort());
      assert.ok(entries.every((e) => e.status === 'learned'));
      const message = JSON.parse(JSON.parse(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!).default) as { newFindings: { items: { fingerprint: string; novelty: string }[] }; run: { problems: string[] } };
      assert.deepEqual(message.newFindings.items.map((i) => i.fingerprint).sort(), listed.sort());
      for (const item of message.newFindings.items) assert.match(item.novelty, /^recorded as learned by alice \(forced learning\), not alerted/);
      assert.match(message.run.problems.join('\n'), /Forced learning by alice recorded 2 new findings as learned/);
    } finally {
      sns.restore();
    }
  });

  it('exits 2 with a clear message on usage and configuration errors', async () => {
    assert.equal((await cli(['baseline', 'list'])).code, 2);
    assert.match((await cli(['baseline', 'list'])).stderr, /no baseline table: pass --table or set BASELINE_TABLE_NAME/);
    assert.equal((await cli(['baseline', 'list', '--status', 'bogus', '--table', table])).code, 2);
    assert.equal((await cli(['baseline', 'approve', 'abc', '--table', table])).code, 2, 'missing --note and --by');
    assert.match((await cli(['baseline', 'approve', 'xyz12345', '--note', 'n', '--by', 'b', '--table', table])).stderr, /is not a fingerprint/);
    assert.match((await cli(['run', '--table', table])).stderr, /no Elasticsearch connection/);
    const badSecret = join(dir, 'bad-connection.json');
    writeFileSync(badSecret, JSON.stringify({ node: 'http://es.example.com', apiKey: 'k3y-value' }));
    const run = await cli(['run', '--dry-run', '--connection-file', badSecret, '--table', table]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /"node": must use https/);
    assert.ok(!run.stderr.includes('k3y-value'));
    assert.equal((await cli(['frobnicate'])).code, 2);
  });

  it('prints help for every command, with usage lines that run as printed from the checkout', async () => {
    for (const args of [['--help'], ['run', '--help'], ['baseline', '--help'], ['baseline', 'list', '--help'], ['baseline', 'import', '--help'], ['baseline', 'init', '--help']]) {
      const help = await cli(args);
      assert.equal(help.code, 0, args.join(' '));
      assert.match(help.stdout, /^Usage: npm run hunt -- /m);
    }
  });

  it('runs as `npm run hunt -- …` with documented exit codes', () => {
    const root = new URL('..', import.meta.url).pathname;
    const help = spawnSync('npm', ['run', '--silent', 'hunt', '--', '--help'], { cwd: root, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Exit codes: 0 done, 1 run failed, 2 usage or configuration error/);
    const usage = spawnSync('npm', ['run', '--silent', 'hunt', '--', 'baseline', 'list'], { cwd: root, encoding: 'utf8', env: { ...process.env, BASELINE_TABLE_NAME: '' } });
    assert.equal(usage.status, 2);
  });
});
