import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Fn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../functions/core/errors';
import { parseHuntConfig } from '../functions/core/hunt-config';
import type { NmDispatcherHuntProps } from './nm-dispatcher-hunt';

/** Every context key the app reads, with the example a platform engineer can copy. */
export const CONTEXT_KEYS = {
  esSecret: { key: 'nmDispatcherHunt:esSecret', example: 'nm-dispatcher-hunt/elasticsearch', default: 'required', description: 'Name or complete ARN of the Secrets Manager secret with the Elasticsearch connection' },
  esSecretKmsKeyArn: { key: 'nmDispatcherHunt:esSecretKmsKeyArn', example: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', default: 'none', description: "ARN of the customer-managed KMS key encrypting the secret, if it has one" },
  alertEmails: { key: 'nmDispatcherHunt:alertEmails', example: 'soc@example.com,oncall@example.com', default: 'none', description: 'Comma-separated addresses subscribed by email (each confirms once)' },
  slackWorkspaceId: { key: 'nmDispatcherHunt:slackWorkspaceId', example: 'T0123ABCD', default: 'none', description: 'Slack workspace id authorised in Amazon Q Developer in chat applications' },
  slackChannelId: { key: 'nmDispatcherHunt:slackChannelId', example: 'C0123ABCD', default: 'none', description: 'Slack channel id receiving alerts (with slackWorkspaceId)' },
  scheduleExpression: { key: 'nmDispatcherHunt:scheduleExpression', example: 'cron(0 2 * * ? *)', default: 'cron(0 2 * * ? *)', description: 'EventBridge Scheduler expression' },
  scheduleTimeZone: { key: 'nmDispatcherHunt:scheduleTimeZone', example: 'Europe/Berlin', default: 'UTC', description: 'IANA time zone of the schedule' },
  lookbackDays: { key: 'nmDispatcherHunt:lookbackDays', example: '30', default: '30', description: 'Days of events each hunt reads (1 to 365)' },
  thresholds: { key: 'nmDispatcherHunt:thresholds', example: '{"dispatcher-child-process":{"maxAgentCount":3,"maxEventCount":15}}', default: "each hunt's defaults", description: 'JSON: rarity thresholds per hunt (maxAgentCount, maxEventCount)' },
  exclusions: { key: 'nmDispatcherHunt:exclusions', example: '{"dispatcher-script-write":["/opt/ansible/bin/python3","/opt/salt/*"]}', default: 'none', description: 'JSON: trusted executables per hunt, exact path or prefix ending in *' },
  extraIndexPatterns: { key: 'nmDispatcherHunt:extraIndexPatterns', example: 'logs-sentinel_one_cloud_funnel.*,endgame-*', default: 'none', description: "Comma-separated index patterns added to both hunts (the seed rule's are shown)" },
  kibanaUrl: { key: 'nmDispatcherHunt:kibanaUrl', example: 'https://kibana.example.com', default: 'none', description: 'Kibana base URL for Discover links in alerts' },
  vpcId: { key: 'nmDispatcherHunt:vpcId', example: 'vpc-0123456789abcdef0', default: 'none', description: 'Run the function in this VPC (with subnetIds)' },
  subnetIds: { key: 'nmDispatcherHunt:subnetIds', example: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210', default: 'none', description: 'Comma-separated private subnet ids with a route to Elasticsearch and AWS APIs' },
} as const;

type ContextName = keyof typeof CONTEXT_KEYS;

/** The README's context table, generated from CONTEXT_KEYS. */
export function contextMarkdown(): string {
  const rows = Object.values(CONTEXT_KEYS).map((k) => `| \`${k.key}\` | ${k.description} | ${k.default} | \`${k.example}\` |`);
  return ['| Context key | Meaning | Default | Example |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(name: ContextName, problem: string) {
    const { key, example } = CONTEXT_KEYS[name];
    super(`Context "${key}" ${problem}. Example: npx cdk deploy -c ${key}='${example}'`);
  }
}

/** Reads and validates the app's context into construct props; fails synth with the key and an example. */
export function propsFromContext(scope: Construct, read: (key: string) => unknown): NmDispatcherHuntProps {
  const get = (name: ContextName) => read(CONTEXT_KEYS[name].key);
  const text = (name: ContextName, pattern?: RegExp): string | undefined => {
    const value = get(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw new ContextError(name, 'must be a string');
    const s = String(value).trim();
    if (pattern && !pattern.test(s)) throw new ContextError(name, 'is not valid');
    return s;
  };
  const list = (name: ContextName, pattern: RegExp): string[] => {
    const value = get(name);
    if (value === undefined || value === '') return [];
    const items = Array.isArray(value) ? value : String(value).split(',');
    return items.map((item) => {
      const s = String(item).trim();
      if (!pattern.test(s)) throw new ContextError(name, `has an invalid entry`);
      return s;
    });
  };
  const json = (name: ContextName): unknown => {
    const value = get(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      throw new ContextError(name, 'is not valid JSON');
    }
  };

  const secret = text('esSecret');
  if (!secret) throw new ContextError('esSecret', 'is required: the name or ARN of the Secrets Manager secret holding the Elasticsearch connection');
  const secretArn = /^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(secret);
  if (!secretArn && !/^[\w/+=.@-]{1,512}$/.test(secret)) throw new ContextError('esSecret', 'must be a secret name or a complete secret ARN (ending in its six-character suffix)');
  const elasticsearchSecret = secretArn
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'ElasticsearchSecret', secret)
    : secretsmanager.Secret.fromSecretNameV2(scope, 'ElasticsearchSecret', secret);

  const secretKeyArn = text('esSecretKmsKeyArn', /^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[0-9a-f-]{36}$/);

  const slackWorkspaceId = text('slackWorkspaceId', /^[A-Z0-9]{9,11}$/);
  const slackChannelId = text('slackChannelId', /^[A-Z0-9]{9,11}$/);
  if ((slackWorkspaceId === undefined) !== (slackChannelId === undefined)) {
    throw new ContextError(slackWorkspaceId === undefined ? 'slackWorkspaceId' : 'slackChannelId', 'must be given together with its Slack counterpart (workspace id and channel id)');
  }

  const lookback = text('lookbackDays', /^\d+$/);
  let huntConfig: unknown;
  try {
    huntConfig = parseHuntConfig({
      ...(lookback ? { lookbackDays: Number(lookback) } : {}),
      ...(json('thresholds') !== undefined ? { thresholds: json('thresholds') } : {}),
      ...(json('exclusions') !== undefined ? { exclusions: json('exclusions') } : {}),
      extraIndexPatterns: list('extraIndexPatterns', /^\S+$/),
    });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const name: ContextName = error.field.startsWith('thresholds') ? 'thresholds' : error.field.startsWith('exclusions') ? 'exclusions' : error.field.startsWith('extraIndexPatterns') ? 'extraIndexPatterns' : 'lookbackDays';
    throw new ContextError(name, `is invalid: ${error.message}`);
  }

  const scheduleExpression = text('scheduleExpression', /^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/);
  const scheduleTimeZone = text('scheduleTimeZone', /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/);
  if (scheduleTimeZone && !Intl.supportedValuesOf('timeZone').includes(scheduleTimeZone) && scheduleTimeZone !== 'UTC') {
    throw new ContextError('scheduleTimeZone', 'is not an IANA time zone');
  }

  const vpcId = text('vpcId', /^vpc-[0-9a-f]{8,17}$/);
  const subnetIds = list('subnetIds', /^subnet-[0-9a-f]{8,17}$/);
  if ((vpcId === undefined) !== (subnetIds.length === 0)) throw new ContextError(vpcId === undefined ? 'vpcId' : 'subnetIds', 'must be given together with its counterpart (VPC id and subnet ids)');

  return {
    elasticsearchSecret,
    ...(secretKeyArn ? { elasticsearchSecretKey: kms.Key.fromKeyArn(scope, 'ElasticsearchSecretKey', secretKeyArn) } : {}),
    alertEmails: list('alertEmails', /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/),
    ...(slackWorkspaceId && slackChannelId ? { slack: { workspaceId: slackWorkspaceId, channelId: slackChannelId } } : {}),
    ...(scheduleExpression ? { scheduleExpression } : {}),
    ...(scheduleTimeZone ? { scheduleTimeZone } : {}),
    huntConfig,
    ...(text('kibanaUrl', /^https?:\/\/\S+$/) ? { kibanaUrl: text('kibanaUrl') } : {}),
    ...(vpcId
      ? {
          vpc: {
            // No lookup: synth stays offline. Subnet ids are what the function's VpcConfig uses.
            vpc: ec2.Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId, availabilityZones: subnetIds.map((_, i) => Fn.select(i, Fn.getAzs())) }),
            subnets: { subnets: subnetIds.map((id, i) => ec2.Subnet.fromSubnetId(scope, `Subnet${i}`, id)) },
          },
        }
      : {}),
  };
}
