import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { TemplateResolver, type CfnTemplate, type PseudoParameters } from './support/cfn-intrinsics';
import { AlarmDeliveryError, alarmRequestContext, walkAlarmDelivery } from './support/alarm-delivery-walk';
import { evaluatePolicy, UnmodelledPolicyError, type PolicyRequest } from './support/iam-policy-evaluation';
import { synthStack } from './support/synth-stack';

const PSEUDO: PseudoParameters = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333', stackName: 'NmDispatcherHunt' };
const TOPIC_STATEMENT = 'ThisAccountsCloudWatchAlarmsPublish';
const KEY_STATEMENT = 'ThisAccountsCloudWatchAlarmsUseTheKeyToPublish';

const { template } = synthStack();
const synthesized = template.toJSON() as CfnTemplate;

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** A deep copy of the template, changed by `change`: a mutation the walk must catch. */
function mutated(change: (t: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }) => void): CfnTemplate {
  const copy = structuredClone(synthesized) as unknown as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  change(copy);
  return copy as unknown as CfnTemplate;
}

function statementsOf(t: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }, type: 'AWS::SNS::TopicPolicy' | 'AWS::KMS::Key'): Statement[] {
  const resource = Object.values(t.Resources).find((r) => r.Type === type);
  assert.ok(resource, type);
  const document = (type === 'AWS::KMS::Key' ? resource.Properties.KeyPolicy : resource.Properties.PolicyDocument) as { Statement: Statement[] };
  return document.Statement;
}

function statement(t: Parameters<typeof statementsOf>[0], type: Parameters<typeof statementsOf>[1], sid: string): Statement {
  const found = statementsOf(t, type).find((s) => s.Sid === sid);
  assert.ok(found, `${type} statement ${sid}`);
  return found;
}

function assertWalkFails(t: CfnTemplate, problem: RegExp): void {
  assert.throws(() => walkAlarmDelivery(t, PSEUDO), (error: unknown) => {
    assert.ok(error instanceof AlarmDeliveryError, String(error));
    assert.match(error.message, problem);
    return true;
  });
}

describe('alarm notifications reach the topic', () => {
  it('every alarm action and OK action of the stack may publish to its topic and use its key', () => {
    const deliveries = walkAlarmDelivery(synthesized, PSEUDO);
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    assert.ok(alarms.length >= 5, `${alarms.length} alarms`);
    for (const alarm of alarms) {
      const lists = (['AlarmActions', 'OKActions'] as const).filter((list) => (template.toJSON().Resources[alarm].Properties[list] ?? []).length > 0);
      assert.ok(lists.includes('AlarmActions'), `${alarm} notifies when it fires`);
      for (const list of lists) {
        const delivery = deliveries.find((d) => d.alarm === alarm && d.actionList === list);
        assert.ok(delivery, `${alarm} ${list}`);
        assert.deepEqual(delivery.allowedByTopicPolicy, [TOPIC_STATEMENT]);
        assert.deepEqual(delivery.allowedByKeyPolicy, { 'kms:GenerateDataKey': [KEY_STATEMENT], 'kms:Decrypt': [KEY_STATEMENT] });
      }
    }
  });

  it('holds in every partition and region, because nothing in the conditions is a literal', () => {
    for (const pseudo of [
      { ...PSEUDO, partition: 'aws-cn', region: 'cn-north-1' },
      { ...PSEUDO, partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '444455556666' },
    ]) {
      assert.ok(walkAlarmDelivery(synthesized, pseudo).length > 0);
    }
  });

  it('also delivers an alarm a team adds later to the exposed topic, named or not', () => {
    const { template: extended } = synthStack({}, (s) => {
      const action = new cloudwatchActions.SnsAction(s.hunt.topic);
      const throttles = s.hunt.function.metricThrottles({ period: Duration.hours(1) });
      new cloudwatch.Alarm(s, 'TeamThrottlesAlarm', { metric: throttles, threshold: 1, evaluationPeriods: 1 }).addAlarmAction(action);
      new cloudwatch.Alarm(s, 'TeamNamedAlarm', { alarmName: 'team/throttles:named', metric: throttles, threshold: 5, evaluationPeriods: 1 }).addAlarmAction(action);
    });
    const deliveries = walkAlarmDelivery(extended.toJSON() as CfnTemplate, PSEUDO);
    assert.ok(deliveries.some((d) => d.alarm.startsWith('TeamThrottlesAlarm')));
    assert.ok(deliveries.some((d) => d.alarm.startsWith('TeamNamedAlarm')));
  });

  it("refuses this account's alarms too when the request does not use TLS", () => {
    const resolver = new TemplateResolver(synthesized, PSEUDO);
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as { Properties: { PolicyDocument: unknown; Topics: unknown } }[];
    const [topicArn] = resolver.resolve(policy!.Properties.Topics) as string[];
    const request: PolicyRequest = {
      principal: { service: 'cloudwatch.amazonaws.com' },
      action: 'sns:Publish',
      resource: topicArn!,
      context: { ...alarmRequestContext(PSEUDO, `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:x`), 'aws:SecureTransport': false },
    };
    assert.deepEqual(evaluatePolicy(resolver.resolve(policy!.Properties.PolicyDocument), request), { decision: 'explicit-deny', allowedBy: [TOPIC_STATEMENT], deniedBy: ['AllowPublishThroughSSLOnly'] });
  });
});

describe('the walk fails on a template that would not deliver', () => {
  it('when the topic policy statement for CloudWatch is removed', () => {
    assertWalkFails(mutated((t) => {
      const statements = statementsOf(t, 'AWS::SNS::TopicPolicy');
      statements.splice(statements.findIndex((s) => s.Sid === TOPIC_STATEMENT), 1);
    }), /topic policy\) for sns:Publish: no statement allows/);
  });

  it("when the key policy statement for CloudWatch is removed", () => {
    assertWalkFails(mutated((t) => {
      const statements = statementsOf(t, 'AWS::KMS::Key');
      statements.splice(statements.findIndex((s) => s.Sid === KEY_STATEMENT), 1);
    }), /key policy\) for kms:GenerateDataKey: no statement allows/);
  });

  it('when the topic policy names another account', () => {
    assertWalkFails(mutated((t) => {
      statement(t, 'AWS::SNS::TopicPolicy', TOPIC_STATEMENT).Condition!.StringEquals!['aws:SourceAccount'] = '999988887777';
    }), /topic policy\) for sns:Publish: no statement allows/);
  });

  it("when the key policy's alarm ARN names another account or region", () => {
    for (const wrong of ['arn:aws:cloudwatch:eu-west-1:999988887777:alarm:*', 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:*']) {
      assertWalkFails(mutated((t) => {
        statement(t, 'AWS::KMS::Key', KEY_STATEMENT).Condition!.ArnLike!['aws:SourceArn'] = wrong;
      }), /key policy\) for kms:GenerateDataKey: no statement allows/);
    }
  });

  it('when the key grant lacks kms:GenerateDataKey*', () => {
    assertWalkFails(mutated((t) => {
      statement(t, 'AWS::KMS::Key', KEY_STATEMENT).Action = ['kms:Decrypt'];
    }), /for kms:GenerateDataKey: no statement allows/);
  });

  it('when an explicit Deny matches the alarm, on the topic or on the key', () => {
    assertWalkFails(mutated((t) => {
      statement(t, 'AWS::SNS::TopicPolicy', 'AllowPublishThroughSSLOnly').Condition = { Bool: { 'aws:SecureTransport': 'true' } };
    }), /for sns:Publish: denied explicitly by AllowPublishThroughSSLOnly/);
    assertWalkFails(mutated((t) => {
      statementsOf(t, 'AWS::KMS::Key').push({ Sid: 'NoServices', Effect: 'Deny', Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] }, Action: 'kms:*', Resource: '*' });
    }), /for kms:GenerateDataKey: denied explicitly by NoServices/);
  });

  it('when the template has no alarm at all', () => {
    assertWalkFails(mutated((t) => {
      for (const [id, r] of Object.entries(t.Resources)) if (r.Type === 'AWS::CloudWatch::Alarm') delete t.Resources[id];
    }), /no CloudWatch alarm at all/);
  });

  it('when an alarm has no action, or one that names a topic outside the template', () => {
    assertWalkFails(mutated((t) => {
      const [alarm] = Object.values(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
      alarm!.Properties.AlarmActions = [];
      alarm!.Properties.OKActions = ['arn:aws:sns:eu-west-1:111122223333:someone-elses-topic'];
    }), /someone-elses-topic: the topic is not in this template/);
    assertWalkFails(mutated((t) => {
      const [alarm] = Object.values(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
      alarm!.Properties.AlarmActions = [];
      alarm!.Properties.OKActions = [];
    }), /no alarm action, it reaches nobody/);
  });

  it('when the topic is encrypted with the AWS managed key for SNS', () => {
    assertWalkFails(mutated((t) => {
      const topic = Object.values(t.Resources).find((r) => r.Type === 'AWS::SNS::Topic');
      topic!.Properties.KmsMasterKeyId = 'alias/aws/sns';
    }), /AWS managed key alias\/aws\/sns/);
  });

  it('when a condition operator is one it does not model, instead of guessing', () => {
    assertWalkFails(mutated((t) => {
      const s = statement(t, 'AWS::SNS::TopicPolicy', TOPIC_STATEMENT);
      s.Condition = { ...s.Condition, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } };
    }), /condition operator DateGreaterThan is not modelled/);
  });

  it('when the template uses an intrinsic it does not resolve', () => {
    assertWalkFails(mutated((t) => {
      statement(t, 'AWS::SNS::TopicPolicy', TOPIC_STATEMENT).Condition!.StringEquals!['aws:SourceAccount'] = { 'Fn::ImportValue': 'shared-account' };
    }), /Fn::ImportValue is not modelled/);
  });
});

describe('policy evaluation', () => {
  const base: PolicyRequest = {
    principal: { service: 'cloudwatch.amazonaws.com' },
    action: 'sns:Publish',
    resource: 'arn:aws:sns:eu-west-1:111122223333:alerts',
    context: { 'aws:SourceAccount': '111122223333', 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a:b', 'aws:SecureTransport': true },
  };
  const allow = (extra: Record<string, unknown>) => ({ Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: '*', ...extra }] });
  const cases: [string, Record<string, unknown>, PolicyRequest, 'allow' | 'implicit-deny'][] = [
    ['actions match case-insensitively with wildcards', { Action: 'SNS:Pub*' }, base, 'allow'],
    ['an action wildcard does not stretch past its text', { Action: 'sns:Publish?' }, base, 'implicit-deny'],
    ['NotAction excludes', { Action: undefined, NotAction: 'sns:*' }, base, 'implicit-deny'],
    ['another service principal does not match', { Principal: { Service: 'events.amazonaws.com' } }, base, 'implicit-deny'],
    ['"*" matches a service', { Principal: '*' }, base, 'allow'],
    ['{AWS: "*"} matches a service', { Principal: { AWS: '*' } }, base, 'allow'],
    ['an account root does not match a service', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }, base, 'implicit-deny'],
    ['an account root matches a role of that account', { Principal: { AWS: 'arn:aws:iam::111122223333:root' } }, { ...base, principal: { arn: 'arn:aws:iam::111122223333:role/r' } }, 'allow'],
    ['ArnLike matches per component', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:111122223333:alarm:*' } } }, base, 'allow'],
    ['ArnLike wildcards do not cross components', { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:alarm:*' } } }, base, 'implicit-deny'],
    ['ArnEquals allows wildcards too, as IAM documents', { Condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:*' } } }, base, 'allow'],
    ['condition key names are case-insensitive', { Condition: { StringEquals: { 'AWS:SOURCEACCOUNT': '111122223333' } } }, base, 'allow'],
    ['condition values are case-sensitive', { Condition: { StringLike: { 'aws:SourceArn': 'ARN:*' } } }, base, 'implicit-deny'],
    ['values in one key are ORed', { Condition: { StringEquals: { 'aws:SourceAccount': ['999988887777', '111122223333'] } } }, base, 'allow'],
    ['keys are ANDed', { Condition: { StringEquals: { 'aws:SourceAccount': '111122223333', 'aws:PrincipalOrgID': 'o-1' } } }, base, 'implicit-deny'],
    ['an absent key fails a positive operator', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }, base, 'implicit-deny'],
    ['an absent key passes IfExists', { Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-1' } } }, base, 'allow'],
    ['an absent key passes a negated operator', { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-1' } } }, base, 'allow'],
    ['ForAnyValue on an absent key is false', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } } }, base, 'implicit-deny'],
    ['ForAllValues on an absent key is true', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'team' } } }, base, 'allow'],
    ['ForAnyValue matches one of several values', { Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'team' } } }, { ...base, context: { ...base.context, 'aws:TagKeys': ['owner', 'team'] } }, 'allow'],
    ['Bool compares the transport', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, base, 'implicit-deny'],
    ['Null true means absent', { Condition: { Null: { 'aws:PrincipalOrgID': 'true' } } }, base, 'allow'],
  ];
  for (const [name, extra, request, expected] of cases) {
    it(name, () => assert.equal(evaluatePolicy(allow(extra), request).decision, expected));
  }

  it('refuses NotPrincipal, policy variables and unknown operators rather than guess', () => {
    assert.throws(() => evaluatePolicy(allow({ Principal: undefined, NotPrincipal: { AWS: 'x' } }), base), UnmodelledPolicyError);
    assert.throws(() => evaluatePolicy(allow({ Resource: 'arn:aws:sns:*:${aws:PrincipalAccount}:*' }), base), UnmodelledPolicyError);
    assert.throws(() => evaluatePolicy(allow({ Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }), base), /NumericLessThan is not modelled/);
    assert.throws(() => evaluatePolicy(allow({ Condition: { StringEquals: { 'aws:TagKeys': 'team' } } }), { ...base, context: { 'aws:TagKeys': ['a', 'b'] } }), /multivalued key/);
  });
});
