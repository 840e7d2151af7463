import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Fn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../functions/core/errors';
import { parseHuntConfig } from '../functions/core/hunt-config';
import type { NmDispatcherHuntProps } from './nm-dispatcher-hunt';
import { ScheduleExpressionError } from './schedule-expression';
import { deadMansSwitchHours } from './schedule-gaps';

export const CONTEXT_PREFIX = 'nmDispatcherHunt:';
export const DEFAULT_STACK_NAME = 'NmDispatcherHunt';

/** Every context key the app reads, with the example a platform engineer can copy. */
export const CONTEXT_KEYS = {
  stackName: { key: 'nmDispatcherHunt:stackName', example: 'NmDispatcherHunt-prod', default: DEFAULT_STACK_NAME, description: 'CloudFormation stack name; one deployment per name and region' },
  esSecret: { key: 'nmDispatcherHunt:esSecret', example: 'nm-dispatcher-hunt/elasticsearch', default: 'required', description: 'Name or complete ARN of the Secrets Manager secret with the Elasticsearch connection' },
  esSecretKmsKeyArn: { key: 'nmDispatcherHunt:esSecretKmsKeyArn', example: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', default: 'none', description: "ARN of the customer-managed KMS key encrypting the secret, if it has one" },
  alertEmails: { key: 'nmDispatcherHunt:alertEmails', example: 'soc@example.com,oncall@example.com', default: 'none', description: 'Comma-separated addresses subscribed by email (each confirms once)' },
  slackWorkspaceId: { key: 'nmDispatcherHunt:slackWorkspaceId', example: 'T0123ABCD', default: 'none', description: 'Slack workspace id authorised in Amazon Q Developer in chat applications' },
  slackChannelId: { key: 'nmDispatcherHunt:slackChannelId', example: 'C0123ABCD', default: 'none', description: 'Slack channel id receiving alerts (with slackWorkspaceId)' },
  subscribersOutsideStack: { key: 'nmDispatcherHunt:subscribersOutsideStack', example: 'true', default: 'false', description: 'true acknowledges that the topic gets its subscribers outside this stack; without it, no email and no Slack fails synth' },
  scheduleExpression: { key: 'nmDispatcherHunt:scheduleExpression', example: 'cron(0 2 * * ? *)', default: 'cron(0 2 * * ? *)', description: "EventBridge Scheduler cron() or rate() expression; runs at most 166 h apart (the dead man's switch waits the longest gap plus 2 h)" },
  scheduleTimeZone: { key: 'nmDispatcherHunt:scheduleTimeZone', example: 'Europe/Berlin', default: 'UTC', description: 'IANA time zone of the schedule' },
  lookbackDays: { key: 'nmDispatcherHunt:lookbackDays', example: '30', default: '30', description: 'Days of events each hunt reads (1 to 365)' },
  thresholds: { key: 'nmDispatcherHunt:thresholds', example: '{"dispatcher-child-process":{"maxAgentCount":3,"maxEventCount":15}}', default: "each hunt's defaults", description: 'JSON: rarity thresholds per hunt (maxAgentCount, and maxEventCount where the hunt uses it)' },
  exclusions: { key: 'nmDispatcherHunt:exclusions', example: '{"dispatcher-script-write":["/opt/ansible/bin/python3","/opt/salt/*"]}', default: 'none', description: 'JSON: trusted executables per hunt, exact path or prefix ending in *' },
  extraIndexPatterns: { key: 'nmDispatcherHunt:extraIndexPatterns', example: 'logs-sentinel_one_cloud_funnel.*,endgame-*', default: 'none', description: "Comma-separated index patterns added to both hunts (the seed rule's are shown)" },
  disabledHunts: { key: 'nmDispatcherHunt:disabledHunts', example: 'dispatcher-script-write', default: 'none', description: "Comma-separated hunt ids this deployment does not run (see Hunts); their pending findings are still published, and re-enabling one reads back to its last complete answer" },
  kibanaUrl: { key: 'nmDispatcherHunt:kibanaUrl', example: 'https://kibana.example.com', default: 'none', description: 'Kibana base URL for Discover links in alerts' },
  vpcId: { key: 'nmDispatcherHunt:vpcId', example: 'vpc-0123456789abcdef0', default: 'none', description: 'Run the function in this VPC (with subnetIds)' },
  subnetIds: { key: 'nmDispatcherHunt:subnetIds', example: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210', default: 'none', description: 'Comma-separated private subnet ids with a route to Elasticsearch and AWS APIs' },
  reservedConcurrency: { key: 'nmDispatcherHunt:reservedConcurrency', example: '1', default: 'none', description: "Reserve this many concurrent executions for the function (1 to 1000); not needed, overlapping runs never alert twice" },
  clusterPort: { key: 'nmDispatcherHunt:clusterPort', example: '9243', default: '443', description: "TCP port of the Elasticsearch endpoint, in VPC mode: the function's security group allows outbound HTTPS and this port only" },
} as const;

type ContextName = keyof typeof CONTEXT_KEYS;
type Context = Readonly<Record<string, unknown>>;

/** The README's context table, generated from CONTEXT_KEYS. */
export function contextMarkdown(): string {
  const rows = Object.values(CONTEXT_KEYS).map((k) => `| \`${k.key}\` | ${k.description.replace(/\|/g, '\\|')} | ${k.default} | \`${k.example}\` |`);
  return ['| Context key | Meaning | Default | Example |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** One line per problem, each naming the key, what is wrong and an example; `cdk synth` prints them without a stack trace. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

const problemLine = (name: ContextName, problem: string) => {
  const { key, example } = CONTEXT_KEYS[name];
  return `Context "${key}" ${problem}. Example: npx cdk deploy -c ${key}='${example}'`;
};

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** The stack's name when the context names a valid one; propsFromContext reports an invalid one. */
export function stackNameFromContext(context: Context): string {
  const name = context[CONTEXT_KEYS.stackName.key];
  return typeof name === 'string' && STACK_NAME.test(name) ? name : DEFAULT_STACK_NAME;
}

/** Reads and validates the app's context into construct props; fails synth with every problem, one line each. */
export function propsFromContext(scope: Construct, context: Context): NmDispatcherHuntProps {
  const problems: string[] = [];
  const fail = (name: ContextName, problem: string) => {
    problems.push(problemLine(name, problem));
    return undefined;
  };
  const get = (name: ContextName) => context[CONTEXT_KEYS[name].key];
  const text = (name: ContextName, pattern?: RegExp, what = 'is not valid'): string | undefined => {
    const value = get(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return fail(name, 'must be a string');
    const s = String(value).trim();
    if (pattern && !pattern.test(s)) return fail(name, what);
    return s;
  };
  const list = (name: ContextName, pattern: RegExp): string[] => {
    const value = get(name);
    if (value === undefined || value === '') return [];
    const items = (Array.isArray(value) ? value : String(value).split(',')).map((item) => String(item).trim());
    const invalid = items.find((item) => !pattern.test(item));
    if (invalid !== undefined) fail(name, `has an invalid entry "${invalid.slice(0, 80)}"`);
    return items.filter((item) => pattern.test(item));
  };
  const flag = (name: ContextName): boolean | undefined => {
    const value = get(name);
    if (value === undefined || value === '' || value === false || value === 'false') return false;
    if (value === true || value === 'true') return true;
    return fail(name, 'must be true or false');
  };
  const json = (name: ContextName): unknown => {
    const value = get(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return fail(name, 'is not valid JSON');
    }
  };

  problems.push(...unknownKeyProblems(context));
  if (get('stackName') !== undefined) text('stackName', STACK_NAME, 'must start with a letter and hold only letters, digits and hyphens (at most 128)');

  const secret = text('esSecret');
  let elasticsearchSecret: secretsmanager.ISecret | undefined;
  if (!secret) fail('esSecret', 'is required: the name or ARN of the Secrets Manager secret holding the Elasticsearch connection');
  else if (/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(secret)) elasticsearchSecret = secretsmanager.Secret.fromSecretCompleteArn(scope, 'ElasticsearchSecret', secret);
  else if (/^[\w/+=.@-]{1,512}$/.test(secret)) elasticsearchSecret = secretsmanager.Secret.fromSecretNameV2(scope, 'ElasticsearchSecret', secret);
  else fail('esSecret', 'must be a secret name or a complete secret ARN (ending in its six-character suffix)');

  const secretKeyArn = text('esSecretKmsKeyArn', /^arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[0-9a-f-]{36}$/);

  const alertEmails = list('alertEmails', /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/);
  const slackWorkspaceId = text('slackWorkspaceId', /^[A-Z0-9]{9,11}$/);
  const slackChannelId = text('slackChannelId', /^[A-Z0-9]{9,11}$/);
  if ((get('slackWorkspaceId') === undefined) !== (get('slackChannelId') === undefined)) {
    fail(get('slackWorkspaceId') === undefined ? 'slackWorkspaceId' : 'slackChannelId', 'must be given together with its Slack counterpart (workspace id and channel id)');
  }
  const subscribersOutsideStack = flag('subscribersOutsideStack');
  if (get('alertEmails') === undefined && get('slackChannelId') === undefined && get('slackWorkspaceId') === undefined && subscribersOutsideStack === false) {
    fail('alertEmails', `is not set and no Slack channel is either, so alerts and alarms would reach nobody; set one, or acknowledge subscribers added outside this stack with -c ${CONTEXT_KEYS.subscribersOutsideStack.key}=true`);
  }

  const huntConfig = huntConfigFromContext(text('lookbackDays', /^\d+$/, 'must be a whole number of days from 1 to 365'), json('thresholds'), json('exclusions'), list('extraIndexPatterns', /^\S+$/), list('disabledHunts', /^\S+$/), fail);

  let scheduleTimeZone = text('scheduleTimeZone', /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, 'is not an IANA time zone');
  if (scheduleTimeZone && !Intl.supportedValuesOf('timeZone').includes(scheduleTimeZone) && scheduleTimeZone !== 'UTC') scheduleTimeZone = fail('scheduleTimeZone', 'is not an IANA time zone');
  const scheduleExpression = text('scheduleExpression');
  // The schedule's gaps depend on its time zone: judge them only in a zone that exists.
  if (scheduleExpression && (scheduleTimeZone !== undefined || get('scheduleTimeZone') === undefined)) {
    try {
      deadMansSwitchHours(scheduleExpression, scheduleTimeZone ?? 'UTC');
    } catch (error) {
      if (!(error instanceof ScheduleExpressionError)) throw error;
      fail('scheduleExpression', `is not usable: ${error.message}`);
    }
  }

  const reservedText = text('reservedConcurrency', /^\d{1,4}$/, 'must be a whole number from 1 to 1000');
  const reservedConcurrency = reservedText === undefined ? undefined : Number(reservedText);
  if (reservedConcurrency !== undefined && (reservedConcurrency < 1 || reservedConcurrency > 1_000)) fail('reservedConcurrency', 'must be a whole number from 1 to 1000');

  const kibanaUrl = text('kibanaUrl', /^https?:\/\/\S+$/);
  const vpcId = text('vpcId', /^vpc-[0-9a-f]{8,17}$/);
  const subnetIds = list('subnetIds', /^subnet-[0-9a-f]{8,17}$/);
  if ((get('vpcId') === undefined) !== (get('subnetIds') === undefined)) fail(get('vpcId') === undefined ? 'vpcId' : 'subnetIds', 'must be given together with its counterpart (VPC id and subnet ids)');
  const clusterPortText = text('clusterPort', /^\d{1,5}$/, 'must be a TCP port from 1 to 65535');
  const clusterPort = clusterPortText === undefined ? undefined : Number(clusterPortText);
  if (clusterPort !== undefined && (clusterPort < 1 || clusterPort > 65_535)) fail('clusterPort', 'must be a TCP port from 1 to 65535');
  else if (clusterPort !== undefined && get('vpcId') === undefined) fail('clusterPort', 'applies only in VPC mode (with vpcId and subnetIds); without a VPC the function may reach any port');

  if (problems.length > 0 || !elasticsearchSecret) throw new ContextError(problems);
  return {
    elasticsearchSecret,
    ...(secretKeyArn ? { elasticsearchSecretKey: kms.Key.fromKeyArn(scope, 'ElasticsearchSecretKey', secretKeyArn) } : {}),
    alertEmails,
    ...(slackWorkspaceId && slackChannelId ? { slack: { workspaceId: slackWorkspaceId, channelId: slackChannelId } } : {}),
    ...(scheduleExpression ? { scheduleExpression } : {}),
    ...(scheduleTimeZone ? { scheduleTimeZone } : {}),
    huntConfig,
    ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
    ...(kibanaUrl ? { kibanaUrl } : {}),
    ...(vpcId && subnetIds.length > 0
      ? {
          vpc: {
            // No lookup: synth stays offline. Subnet ids are what the function's VpcConfig uses.
            vpc: ec2.Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId, availabilityZones: subnetIds.map((_, i) => Fn.select(i, Fn.getAzs())) }),
            subnets: { subnets: subnetIds.map((id, i) => ec2.Subnet.fromSubnetId(scope, `Subnet${i}`, id)) },
            ...(clusterPort !== undefined ? { clusterPort } : {}),
          },
        }
      : {}),
  };
}

/** Each hunt setting is checked on its own, so that every wrong one gets its own line. */
function huntConfigFromContext(
  lookbackDays: string | undefined,
  thresholds: unknown,
  exclusions: unknown,
  extraIndexPatterns: string[],
  disabledHunts: string[],
  fail: (name: ContextName, problem: string) => undefined,
): unknown {
  const sections: [ContextName, Record<string, unknown>][] = [
    ['lookbackDays', lookbackDays !== undefined ? { lookbackDays: Number(lookbackDays) } : {}],
    ['thresholds', thresholds !== undefined ? { thresholds } : {}],
    ['exclusions', exclusions !== undefined ? { exclusions } : {}],
    ['extraIndexPatterns', { extraIndexPatterns }],
    ['disabledHunts', { disabledHunts }],
  ];
  let valid = true;
  for (const [name, section] of sections) {
    try {
      parseHuntConfig(section);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      valid = false;
      fail(name, `is invalid: ${error.message}`);
    }
  }
  return valid ? parseHuntConfig(Object.assign({}, ...sections.map(([, section]) => section))) : undefined;
}

/** Keys in the app's namespace (or a near-miss of it) that the app does not read: a typo that would deploy silently. */
function unknownKeyProblems(context: Context): string[] {
  const known = Object.values(CONTEXT_KEYS).map((k) => k.key as string);
  const prefix = CONTEXT_PREFIX.slice(0, -1).toLowerCase();
  return Object.keys(context)
    .filter((key) => !known.includes(key))
    .filter((key) => key.includes(':') && editDistance(key.slice(0, key.indexOf(':')).toLowerCase(), prefix) <= 2)
    .map((key) => {
      const closest = known
        .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
        .sort((a, b) => a.distance - b.distance)[0];
      if (closest && closest.distance <= 3) {
        const name = (Object.keys(CONTEXT_KEYS) as ContextName[]).find((n) => CONTEXT_KEYS[n].key === closest.candidate) as ContextName;
        return `Context "${key}" is not a key this app reads; did you mean "${closest.candidate}"? Example: npx cdk deploy -c ${closest.candidate}='${CONTEXT_KEYS[name].example}'`;
      }
      return `Context "${key}" is not a key this app reads; the keys are listed in README.md, "Context". Example: npx cdk deploy -c ${CONTEXT_KEYS.esSecret.key}='${CONTEXT_KEYS.esSecret.example}'`;
    });
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min((row[j] as number) + 1, (next[j - 1] as number) + 1, (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length] as number;
}
