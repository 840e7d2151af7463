import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Match } from 'aws-cdk-lib/assertions';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { runNightlyHunt } from '../functions/core/nightly-run';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { TemplateResolver, type CfnTemplate, type PseudoParameters } from './support/cfn-intrinsics';
import { startDynamoFaultProxy, type DynamoFaultProxy } from './support/dynamodb-fault-proxy';
import { Clock, HUNTS, RecordingNotifier, ScriptedRunner, childFinding, silentLog, writeFinding } from './support/harness';
import { evaluatePolicy, type PolicyRequest } from './support/iam-policy-evaluation';
import { synthStack } from './support/synth-stack';

const PSEUDO: PseudoParameters = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333', stackName: 'NmDispatcherHunt' };
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const VPC = { 'nmDispatcherHunt:vpcId': 'vpc-0123456789abcdef0', 'nmDispatcherHunt:subnetIds': 'subnet-0123456789abcdef0,subnet-0fedcba9876543210' };

/** The function role's identity policy, resolved with concrete account, region and partition. */
function functionPolicy(context: Record<string, unknown>) {
  const { template, stack } = synthStack(context);
  const json = template.toJSON() as CfnTemplate;
  const roleId = stack.resolve(stack.getLogicalId(stack.hunt.function.role!.node.defaultChild as never)) as string;
  const [policy] = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })) as { Properties: { PolicyDocument: unknown } }[];
  assert.ok(policy);
  return { template, stack, document: new TemplateResolver(json, PSEUDO).resolve(policy.Properties.PolicyDocument), roleId };
}

const decrypt = (context: PolicyRequest['context']): PolicyRequest => ({ principal: { arn: 'arn:aws:iam::111122223333:role/fn' }, action: 'kms:Decrypt', resource: KEY_ARN, context });
const secretsManager = { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' };

describe("the secret's customer managed key", () => {
  for (const [how, secret, arn] of [
    ['by name', 'nm-dispatcher-hunt/elasticsearch', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:nm-dispatcher-hunt/elasticsearch-AbC123'],
    ['by complete ARN', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:es-conn-XyZ789', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:es-conn-XyZ789'],
  ] as const) {
    it(`decrypts only through Secrets Manager, and only for that secret (secret ${how})`, () => {
      const { document } = functionPolicy({ 'nmDispatcherHunt:esSecret': secret, 'nmDispatcherHunt:esSecretKmsKeyArn': KEY_ARN });
      const check = (context: PolicyRequest['context']) => evaluatePolicy(document, decrypt(context), 'identity').decision;
      assert.equal(check({ ...secretsManager, 'kms:EncryptionContext:SecretARN': arn }), 'allow');
      assert.equal(check({ 'kms:EncryptionContext:SecretARN': arn }), 'implicit-deny', 'a direct kms:Decrypt call');
      assert.equal(check({ 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': arn }), 'implicit-deny', 'another region');
      assert.equal(check({ ...secretsManager, 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:payroll/db-QwErTy' }), 'implicit-deny', 'another secret');
      assert.equal(check({ 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': arn }), 'implicit-deny', 'another service');
    });
  }
});

describe('VPC mode', () => {
  const { template, stack, roleId } = functionPolicy({ ...VPC, 'nmDispatcherHunt:clusterPort': '9243' });

  it('grants the network-interface actions Lambda needs, not the AWS managed VPC policy', () => {
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
    const { document } = functionPolicy(VPC);
    const statements = (document as { Statement: { Sid?: string; Action: string | string[]; Resource: unknown }[] }).Statement;
    const ec2 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('ec2:')));
    assert.deepEqual(ec2.map((s) => [s.Sid, [s.Action].flat().sort()]), [
      ['LambdaDescribesNetworkInterfaces', ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets']],
      ['LambdaManagesTheFunctionsNetworkInterfaces', ['ec2:AssignPrivateIpAddresses', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses']],
    ]);
    const scoped = ec2[1]!.Resource as string[];
    assert.ok(scoped.includes('arn:aws:ec2:eu-west-1:111122223333:network-interface/*'));
    assert.ok(scoped.includes('arn:aws:ec2:eu-west-1:*:subnet/subnet-0123456789abcdef0'));
    assert.ok(!JSON.stringify(document).includes('logs:CreateLogGroup'), 'no log group beyond its own');
    assert.ok(roleId);
  });

  it('lets the function out on HTTPS and the cluster port only', () => {
    const sgId = stack.resolve(stack.getLogicalId(stack.node.findAll().find((c) => c.node.id === 'FunctionSecurityGroup')!.node.defaultChild as never)) as string;
    const sg = template.findResources('AWS::EC2::SecurityGroup')[sgId] as { Properties: { SecurityGroupEgress: { IpProtocol: string; FromPort: number; ToPort: number }[]; SecurityGroupIngress?: unknown } };
    assert.deepEqual(sg.Properties.SecurityGroupEgress.map((r) => [r.IpProtocol, r.FromPort, r.ToPort]), [['tcp', 443, 443], ['tcp', 9243, 9243]]);
    assert.equal(sg.Properties.SecurityGroupIngress, undefined);
    const defaultPort = synthStack(VPC).template.findResources('AWS::EC2::SecurityGroup');
    assert.deepEqual(Object.values(defaultPort).map((r) => (r as typeof sg).Properties.SecurityGroupEgress.map((e) => e.FromPort)), [[443]]);
  });

  it('refuses a cluster port outside VPC mode or outside 1-65535', () => {
    assert.throws(() => synthStack({ 'nmDispatcherHunt:clusterPort': '9243' }), /clusterPort" applies only in VPC mode/);
    assert.throws(() => synthStack({ ...VPC, 'nmDispatcherHunt:clusterPort': '70000' }), /clusterPort" must be a TCP port from 1 to 65535/);
  });
});

describe('the Slack channel', () => {
  it('only receives notifications: its guardrail denies every AWS action', () => {
    const { template } = synthStack({ 'nmDispatcherHunt:slackWorkspaceId': 'T0123ABCD', 'nmDispatcherHunt:slackChannelId': 'C0123ABCD' });
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      GuardrailPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSDenyAll']] }],
    });
    const roles = template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })] } } });
    for (const role of Object.values(roles) as { Properties: Record<string, unknown> }[]) assert.equal(role.Properties.ManagedPolicyArns, undefined);
  });
});

describe("the function's DynamoDB permissions", () => {
  let db: EmbeddedDynamoDb;
  let proxy: DynamoFaultProxy;
  before(async () => {
    db = await startEmbeddedDynamoDb();
    proxy = await startDynamoFaultProxy(db.endpoint);
  });
  after(async () => {
    await proxy.close();
    await db.close();
  });

  it('are exactly the operations nightly runs make: learning, quiet, new, failed publish, republish', async () => {
    const { document } = functionPolicy({});
    const granted = (document as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('dynamodb:'));

    const client = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const store = new DynamoDbBaselineStore(client, await db.createTable());
    const runner = new ScriptedRunner();
    const notifier = new RecordingNotifier();
    const clock = new Clock();
    let night = 0;
    const run = async () => {
      clock.advanceHours(24);
      return runNightlyHunt({ hunts: HUNTS, runner, store, notifier, clock: clock.now, log: silentLog }, { runId: `run-${++night}` });
    };
    const stock = [writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/cp'), childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/run-parts', 'run-parts /etc/network/if-up.d')];
    runner.findings = stock;
    await run(); // learning
    await run(); // quiet night: last seen and counts
    runner.findings = [...stock, writeFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/perl')];
    notifier.failNext = 1;
    await run().catch(() => undefined); // new finding, publish fails: left pending
    await run(); // republished, marked alerted
    assert.equal(notifier.alertedFingerprints().length, 1);

    const used = [...new Set(proxy.operations)].map((operation) => `dynamodb:${operation}`).sort();
    assert.deepEqual(used, [...granted].sort(), 'every granted DynamoDB action is used, and every used one is granted');
  });
});
