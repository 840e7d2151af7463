// Walks a synthesized template from every CloudWatch alarm action to the SNS topic it names, that topic's policy and
// the topic's KMS key policy, and evaluates each for the request a CloudWatch alarm of this account makes when it
// changes state. It proves what the template allows; it cannot prove what AWS does with it.
import { TemplateResolver, type CfnTemplate, type PseudoParameters } from './cfn-intrinsics';
import { evaluatePolicy, type PolicyDecision, type PolicyRequest } from './iam-policy-evaluation';

const CLOUDWATCH = 'cloudwatch.amazonaws.com';
const ACTION_LISTS = ['AlarmActions', 'OKActions', 'InsufficientDataActions'] as const;
/** What publishing to an SSE topic asks of its key, per the SNS key management guide's entry for CloudWatch. */
const KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

export interface AlarmDelivery {
  readonly alarm: string;
  readonly actionList: (typeof ACTION_LISTS)[number];
  readonly topic: string;
  readonly allowedByTopicPolicy: readonly string[];
  readonly allowedByKeyPolicy: Readonly<Record<string, readonly string[]>>;
}

export class AlarmDeliveryError extends Error {
  override readonly name = 'AlarmDeliveryError';
  constructor(readonly problems: readonly string[]) {
    super(`alarm notifications would not be delivered:\n- ${problems.join('\n- ')}`);
  }
}

/** Every alarm action's path to its topic, or an AlarmDeliveryError naming each broken one. */
export function walkAlarmDelivery(template: CfnTemplate, pseudo: PseudoParameters): AlarmDelivery[] {
  const resolve = new TemplateResolver(template, pseudo);
  const resources = Object.entries(template.Resources);
  const alarms = resources.filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm');
  if (alarms.length === 0) throw new AlarmDeliveryError(['the template has no CloudWatch alarm at all']);

  const problems: string[] = [];
  const deliveries: AlarmDelivery[] = [];
  for (const [alarmId, alarm] of alarms) {
    const properties = alarm.Properties ?? {};
    if (properties.ActionsEnabled === false) problems.push(`${alarmId}: actions are disabled`);
    let alarmArn: string;
    let actions: { list: AlarmDelivery['actionList']; arn: unknown }[];
    try {
      alarmArn = resolve.getAtt(alarmId, 'Arn');
      actions = ACTION_LISTS.flatMap((list) => ((resolve.resolve(properties[list]) as unknown[] | undefined) ?? []).map((arn) => ({ list, arn })));
    } catch (error) {
      problems.push(`${alarmId}: ${(error as Error).message}`);
      continue;
    }
    if (actions.length === 0) problems.push(`${alarmId}: no alarm action, it reaches nobody`);
    for (const { list, arn } of actions) {
      try {
        deliveries.push(deliver(resolve, template, alarmId, alarmArn, list, arn));
      } catch (error) {
        problems.push(`${alarmId} ${list} → ${String(arn)}: ${(error as Error).message}`);
      }
    }
  }
  if (problems.length > 0) throw new AlarmDeliveryError(problems);
  return deliveries;
}

/** The request context of a CloudWatch alarm in this account notifying through SNS, over TLS. */
export function alarmRequestContext(pseudo: PseudoParameters, alarmArn: string): PolicyRequest['context'] {
  return { 'aws:SourceAccount': pseudo.accountId, 'aws:SourceArn': alarmArn, 'aws:SecureTransport': true };
}

function deliver(resolve: TemplateResolver, template: CfnTemplate, alarmId: string, alarmArn: string, list: AlarmDelivery['actionList'], action: unknown): AlarmDelivery {
  if (typeof action !== 'string' || !/^arn:[\w-]+:sns:/.test(action)) throw new Error('not an SNS topic ARN; only SNS alarm actions are modelled');
  const topicId = Object.keys(template.Resources).find((id) => template.Resources[id]?.Type === 'AWS::SNS::Topic' && resolve.ref(id) === action);
  if (!topicId) throw new Error('the topic is not in this template, so its policy cannot be checked');
  const context = alarmRequestContext(resolve.pseudo, alarmArn);
  const principal = { service: CLOUDWATCH };

  const topicPolicies = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::SNS::TopicPolicy' && (resolve.resolve(r.Properties?.Topics) as unknown[]).includes(action));
  if (topicPolicies.length === 0) throw new Error(`${topicId} has no topic policy in the template (SNS's default policy is not modelled)`);
  if (topicPolicies.length > 1) throw new Error(`${topicId} has ${topicPolicies.length} topic policies; which one applies depends on deployment order`);
  const [policyId, policy] = topicPolicies[0] as [string, { Properties?: Record<string, unknown> }];
  const published = evaluatePolicy(resolve.resolve(policy.Properties?.PolicyDocument), { principal, action: 'sns:Publish', resource: action, context });
  requireAllowed(published, `${policyId} (topic policy) for sns:Publish`);

  const allowedByKeyPolicy: Record<string, readonly string[]> = {};
  const masterKey = resolve.resolve(template.Resources[topicId]?.Properties?.KmsMasterKeyId);
  if (masterKey !== undefined) {
    const keyId = findKey(resolve, template, masterKey);
    const keyArn = resolve.getAtt(keyId, 'Arn');
    const keyPolicy = template.Resources[keyId]?.Properties?.KeyPolicy;
    if (keyPolicy === undefined) throw new Error(`${keyId} has no key policy in the template`);
    for (const keyAction of KEY_ACTIONS) {
      const decision = evaluatePolicy(resolve.resolve(keyPolicy), { principal, action: keyAction, resource: keyArn, context });
      requireAllowed(decision, `${keyId} (key policy) for ${keyAction}`);
      allowedByKeyPolicy[keyAction] = decision.allowedBy;
    }
  }
  return { alarm: alarmId, actionList: list, topic: topicId, allowedByTopicPolicy: published.allowedBy, allowedByKeyPolicy };
}

function findKey(resolve: TemplateResolver, template: CfnTemplate, masterKey: unknown): string {
  if (typeof masterKey !== 'string') throw new Error(`KmsMasterKeyId does not resolve to a string: ${JSON.stringify(masterKey)}`);
  if (/(^|:)alias\/aws\/sns$/.test(masterKey)) throw new Error('the topic uses the AWS managed key alias/aws/sns, whose policy cannot let CloudWatch use it');
  const keys = Object.keys(template.Resources).filter((id) => template.Resources[id]?.Type === 'AWS::KMS::Key');
  const direct = keys.find((id) => resolve.ref(id) === masterKey || resolve.getAtt(id, 'Arn') === masterKey);
  if (direct) return direct;
  const alias = Object.keys(template.Resources).find((id) => template.Resources[id]?.Type === 'AWS::KMS::Alias' && masterKey.endsWith(resolve.ref(id)));
  const target = alias ? resolve.resolve(template.Resources[alias]?.Properties?.TargetKeyId) : undefined;
  const viaAlias = keys.find((id) => resolve.ref(id) === target || resolve.getAtt(id, 'Arn') === target);
  if (viaAlias) return viaAlias;
  throw new Error(`the topic's key ${masterKey} is not in this template, so its key policy cannot be checked`);
}

function requireAllowed(decision: PolicyDecision, what: string): void {
  if (decision.decision === 'explicit-deny') throw new Error(`${what}: denied explicitly by ${decision.deniedBy.join(', ')}`);
  if (decision.decision === 'implicit-deny') throw new Error(`${what}: no statement allows this account's alarms`);
}
