import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliIo } from '../functions/cli/cli';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { childGroup, writeGroup } from './support/rows';

const ROOT = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nmdh-local-'));
let es: ElasticsearchStandIn;
let writes = [writeGroup('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp')];

async function cli(args: string[], extra: Partial<CliIo> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env: {}, ...extra });
  return { code, stdout, stderr };
}

before(async () => {
  es = await startElasticsearchStandIn({
    majorVersion: 9,
    respond: (request) => answerFromRecordedGroups(request, { 'dispatcher-script-child': [childGroup()], 'dispatcher-script-write': writes }),
  });
  writeFileSync(join(dir, 'connection.json'), JSON.stringify({ node: es.url, apiKey: 'ZGVtbzpkZW1v' }));
});
after(() => es.close());

describe('local mode (--local <folder>, --endpoint <url>)', () => {
  it('creates a table with baseline init, then every command finds it without --table', async () => {
    const folder = join(dir, 'baseline');
    const empty = await cli(['baseline', 'list', '--local', folder]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /has no table yet: create one with `npm run hunt -- baseline init --local /);
    const init = await cli(['baseline', 'init', '--local', folder]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stdout, /created table "nm-dispatcher-hunt-baseline" in the local baseline /);
    assert.match((await cli(['baseline', 'init', '--local', folder])).stdout, /already exists .*nothing to do/);
    const list = await cli(['baseline', 'list', '--local', folder, '--json']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout.trim(), '[]');
  });

  it('runs the hunts into a local baseline: learns, then prints (not sends) what is new, which show explains', async () => {
    const folder = join(dir, 'run');
    assert.equal((await cli(['baseline', 'init', '--local', folder, '--table', 'local-run'])).code, 0);
    const connection = join(dir, 'connection.json');
    const learn = await cli(['run', '--local', folder, '--connection-file', connection]);
    assert.equal(learn.code, 0, learn.stderr);
    assert.match(learn.stdout, /SNS message \(local mode: printed, not sent\)[\s\S]*baseline initialised: 2 entries/);
    writes = [...writes, writeGroup('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/bash')];
    const second = await cli(['run', '--local', folder, '--connection-file', connection]);
    assert.equal(second.code, 0, second.stderr);
    const approve = /if benign: (npm run hunt -- baseline approve ([0-9a-f]{64}) .*--table local-run --local \S+)/.exec(second.stdout);
    assert.ok(approve, 'the printed command names the local baseline');
    const show = await cli(['baseline', 'show', approve[2]!.slice(0, 10), '--local', folder]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /file\.path\s+\/etc\/NetworkManager\/dispatcher\.d\/panix-dispatcher\[\.\]sh/);
    assert.match(show.stdout, /^why new\s+path never seen$/m);
    assert.match(show.stdout, /^status\s+alerted at \S+ \(SNS message printed-1\)$/m);
    assert.match(show.stdout, /WHERE f\.path = '\/etc\/NetworkManager\/dispatcher\.d\/panix-dispatcher\.sh';/);
  });

  it('tells a second process that the folder is in use, naming the holder', async () => {
    const folder = join(dir, 'busy');
    const holder = await startEmbeddedDynamoDb({ folder, holder: 'npm run demo' });
    try {
      await holder.createTable('busy');
      const second = spawnSync('npm', ['run', '--silent', 'hunt', '--', 'baseline', 'list', '--local', folder], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(second.status, 2, second.stderr);
      assert.match(second.stderr, new RegExp(`is in use by process ${process.pid} \\(npm run demo\\): wait for it to finish or stop it`));
    } finally {
      await holder.close();
    }
    assert.equal((await cli(['baseline', 'list', '--local', folder])).code, 0, 'free again once the holder closed');
  });

  it('works against any DynamoDB endpoint, and refuses to create tables in AWS', async () => {
    const db = await startEmbeddedDynamoDb();
    try {
      assert.equal((await cli(['baseline', 'init', '--endpoint', db.endpoint, '--table', 'shared'])).code, 0);
      assert.deepEqual(await db.listTables(), ['shared']);
      assert.equal((await cli(['baseline', 'list', '--endpoint', db.endpoint])).code, 0);
      const both = await cli(['baseline', 'list', '--endpoint', db.endpoint, '--local', dir]);
      assert.equal(both.code, 2);
      const aws = await cli(['baseline', 'init', '--table', 'x']);
      assert.equal(aws.code, 2);
      assert.match(aws.stderr, /in local mode only .* the stack creates the table/);
    } finally {
      await db.close();
    }
  });
});
