import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { startElasticsearchStandIn, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { answerFromRecordedGroups } from '../functions/local/recorded-groups';
import { childGroup, writeGroup } from './support/rows';
import { captureOutput } from './support/capture-output';
import { RUN_GAUGES } from '../functions/core/run-gauges';

const API_KEY = 'bm90LWEtcmVhbC1rZXk6c2VjcmV0LXZhbHVlLTQy';
const SECRET_ID = 'nm-dispatcher-hunt/elasticsearch';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

let db: EmbeddedDynamoDb;
let es: ElasticsearchStandIn;
let writes = [writeGroup('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp')];
/** When set, Elasticsearch denies the process hunt with this reason (it may echo credentials, as proxies do). */
let deniedReason: string | undefined;
const sns = mockClient(SNSClient);
const secretsManager = mockClient(SecretsManagerClient);
const { handler } = await import('../functions/handler');
const context = (id: string) => ({ awsRequestId: id, getRemainingTimeInMillis: () => 600_000 });

before(async () => {
  db = await startEmbeddedDynamoDb();
  es = await startElasticsearchStandIn({
    majorVersion: 8,
    respond: (request) =>
      deniedReason && String(request.body.query).includes('process-*')
        ? { status: 403, body: { error: { type: 'security_exception', reason: deniedReason } } }
        : answerFromRecordedGroups(request, { 'dispatcher-script-child': [childGroup()], 'dispatcher-script-write': writes }),
  });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    BASELINE_TABLE_NAME: await db.createTable(),
    ALERT_TOPIC_ARN: TOPIC,
    ES_SECRET_ID: SECRET_ID,
    HUNT_CONFIG: JSON.stringify({ lookbackDays: 30 }),
    POWERTOOLS_DEV: 'false',
  });
});
after(async () => {
  await es.close();
  await db.close();
});
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'mid' });
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({ SecretString: JSON.stringify({ node: es.url, apiKey: API_KEY }) });
});

describe('the Lambda handler', () => {
  it('learns, then alerts exactly the new finding, logging a JSON summary and EMF metrics without secrets', async () => {
    const first = await captureOutput(() => handler({}, context('night-1')));
    assert.equal(first.result?.learning, true);
    assert.equal(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes?.kind?.StringValue, 'baseline-initialised');

    writes = [...writes, writeGroup('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/bash')];
    const second = await captureOutput(() => handler({}, context('night-2')));
    assert.equal(second.result?.totals.new, 1);
    const publish = sns.commandCalls(PublishCommand)[1]!.args[0].input;
    assert.equal(publish.TopicArn, TOPIC);
    assert.match(publish.Subject!, /1 new finding, medium: script-write$/);
    // The commands it prints name what the function knows: its table and its region.
    const { email, https } = JSON.parse(publish.Message!) as { email: string; https: string };
    const where = `--table ${process.env.BASELINE_TABLE_NAME} --region us-east-1`;
    assert.match(email, new RegExp(`if benign: npm run hunt -- baseline approve [0-9a-f]{64} --note "<why benign>" --by "<you>" ${where}`));
    assert.ok(https.includes(where), 'Slack commands carry the table and region too');

    const records = second.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const summaryLog = records.find((r) => r.message === 'run finished');
    assert.equal((summaryLog?.summary as { outcome: string }).outcome, 'succeeded');
    const emf = records.find((r) => r._aws !== undefined) as Record<string, unknown>;
    assert.equal(emf.NewFindings, 1);
    assert.equal(emf.SuccessfulRuns, 1);
    // The dead man's switch in the stack watches exactly this namespace, metric and dimension.
    const directive = (emf._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!;
    assert.equal(directive.Namespace, 'NmDispatcherHunt');
    assert.deepEqual(directive.Dimensions, [['service']]);
    assert.equal(emf.service, 'nm-dispatcher-hunt');
    assert.ok(directive.Metrics.some((m) => m.Name === 'SuccessfulRuns'));
    assert.equal(emf.HuntsFailed, 0);
    for (const gauge of Object.values(RUN_GAUGES)) assert.equal(typeof emf[gauge], 'number', `gauge ${gauge} is published every run`);
    assert.equal(emf.RunFailed, 0);
    assert.ok(typeof emf.RunDurationMs === 'number');
    for (const line of [...first.lines, ...second.lines]) assert.ok(!line.includes(API_KEY), 'API key in output');
    assert.equal(es.requests.at(-1)!.headers.authorization, `ApiKey ${API_KEY}`);
  });

  it('cannot be told to learn what is new, by its event or its environment: forced learning is a CLI action', async () => {
    writes = [...writes, writeGroup('/etc/NetworkManager/dispatcher.d/98-launder-me', '/usr/bin/curl')];
    process.env.FORCE_LEARNING = 'true';
    const run = await captureOutput(() => handler({ forceLearning: true } as never, context('launder')));
    delete process.env.FORCE_LEARNING;
    assert.equal(run.result?.totals.new, 1, String(run.error));
    assert.equal(run.result?.totals.learned, 0);
    assert.match(sns.commandCalls(PublishCommand).at(-1)!.args[0].input.Subject!, /1 new finding, medium: script-write$/);
  });

  it('fails with an actionable message when the secret is missing a field, and never echoes it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ node: es.url, username: API_KEY }) });
    const run = await captureOutput(() => handler({}, context('bad-secret')));
    assert.match(String(run.error), /RunFailedError: Elasticsearch secret field "password": missing/);
    assert.ok(!String(run.error).includes(API_KEY));
    for (const line of run.lines) assert.ok(!line.includes(API_KEY));
    const emf = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => r._aws !== undefined);
    assert.equal(emf?.RunFailed, 1);
    assert.equal(emf?.SuccessfulRuns, undefined);
  });

  for (const password of ['false', 'a"b\\c-7Q']) {
    it(`runs with the password ${JSON.stringify(password)} and keeps it, its Basic header and its URL encoding out of every log line`, async () => {
      const user = 'hunt-reader';
      const basic = Buffer.from(`${user}:${password}`).toString('base64');
      secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ node: es.url, username: user, password }) });
      deniedReason = `unable to authenticate user [${user}] with Basic ${basic} (password=${encodeURIComponent(password)}; raw ${password})`;
      writes = [...writes, writeGroup(`/etc/NetworkManager/dispatcher.d/${password.length}-curl-as-${user}`, '/usr/bin/curl', { writer_command_lines: [`curl -u ${user}:${password} https://x`] })];
      const run = await captureOutput(() => handler({}, context(`password-${password.length}`)));
      deniedReason = undefined;
      assert.match(String(run.error), /RunFailedError: .*dispatcher-script-(run|child)/, 'the denied hunt fails the run, not the logger');
      assert.equal(es.requests.at(-1)!.headers.authorization, `Basic ${basic}`);
      const logLines = run.lines.filter((l) => l.startsWith('{')); // the test runner's own reports may interleave
      const records = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const summary = records.find((r) => r.message === 'run finished')?.summary as { hunts: { truncated: boolean }[]; problems: string[] } | undefined;
      assert.equal(summary?.hunts[0]?.truncated, false, 'booleans stay booleans');
      assert.match(summary!.problems.join(' '), /user \[\[REDACTED\]\] with Basic \[REDACTED\] \(password=\[REDACTED\]; raw \[REDACTED\]\)/);
      const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.Message ?? '');
      assert.match(published.join('\n'), /Basic \[REDACTED\]/, 'the message names the problem, without the credentials');
      for (const text of [...logLines, String(run.error), ...published]) {
        // `false` itself stays where it is a JSON boolean, not text.
        const forms = [basic, `[${user}]`, ...(password === 'false' ? ['password=false', 'raw false'] : [password, encodeURIComponent(password), JSON.stringify(password).slice(1, -1)])];
        for (const form of forms) assert.ok(!text.includes(form), `${form} in ${text.slice(0, 200)}`);
      }
    });
  }

  it('says when the secret does not exist', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(Object.assign(new Error('Secrets Manager can’t find the specified secret.'), { name: 'ResourceNotFoundException' }));
    const run = await captureOutput(() => handler({}, context('no-secret')));
    assert.match(String(run.error), /Secret "nm-dispatcher-hunt\/elasticsearch" does not exist in this account and region/);
  });

  it("refuses a claim lease shorter than the function's timeout before claiming anything", async () => {
    process.env.CLAIM_LEASE_SECONDS = '300';
    const run = await captureOutput(() => handler({}, context('short-lease')));
    delete process.env.CLAIM_LEASE_SECONDS;
    assert.match(String(run.error), /Invalid configuration "CLAIM_LEASE_SECONDS": 300 s is shorter than the function's remaining time \(600 s\)/);
    assert.equal(sns.commandCalls(PublishCommand).length, 0);
  });

  it('names a missing environment variable', async () => {
    const saved = process.env.ALERT_TOPIC_ARN;
    delete process.env.ALERT_TOPIC_ARN;
    const run = await captureOutput(() => handler({}, context('no-topic')));
    process.env.ALERT_TOPIC_ARN = saved;
    assert.match(String(run.error), /Invalid configuration "ALERT_TOPIC_ARN": environment variable is missing/);
  });
});
