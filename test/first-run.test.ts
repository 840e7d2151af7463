import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createFirstRunHandler, respondTo } from '../functions/deploy/first-run';
import type { RunSummary } from '../functions/core/run-summary';
import { synthStack } from './support/synth-stack';

/** A local stand-in for CloudFormation's pre-signed response URL: records each PUT. */
let server: Server;
let url: string;
const answers: { method?: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      answers.push({ method: req.method, headers: req.headers, body: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cfn-response?X-Amz-Signature=abc`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const lambda = mockClient(LambdaClient);
const cloudwatch = mockClient(CloudWatchClient);
const PROPERTIES = { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:provider', FunctionName: 'hunt-fn', LogGroupName: '/nm/hunt', MetricNamespace: 'NmDispatcherHunt', MetricName: 'SuccessfulRuns', DimensionName: 'service', DimensionValue: 'nm-dispatcher-hunt' };
const event = (RequestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown> = PROPERTIES) =>
  ({
    RequestType,
    ResponseURL: url,
    StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/NmDispatcherHunt/1',
    RequestId: 'cfn-request-1',
    LogicalResourceId: 'FirstRun',
    ResourceType: 'Custom::NmDispatcherHuntFirstRun',
    ServiceToken: PROPERTIES.ServiceToken,
    ResourceProperties: properties,
    ...(RequestType === 'Create' ? {} : { PhysicalResourceId: 'FirstRun-first-run', OldResourceProperties: properties }),
  }) as unknown as CloudFormationCustomResourceEvent;

let clock = 0;
let sleeps = 0;
const handler = (remainingMs = 900_000) => {
  const run = createFirstRunHandler({
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
    sleep: async (ms) => {
      sleeps++;
      clock += ms;
    },
    now: () => clock,
    respond: respondTo,
    log: () => {},
  });
  return (e: CloudFormationCustomResourceEvent) => run(e, { getRemainingTimeInMillis: () => remainingMs });
};

const SUMMARY = {
  runId: 'req-42', startedAt: '', finishedAt: '', durationMs: 900, outcome: 'succeeded', learning: true, dryRun: false, problems: [],
  hunts: [{ huntId: 'dispatcher-script-write', status: 'ok' }, { huntId: 'dispatcher-child-process', status: 'ok' }],
  totals: { findings: 8, new: 0, republished: 0, known: 0, learned: 8, claimedElsewhere: 0, alerted: 0, unmarked: 0, huntsFailed: 0, huntsBlind: 0 },
} as unknown as RunSummary;
const invoked = (payload: unknown, functionError?: string) => ({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(payload)) as never, ...(functionError ? { FunctionError: functionError } : {}), $metadata: { requestId: 'req-42' } });

beforeEach(() => {
  lambda.reset();
  cloudwatch.reset();
  answers.length = 0;
  clock = 1_000_000;
  sleeps = 0;
});

describe("the deploy's first run", () => {
  it('runs the hunt once, waits until its success is visible to the dead man\'s switch, and reports it', async () => {
    lambda.on(InvokeCommand).resolves(invoked(SUMMARY));
    cloudwatch.on(GetMetricDataCommand).resolvesOnce({ MetricDataResults: [{ Id: 'runs', Values: [] }] }).resolves({ MetricDataResults: [{ Id: 'runs', Values: [1] }] });
    await handler()(event('Create'));

    const [call] = lambda.commandCalls(InvokeCommand);
    assert.equal(call!.args[0].input.FunctionName, 'hunt-fn');
    assert.equal(call!.args[0].input.InvocationType, 'RequestResponse');
    assert.equal(cloudwatch.commandCalls(GetMetricDataCommand).length, 2);
    assert.equal(sleeps, 1);
    const query = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries![0]!.MetricStat!.Metric!;
    assert.deepEqual(query, { Namespace: 'NmDispatcherHunt', MetricName: 'SuccessfulRuns', Dimensions: [{ Name: 'service', Value: 'nm-dispatcher-hunt' }] });

    assert.equal(answers.length, 1);
    const [answer] = answers;
    assert.equal(answer!.method, 'PUT');
    assert.equal(answer!.headers['content-type'], '', 'the pre-signed URL was signed without a content type');
    assert.deepEqual(answer!.body, {
      Status: 'SUCCESS',
      Reason: 'first run succeeded',
      PhysicalResourceId: 'FirstRun-first-run',
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/NmDispatcherHunt/1',
      RequestId: 'cfn-request-1',
      LogicalResourceId: 'FirstRun',
      Data: {
        Outcome: 'succeeded',
        Details: 'learning run: 8 entries learned, 0 new findings alerted',
        RequestId: 'req-42',
        Logs: `aws logs filter-log-events --log-group-name /nm/hunt --filter-pattern '"req-42"'`,
      },
    });
  });

  it('reports a failed run with its message, and does not fail the deploy (the run-failed alarm fires instead)', async () => {
    lambda.on(InvokeCommand).resolves(invoked({ errorType: 'RunFailedError', errorMessage: 'Elasticsearch secret field "password": missing. Expected JSON {…}' }, 'Unhandled'));
    await handler()(event('Update'));
    const { body } = answers[0]!;
    assert.equal(body.Status, 'SUCCESS');
    assert.equal(body.PhysicalResourceId, 'FirstRun-first-run', 'an update keeps the resource');
    assert.equal((body.Data as Record<string, string>).Outcome, 'failed');
    assert.match((body.Data as Record<string, string>).Details!, /^RunFailedError: Elasticsearch secret field "password": missing/);
    assert.equal(cloudwatch.commandCalls(GetMetricDataCommand).length, 0, 'no success to wait for');
  });

  it('says when the hunt succeeded with problems, such as a blind hunt', async () => {
    const blind = { ...SUMMARY, learning: false, problems: ['dispatcher-script-write found no index matching logs-endpoint.events.file-*: the hunt is blind.'], hunts: [{ huntId: 'dispatcher-script-write', status: 'no-data' }] };
    lambda.on(InvokeCommand).resolves(invoked(blind));
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'runs', Values: [1] }] });
    await handler()(event('Create'));
    assert.match((answers[0]!.body.Data as Record<string, string>).Details!, /8 findings compared with the baseline, 0 new findings alerted, dispatcher-script-write blind \(no index\); problems: dispatcher-script-write found no index/);
  });

  it('reports a function it could not invoke as not run', async () => {
    lambda.on(InvokeCommand).rejects(Object.assign(new Error('User is not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' }));
    await handler()(event('Create'));
    const data = answers[0]!.body.Data as Record<string, string>;
    assert.equal(answers[0]!.body.Status, 'SUCCESS');
    assert.equal(data.Outcome, 'not run');
    assert.match(data.Details!, /could not be invoked: AccessDeniedException: User is not authorized/);
    assert.match(data.Logs!, /^aws logs tail \/nm\/hunt/);
  });

  it('stops waiting before its own timeout and says the run is still going', async () => {
    lambda.on(InvokeCommand).callsFake(() => new Promise(() => {}));
    await handler(60_500)(event('Create'));
    assert.equal((answers[0]!.body.Data as Record<string, string>).Outcome, 'still running');
  });

  it('waits for the success metric at most four minutes, then says the switch may show no data', async () => {
    lambda.on(InvokeCommand).resolves(invoked(SUMMARY));
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'runs', Values: [] }] });
    await handler()(event('Create'));
    assert.ok(clock - 1_000_000 <= 240_000, `waited ${clock - 1_000_000} ms`);
    assert.equal(cloudwatch.commandCalls(GetMetricDataCommand).length, 17, 'every 15 s from 0 to 240 s');
    assert.match((answers[0]!.body.Data as Record<string, string>).Details!, /was not visible yet/);
  });

  it('does nothing on delete', async () => {
    await handler()(event('Delete'));
    assert.equal(lambda.commandCalls(InvokeCommand).length, 0);
    assert.equal(answers[0]!.body.Status, 'SUCCESS');
  });

  it('refuses a resource without the function to run', async () => {
    await handler()(event('Create', { ServiceToken: 'x' }));
    assert.equal(answers[0]!.body.Status, 'FAILED');
  });

  it('bounds and neutralises what it reports', async () => {
    lambda.on(InvokeCommand).resolves(invoked({ errorType: 'RunFailedError', errorMessage: `${'x'.repeat(5_000)}\u202e <https://evil.example|click>` }, 'Unhandled'));
    await handler()(event('Create'));
    const details = (answers[0]!.body.Data as Record<string, string>).Details!;
    assert.ok(details.length < 700, `${details.length} characters`);
    assert.doesNotMatch(details, /\u202e/);
  });
});

describe('the first run in the stack', () => {
  const { template, stack } = synthStack();
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;
  const firstRunId = id(stack.hunt.firstRun.resource);

  it('runs the nightly function by name and names its log group', () => {
    template.hasResourceProperties('Custom::NmDispatcherHuntFirstRun', {
      FunctionName: { Ref: id(stack.hunt.function) },
      LogGroupName: { Ref: id(stack.hunt.logGroup) },
      MetricName: 'SuccessfulRuns',
      Schedule: 'cron(0 2 * * ? *) UTC',
      SecretId: 'nm-dispatcher-hunt/elasticsearch',
    });
  });

  it("creates the dead man's switch after the first run, and the run-state alarms before it, so they see it", () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, { DependsOn?: string[]; Properties: { MetricName: string } }>;
    for (const alarm of Object.values(alarms)) {
      const dependsOnFirstRun = (alarm.DependsOn ?? []).includes(firstRunId);
      assert.equal(dependsOnFirstRun, alarm.Properties.MetricName === 'SuccessfulRuns', alarm.Properties.MetricName);
    }
  });

  it('says in the outputs how the run went and where its log lines are', () => {
    for (const [output, attribute] of [['FirstRunOutcome', 'Outcome'], ['FirstRunDetails', 'Details'], ['FirstRunLogs', 'Logs']]) {
      template.hasOutput(output!, { Value: { 'Fn::GetAtt': [firstRunId, attribute] } });
    }
  });

  it('runs again when the hunt configuration, the secret or the schedule change, and not otherwise', () => {
    const properties = (context: Record<string, unknown>) => {
      const [resource] = Object.values(synthStack(context).template.findResources('Custom::NmDispatcherHuntFirstRun')) as { Properties: Record<string, unknown> }[];
      return JSON.stringify(resource!.Properties);
    };
    const base = properties({});
    assert.equal(properties({ 'nmDispatcherHunt:kibanaUrl': 'https://kibana.example.com' }), base);
    for (const change of [{ 'nmDispatcherHunt:lookbackDays': 14 }, { 'nmDispatcherHunt:esSecret': 'other/secret' }, { 'nmDispatcherHunt:scheduleExpression': 'cron(0 3 * * ? *)' }, { 'nmDispatcherHunt:disabledHunts': 'dispatcher-script-write' }]) {
      assert.notEqual(properties(change), base, JSON.stringify(change));
    }
  });

  it('lets the provider invoke only the nightly function and read metrics', () => {
    const roleId = id(stack.hunt.firstRun.node.findChild('Role') as never);
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })) as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }[];
    const actions = policy!.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()).sort();
    assert.deepEqual(actions, ['cloudwatch:GetMetricData', 'lambda:InvokeFunction', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    const invoke = policy!.Properties.PolicyDocument.Statement.find((s) => s.Action === 'lambda:InvokeFunction');
    assert.deepEqual(invoke!.Resource, [{ 'Fn::GetAtt': [id(stack.hunt.function), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.hunt.function), 'Arn'] }, ':*']] }]);
  });
});
