import { ConfigurationError } from '../functions/core/errors';
import { parseHuntConfig, type HuntConfig } from '../functions/core/hunt-config';

/*
 * The app's context keys and the readers that validate them, free of CDK imports: `cdk synth` and the CLI's dry run
 * (which runs with the configuration the app would deploy) read the same keys the same way.
 */

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
  thresholds: { key: 'nmDispatcherHunt:thresholds', example: '{"dispatcher-script-child":{"maxAgentCount":3,"maxEventCount":15}}', default: "each hunt's defaults", description: 'JSON: rarity thresholds per hunt (maxAgentCount, and maxEventCount where the hunt uses it)' },
  exclusions: { key: 'nmDispatcherHunt:exclusions', example: '{"dispatcher-script-write":["/opt/ansible/bin/python3","/opt/salt/*"]}', default: 'none', description: 'JSON: trusted executables per hunt, exact path or prefix ending in *' },
  extraIndexPatterns: { key: 'nmDispatcherHunt:extraIndexPatterns', example: 'logs-sentinel_one_cloud_funnel.*,endgame-*', default: 'none', description: "Comma-separated index patterns added to both hunts (the seed rule's are shown)" },
  disabledHunts: { key: 'nmDispatcherHunt:disabledHunts', example: 'dispatcher-script-write', default: 'none', description: "Comma-separated hunt ids this deployment does not run (see Hunts); their pending findings are still published, and re-enabling one reads back to its last complete answer" },
  kibanaUrl: { key: 'nmDispatcherHunt:kibanaUrl', example: 'https://kibana.example.com', default: 'none', description: 'Kibana base URL for Discover links in alerts' },
  vpcId: { key: 'nmDispatcherHunt:vpcId', example: 'vpc-0123456789abcdef0', default: 'none', description: 'Run the function in this VPC (with subnetIds)' },
  subnetIds: { key: 'nmDispatcherHunt:subnetIds', example: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210', default: 'none', description: 'Comma-separated private subnet ids with a route to Elasticsearch and AWS APIs' },
  reservedConcurrency: { key: 'nmDispatcherHunt:reservedConcurrency', example: '1', default: 'none', description: "Reserve this many concurrent executions for the function (1 to 1000); not needed, overlapping runs never alert twice" },
  clusterPort: { key: 'nmDispatcherHunt:clusterPort', example: '9243', default: '443', description: "TCP port of the Elasticsearch endpoint, in VPC mode: the function's security group allows outbound HTTPS and this port only" },
} as const;

export type ContextName = keyof typeof CONTEXT_KEYS;
export type Context = Readonly<Record<string, unknown>>;

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

export const problemLine = (name: ContextName, problem: string) => {
  const { key, example } = CONTEXT_KEYS[name];
  return `Context "${key}" ${problem}. Example: npx cdk deploy -c ${key}='${example}'`;
};

/** Reads context values by name, reporting each problem through `fail` (one line per problem, see problemLine). */
export interface ContextReader {
  get(name: ContextName): unknown;
  text(name: ContextName, pattern?: RegExp, what?: string): string | undefined;
  list(name: ContextName, pattern: RegExp): string[];
  flag(name: ContextName): boolean | undefined;
  json(name: ContextName): unknown;
}

export function contextReader(context: Context, fail: (name: ContextName, problem: string) => undefined): ContextReader {
  const get = (name: ContextName) => context[CONTEXT_KEYS[name].key];
  return {
    get,
    text(name, pattern, what = 'is not valid') {
      const value = get(name);
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string' && typeof value !== 'number') return fail(name, 'must be a string');
      const s = String(value).trim();
      if (pattern && !pattern.test(s)) return fail(name, what);
      return s;
    },
    list(name, pattern) {
      const value = get(name);
      if (value === undefined || value === '') return [];
      const items = (Array.isArray(value) ? value : String(value).split(',')).map((item) => String(item).trim());
      const invalid = items.find((item) => !pattern.test(item));
      if (invalid !== undefined) fail(name, `has an invalid entry "${invalid.slice(0, 80)}"`);
      return items.filter((item) => pattern.test(item));
    },
    flag(name) {
      const value = get(name);
      if (value === undefined || value === '' || value === false || value === 'false') return false;
      if (value === true || value === 'true') return true;
      return fail(name, 'must be true or false');
    },
    json(name) {
      const value = get(name);
      if (value === undefined || value === '') return undefined;
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        return fail(name, 'is not valid JSON');
      }
    },
  };
}

/** The hunt configuration the context asks for (validated; undefined after reporting a problem). */
export function huntConfigOf(read: ContextReader, fail: (name: ContextName, problem: string) => undefined): HuntConfig | undefined {
  return huntConfigFromContext(
    read.text('lookbackDays', /^\d+$/, 'must be a whole number of days from 1 to 365'),
    read.json('thresholds'),
    read.json('exclusions'),
    read.list('extraIndexPatterns', /^\S+$/),
    read.list('disabledHunts', /^\S+$/),
    fail,
  );
}

/** What a run needs from the context, and nothing about infrastructure: the CLI's dry run reads this. */
export interface RunSettings {
  readonly huntConfig: HuntConfig;
  readonly kibanaUrl?: string;
  readonly esSecret?: string;
}

export const KIBANA_URL = /^https?:\/\/\S+$/;

/** Reads the run settings from a context; fails with every problem, one line each, as `cdk synth` would. */
export function runSettingsFromContext(context: Context): RunSettings {
  const problems: string[] = [];
  const fail = (name: ContextName, problem: string) => {
    problems.push(problemLine(name, problem));
    return undefined;
  };
  const read = contextReader(context, fail);
  const huntConfig = huntConfigOf(read, fail);
  const kibanaUrl = read.text('kibanaUrl', KIBANA_URL);
  const esSecret = read.text('esSecret');
  if (problems.length > 0 || !huntConfig) throw new ContextError(problems);
  return { huntConfig, ...(kibanaUrl ? { kibanaUrl } : {}), ...(esSecret ? { esSecret } : {}) };
}

/** Each hunt setting is checked on its own, so that every wrong one gets its own line. */
function huntConfigFromContext(
  lookbackDays: string | undefined,
  thresholds: unknown,
  exclusions: unknown,
  extraIndexPatterns: string[],
  disabledHunts: string[],
  fail: (name: ContextName, problem: string) => undefined,
): HuntConfig | undefined {
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

