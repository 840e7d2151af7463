import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { runCli } from '../functions/cli/cli';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { ANALYST_ACTIONS } from '../lib/analyst-policies';
import { startDynamoFaultProxy, type DynamoFaultProxy } from './support/dynamodb-fault-proxy';
import { writeFinding } from './support/harness';
import { synthStack } from './support/synth-stack';

const { template, stack } = synthStack();
const ref = (construct: { node: { defaultChild?: unknown } }) => stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;
const { hunt } = stack;

describe('stack outputs', () => {
  it('name everything an operator and the CLI need', () => {
    const expected: Record<string, unknown> = {
      Region: { Ref: 'AWS::Region' },
      BaselineTableName: { Ref: ref(hunt.table) },
      AlertTopicArn: { Ref: ref(hunt.topic) },
      FunctionName: { Ref: ref(hunt.function) },
      ScheduleName: { Ref: ref(hunt.schedule) },
      DeadLetterQueueUrl: { Ref: ref(hunt.deadLetterQueue) },
      LogGroupName: { Ref: ref(hunt.logGroup) },
      AnalystPolicyArn: { Ref: ref(hunt.analystPolicies.triage) },
      BaselineImportPolicyArn: { Ref: ref(hunt.analystPolicies.import) },
    };
    for (const [name, value] of Object.entries(expected)) template.hasOutput(name, { Value: value, Description: Match.stringLikeRegexp('.') });
  });
});

describe('analyst policies', () => {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const statementOf = (logicalId: string) => {
    const document = (policies[logicalId] as { Properties: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } } }).Properties.PolicyDocument;
    assert.equal(document.Statement.length, 1);
    return document.Statement[0]!;
  };
  const tableResources = [{ 'Fn::GetAtt': [ref(hunt.table), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(hunt.table), 'Arn'] }, '/index/*']] }];

  it('give triage (list, show, approve, forget, export) on this table and its indexes only, and no bulk writes', () => {
    const triage = statementOf(ref(hunt.analystPolicies.triage));
    assert.deepEqual([...triage.Action].sort(), [...ANALYST_ACTIONS.triage].sort());
    assert.deepEqual(triage.Resource, tableResources);
    for (const bulk of ['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:*']) assert.ok(!triage.Action.includes(bulk), bulk);
  });

  it('keep import apart, and attach neither to anyone: an administrator decides who gets them', () => {
    const importing = statementOf(ref(hunt.analystPolicies.import));
    assert.deepEqual([...importing.Action].sort(), [...ANALYST_ACTIONS.import].sort());
    assert.deepEqual(importing.Resource, tableResources);
    for (const policy of Object.values(policies) as { Properties: Record<string, unknown> }[]) {
      assert.equal(policy.Properties.Roles, undefined);
      assert.equal(policy.Properties.Users, undefined);
      assert.equal(policy.Properties.Groups, undefined);
    }
  });
});

describe('the CLI commands an analyst runs stay within those policies', () => {
  let db: EmbeddedDynamoDb;
  let proxy: DynamoFaultProxy;
  let table: string;
  const write = huntById('dispatcher-script-write')!;
  const NOW = '2026-11-25T02:00:00.000Z';
  const entries = ['/etc/NetworkManager/dispatcher.d/01-a', '/etc/NetworkManager/dispatcher.d/02-b'].map((path) => ({
    ...entryFromFinding(write, writeFinding(path, '/usr/bin/bash'), 'alerted', NOW),
    alertMessageId: 'm-1',
    alertedAt: NOW,
  }));

  before(async () => {
    db = await startEmbeddedDynamoDb();
    proxy = await startDynamoFaultProxy(db.endpoint);
    Object.assign(process.env, { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });
    table = await db.createTable();
    await new DynamoDbBaselineStore(db.client, table).putMany(entries);
  });
  after(async () => {
    await proxy.close();
    await db.close();
  });

  async function operationsOf(args: string[]): Promise<string[]> {
    proxy.operations.length = 0;
    let stderr = '';
    const code = await runCli([...args, '--table', table], { out: { write: () => {} }, err: { write: (s) => void (stderr += s) }, env: {} });
    assert.equal(code, 0, stderr);
    return [...new Set(proxy.operations)].map((operation) => `dynamodb:${operation}`);
  }

  it('list, show, export, approve and forget call only what the triage policy allows', async () => {
    const exported = join(mkdtempSync(join(tmpdir(), 'nmdh-access-')), 'baseline.jsonl');
    const used = [
      ...(await operationsOf(['baseline', 'list'])),
      ...(await operationsOf(['baseline', 'show', entries[0]!.fingerprint.slice(0, 12)])),
      ...(await operationsOf(['baseline', 'export', exported])),
      ...(await operationsOf(['baseline', 'approve', entries[0]!.fingerprint.slice(0, 12), '--note', 'known VPN hook', '--by', 'alice'])),
      ...(await operationsOf(['baseline', 'forget', entries[1]!.fingerprint])),
    ];
    assert.ok(used.length > 0);
    for (const operation of used) assert.ok((ANALYST_ACTIONS.triage as readonly string[]).includes(operation), `${operation} is not in the triage policy`);

    const imported = await operationsOf(['baseline', 'import', exported]);
    for (const operation of imported) assert.ok((ANALYST_ACTIONS.import as readonly string[]).includes(operation), `${operation} is not in the import policy`);
  });
});
