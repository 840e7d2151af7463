import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Fn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { NmDispatcherHuntProps } from './nm-dispatcher-hunt';
import { ScheduleExpressionError } from './schedule-expression';
import { deadMansSwitchHours } from './schedule-gaps';
import { CONTEXT_KEYS, CONTEXT_PREFIX, ContextError, DEFAULT_STACK_NAME, KIBANA_URL, contextReader, huntConfigOf, problemLine, type Context, type ContextName } from './context-keys';

export { CONTEXT_KEYS, CONTEXT_PREFIX, ContextError, DEFAULT_STACK_NAME, contextMarkdown } from './context-keys';

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
  const { get, text, list, flag } = contextReader(context, fail);

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

  const huntConfig = huntConfigOf(contextReader(context, fail), fail);

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

  const kibanaUrl = text('kibanaUrl', KIBANA_URL);
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
