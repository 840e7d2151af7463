// Benchmarks: prints figures, asserts nothing. `npm run bench` (about two minutes).
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { build } from 'esbuild';
import { parseRuntimeEnvironment } from '../functions/adapters/runtime-environment';
import type { RunLog } from '../functions/core/nightly-run';
import { Redactor } from '../functions/core/redact';
import { startElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { runNightlyJob } from '../functions/nightly-job';
import { countCommands } from '../test/support/harness';
import { WRITE_COLUMNS, responseFor, writeRow } from '../test/support/rows';
import { benchPath } from './bench-data';
import { startLatencyProxy } from './latency-proxy';

const out = (line = '') => process.stdout.write(`${line}\n`);
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('out/', import.meta.url));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const silent: RunLog = { info() {}, warn() {}, error() {} };

out(`# nm-dispatcher-hunt benchmarks, ${new Date().toISOString()}`);
out(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}`);

// 1. Bundle size, built as the CDK construct builds it.
mkdirSync(outDir, { recursive: true });
const bundlePath = `${outDir}handler.mjs`;
await build({
  entryPoints: [`${root}functions/handler.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  external: ['@aws-sdk/*'],
  banner: { js: "import { createRequire as __nmCreateRequire } from 'module'; const require = __nmCreateRequire(import.meta.url);" },
  outfile: bundlePath,
  logLevel: 'error',
});
out(`\nbundle: ${statSync(bundlePath).size} bytes minified (target ≤ 1,048,576; @aws-sdk/* provided by the Lambda runtime)`);

// 2. Cold module-init time: import the bundle in fresh Node processes.
const inits: number[] = [];
for (let i = 0; i < 20; i++) {
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(bundlePath)}); console.log(performance.now() - t);`], { encoding: 'utf8', env: { ...process.env, AWS_REGION: 'us-east-1' } });
  inits.push(Number(probe.stdout.trim()));
}
out(`cold module init: median ${median(inits).toFixed(1)} ms over 20 processes (min ${Math.min(...inits).toFixed(1)}, max ${Math.max(...inits).toFixed(1)}; target ≤ 150 ms)`);

// 3. Handler runs against a 100,000-entry baseline on dynalite (in its own process).
const server = fork(fileURLToPath(new URL('dynalite-server.mjs', import.meta.url)), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
const port = await new Promise<string>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
const dynamoEndpoint = `http://127.0.0.1:${port}`;
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

let rows: Record<string, unknown>[] = [];
const es = await startElasticsearchStandIn({
  majorVersion: 9,
  respond: ({ body }) => ({ status: 200, body: String(body.query).includes('process-*') ? { took: 1, is_partial: false, columns: [], values: [] } : responseFor(WRITE_COLUMNS, rows) }),
});
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
let latencyMs = 0;
const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), latencyMs));
let publishes = 0;
sns.on(PublishCommand).callsFake(() => later({ MessageId: `m-${++publishes}` }));

function prepareTable(name: string): void {
  const t = performance.now();
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('seed.ts', import.meta.url)), dynamoEndpoint, name], { stdio: 'inherit' });
  if (seeded.status !== 0) throw new Error('seeding the benchmark table failed');
  out(`seeded ${name} with 100,000 entries in ${((performance.now() - t) / 1000).toFixed(1)} s (separate process)`);
}

async function measure(table: string, findings: number, latency: number) {
  latencyMs = latency;
  const newCount = Math.max(1, Math.round(findings / 100));
  rows = [
    ...Array.from({ length: findings - newCount }, (_, i) => writeRow({ 'file.path': benchPath(i), 'process.executable': '/usr/bin/bash' })),
    ...Array.from({ length: newCount }, (_, i) => writeRow({ 'file.path': `${benchPath(i)}-new-${findings}-${latency}`, 'process.executable': '/usr/bin/bash' })),
  ];
  const dynamoProxy = latency > 0 ? await startLatencyProxy(dynamoEndpoint, latency) : undefined;
  const esProxy = latency > 0 ? await startLatencyProxy(es.url, latency) : undefined;
  secrets.reset();
  secrets.on(GetSecretValueCommand).callsFake(() => later({ SecretString: JSON.stringify({ node: esProxy?.endpoint ?? es.url, apiKey: 'YmVuY2g6YmVuY2g=' }) }));
  const dynamodb = new DynamoDBClient({ endpoint: dynamoProxy?.endpoint ?? dynamoEndpoint, region: 'us-east-1', credentials });
  const calls = countCommands(dynamodb);
  const esBefore = es.requests.length;
  const publishesBefore = publishes;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const summary = await runNightlyJob({
    env: parseRuntimeEnvironment({ BASELINE_TABLE_NAME: table, ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:bench', ES_SECRET_ID: 'bench' }),
    clients: { dynamodb, sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }) },
    runId: `bench-${findings}-${latency}`,
    deadline: Date.now() + 600_000,
    log: silent,
    secretSink: new Redactor(),
  });
  const wallMs = performance.now() - t;
  const cpuUsed = process.cpuUsage(cpu);
  const cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  await dynamoProxy?.close();
  await esProxy?.close();
  dynamodb.destroy();
  const dynamoCalls = [...calls.values()].reduce((a, b) => a + b, 0);
  return { summary, wallMs, cpuMs, newCount, dynamoCalls, calls, esCalls: es.requests.length - esBefore, snsCalls: publishes - publishesBefore };
}

prepareTable('bench-baseline');
out('\n| findings | new | wall time | handler CPU | DynamoDB calls | Elasticsearch calls | SNS calls | peak RSS |');
out('| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
for (const findings of [10, 1_000, 10_000]) {
  const r = await measure('bench-baseline', findings, 0);
  if (r.summary.totals.new !== r.newCount) throw new Error(`expected ${r.newCount} new findings, got ${r.summary.totals.new}`);
  const detail = [...r.calls].sort().map(([k, v]) => `${k.replace('Command', '')} ${v}`).join(', ');
  out(`| ${findings} | ${r.newCount} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.dynamoCalls} (${detail}) | ${r.esCalls} | ${r.snsCalls} | ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB |`);
}

// 4. Overhead ratio with 20 ms added to every round trip.
out('\nWith 20 ms added to every Elasticsearch, DynamoDB, Secrets Manager and SNS round trip:');
out('| findings | wall time | sequential round trips | ratio |');
out('| ---: | ---: | ---: | ---: |');
for (const findings of [10, 1_000, 10_000]) {
  const r = await measure('bench-baseline', findings, 20);
  const c = (name: string) => r.calls.get(name) ?? 0;
  // The dependency chain with each step's independent requests issued as the code issues them (4 batches, 8 claims or marks, 32 observations in flight):
  const answered = r.summary.hunts.filter((h) => h.status === 'ok' && !h.partial).length;
  const observations = c('UpdateItemCommand') - r.newCount - answered;
  const trips =
    1 /* secret */ + 1 /* last answers */ + 1 /* both hunts, concurrently */ + 1 /* learning state */ + Math.ceil((c('BatchGetItemCommand') - 1) / 4) + 1 /* pending */ +
    Math.ceil(c('PutItemCommand') / 8) + Math.ceil((c('QueryCommand') - 1) / 8) + 1 /* claims re-read */ + 1 /* publish */ + Math.ceil(r.newCount / 8) /* marks */ +
    Math.ceil(observations / 32) /* changed observations */ + 1 /* answers recorded */;
  out(`| ${findings} | ${(r.wallMs / 1000).toFixed(2)} s | ${trips} × 20 ms = ${trips * 20} ms | ${(r.wallMs / (trips * 20)).toFixed(2)} |`);
}

await es.close();
server.kill();
