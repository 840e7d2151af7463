import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from './support/synth-stack';

const synth = (context: Record<string, unknown> = {}) => synthStack(context);

const { template, stack } = synth({ 'nmDispatcherHunt:alertEmails': 'soc@example.com,oncall@example.com', 'nmDispatcherHunt:kibanaUrl': 'https://kibana.example.com' });
const ref = (construct: { node: { defaultChild?: unknown } }) => stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;
const { hunt } = stack;

describe('the stack', () => {
  it('runs nightly at 02:00 UTC with retries, a maximum event age and the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [ref(hunt.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ref(hunt.deadLetterQueue), 'Arn'] } },
      }),
    });
  });

  it('runs the handler on Node.js 24, ARM64, without reserved concurrency, with its configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: Match.absent(),
      Timeout: 600,
      MemorySize: 512,
      Handler: 'index.handler',
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [ref(hunt.deadLetterQueue), 'Arn'] } },
      Environment: {
        Variables: Match.objectLike({
          BASELINE_TABLE_NAME: { Ref: ref(hunt.table) },
          ALERT_TOPIC_ARN: { Ref: ref(hunt.topic) },
          ES_SECRET_ID: 'nm-dispatcher-hunt/elasticsearch',
          HUNT_CONFIG: Match.stringLikeRegexp('"lookbackDays":30'),
          KIBANA_URL: 'https://kibana.example.com',
          CLAIM_LEASE_SECONDS: '1200',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('keeps the baseline on-demand, recoverable, encrypted and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'pending' }), Match.objectLike({ IndexName: 'by-anchor' })],
      }),
    });
  });

  it('encrypts the topic with a rotating key that CloudWatch alarms may use, and refuses plain-HTTP publishing', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ref(hunt.key), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'soc@example.com' });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [ref(hunt.key), 'Arn'] } });
  });

  it('grants each role only its own resources, with no wildcard resource but the one read that cannot be scoped', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const wildcards = statements.filter((statement) => statement.Resource === '*').map((statement) => statement.Action);
    assert.deepEqual(wildcards, ['cloudwatch:GetMetricData'], "only the deploy's first run reading its success metric");
    const functionRole = ref(hunt.function.role as never);
    const functionPolicy = JSON.stringify(Object.values(policies).find((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles) === JSON.stringify([{ Ref: functionRole }])));
    assert.match(functionPolicy, /secretsmanager:GetSecretValue/);
    assert.match(functionPolicy, /:secret:nm-dispatcher-hunt\/elasticsearch-\?\?\?\?\?\?/);
    assert.doesNotMatch(functionPolicy, /dynamodb:Scan|dynamodb:DeleteItem|dynamodb:\*/);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: ref(hunt.function.role as never) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: ref(hunt.topic) } })]) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [ref(hunt.key), 'Arn'] } })]) },
    });
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  it('adds no Slack channel and no VPC unless asked', () => {
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() });
  });

  it('subscribes a Slack channel through Amazon Q Developer and runs in the given subnets when asked', () => {
    const { template: t, stack: s } = synth({
      'nmDispatcherHunt:slackWorkspaceId': 'T0123ABCD',
      'nmDispatcherHunt:slackChannelId': 'C0123ABCD',
      'nmDispatcherHunt:vpcId': 'vpc-0123456789abcdef0',
      'nmDispatcherHunt:subnetIds': 'subnet-0123456789abcdef0,subnet-0fedcba9876543210',
      'nmDispatcherHunt:scheduleExpression': 'cron(30 3 * * ? *)',
      'nmDispatcherHunt:scheduleTimeZone': 'Europe/Berlin',
      'nmDispatcherHunt:esSecretKmsKeyArn': 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' })]) },
    });
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ABCD',
      SnsTopicArns: [{ Ref: s.resolve(s.getLogicalId(s.hunt.topic.node.defaultChild as never)) }],
    });
    t.hasResourceProperties('AWS::Lambda::Function', { VpcConfig: { SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'], SecurityGroupIds: Match.anyValue() } });
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 3 * * ? *)', ScheduleExpressionTimezone: 'Europe/Berlin' });
  });
});

describe('deploys everywhere', () => {
  it('reads a secret whose name ends in "-" and six characters by its name, never as a partial ARN', () => {
    const { template: t } = synth({ 'nmDispatcherHunt:esSecret': 'prod/elasticsearch-abc123' });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ES_SECRET_ID: 'prod/elasticsearch-abc123' }) } });
    const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    assert.match(policies, /:secret:prod\/elasticsearch-abc123-\?\?\?\?\?\?"/, 'the grant covers the real ARN: name, "-", six characters');
  });

  it('passes a complete secret ARN as it is', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/elasticsearch-abc123-XyZ789';
    const { template: t } = synth({ 'nmDispatcherHunt:esSecret': arn });
    t.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ES_SECRET_ID: arn }) } });
  });

  it('reserves concurrency only when asked, and refuses a reservation out of range', () => {
    synth({ 'nmDispatcherHunt:reservedConcurrency': '1' }).template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1 });
    assert.throws(() => synth({ 'nmDispatcherHunt:reservedConcurrency': '0' }), /reservedConcurrency" must be a whole number from 1 to 1000/);
  });
});

describe('npx cdk synth', () => {
  it('bundles the handler with local esbuild, offline and without credentials, and passes cfn-lint', () => {
    const out = mkdtempSync(join(tmpdir(), 'nmdh-synth-'));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DISABLE_CLI_TELEMETRY: 'true' };
    const root = new URL('..', import.meta.url).pathname;
    execFileSync('npx', ['cdk', 'synth', '-q', '-o', out, '-c', 'nmDispatcherHunt:esSecret=nm-dispatcher-hunt/elasticsearch', '-c', 'nmDispatcherHunt:alertEmails=soc@example.com'], { env, stdio: 'pipe', cwd: root });
    const synthesized = JSON.parse(readFileSync(join(out, 'NmDispatcherHunt.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string }; Environment?: { Variables?: Record<string, unknown> } } }> };
    const nightly = Object.values(synthesized.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.BASELINE_TABLE_NAME !== undefined);
    const asset = `asset.${nightly?.Properties.Code?.S3Key?.replace(/\.zip$/, '')}`;
    assert.ok(readdirSync(out).includes(asset), 'the nightly function is bundled as an asset');
    const bundle = readFileSync(join(out, asset, 'index.mjs'), 'utf8');
    assert.match(bundle, /createRequire/);
    assert.ok(bundle.length < 2_000_000, `bundle is ${bundle.length} bytes`);
    // The bundle loads and runs as Lambda would run it (the runtime provides @aws-sdk/*, here node_modules does).
    const cache = join(root, 'node_modules', '.cache', 'nm-dispatcher-hunt');
    mkdirSync(cache, { recursive: true });
    copyFileSync(join(out, asset, 'index.mjs'), join(cache, 'index.mjs'));
    const invoke = spawnSync(process.execPath, ['--input-type=module', '-e', `const { handler } = await import(${JSON.stringify(join(cache, 'index.mjs'))}); await handler({}, { awsRequestId: 'smoke', getRemainingTimeInMillis: () => 60000 }).catch((e) => console.log(e.name + ': ' + e.message));`], { encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' } });
    assert.match(invoke.stdout, /RunFailedError: Invalid configuration "BASELINE_TABLE_NAME": environment variable is missing/, invoke.stderr);
    const lint = spawnSync('cfn-lint', [join(out, 'NmDispatcherHunt.template.json'), '--ignore-checks', 'W3005'], { encoding: 'utf8' });
    if (lint.error) {
      console.log(`# cfn-lint not available here (${lint.error.message}); template lint skipped`);
      return;
    }
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  });
});
