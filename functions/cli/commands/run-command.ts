import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { Option, type Command } from 'commander';
import { connectionSecrets, parseElasticsearchConnection, type ElasticsearchConnection } from '../../adapters/elasticsearch-connection';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../../adapters/elasticsearch-hunt-runner';
import { ENV } from '../../adapters/runtime-environment';
import { loadElasticsearchConnection } from '../../adapters/secrets-manager';
import { SnsNotifier } from '../../adapters/sns-notifier';
import { leaseTerms } from '../../core/claim-lease';
import { errorMessage } from '../../core/errors';
import { parseHuntConfig } from '../../core/hunt-config';
import { HUNTS, HUNT_IDS } from '../../core/hunts';
import { stringifyInert } from '../../core/invisible-text';
import { runNightlyHunt, type ForcedLearning } from '../../core/nightly-run';
import type { Notifier } from '../../core/ports';
import { Redactor } from '../../core/redact';
import { RedactingNotifier } from '../../core/redacting-notifier';
import type { RenderOptions } from '../../core/render/report-view';
import { checkAwsAccess } from '../aws-access';
import { openBaselineTarget, userPath, withBaselineTarget, type BaselineTargetOptions } from '../baseline-target';
import { EXIT, type CliIo, type CommandContext } from '../cli';
import { configurationFromContext, configurationFromFunction, describeConfiguration, type RunConfiguration } from '../deployment-config';
import { NoBaselineStore, NotComparedNotifier } from '../no-baseline';
import { PrintingNotifier, entriesList, progressLog } from '../terminal';
import { UsageError } from '../usage-error';

interface RunOptions extends BaselineTargetOptions, ConfigurationOptions {
  topic?: string;
  secretId?: string;
  connectionFile?: string;
  kibanaUrl?: string;
  dryRun?: boolean;
  json?: boolean;
  learn?: boolean;
  by?: string;
  yes?: boolean;
  deadlineMinutes: string;
}

export function registerRunCommand(program: Command, { io, setExit }: CommandContext): void {
  withConfigurationOptions(withBaselineTarget(program.command('run').description('run the hunts now, compare with the baseline and publish one message if anything is new')))
    .addOption(new Option('--topic <arn>', 'SNS topic for the message (in local mode without it, the message is printed)').env(ENV.topicArn))
    .addOption(new Option('--secret-id <id>', 'Secrets Manager secret with the Elasticsearch connection (default: the configuration\'s)').env(ENV.secretId))
    .option('--connection-file <path>', 'read the Elasticsearch connection from a JSON file (same format as the secret) instead')
    .addOption(new Option('--kibana-url <url>', 'Kibana base URL for Discover links').env(ENV.kibanaUrl))
    .option('--dry-run', 'print findings and the would-be message; change nothing, publish nothing; without a table, nothing is compared and no AWS credentials are needed')
    .option('--json', 'write only the run summary (JSON) to stdout; the would-be message and progress go to stderr')
    .option('--learn', 'record tonight\'s new findings as learned instead of alerting them; lists each and asks first')
    .option('--by <name>', 'who forces the learning (with --learn): named in the message')
    .option('--yes', 'with --learn: do not ask (for scripts); every entry learned is still listed')
    .addOption(new Option('--deadline-minutes <n>', 'publish nothing after this many minutes (claims on new findings lapse a minute later)').default('15'))
    .action(async (opts: RunOptions) => {
      const minutes = Number(opts.deadlineMinutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 720) throw new UsageError('--deadline-minutes must be a whole number from 1 to 720');
      const forcedLearning = opts.learn && !opts.dryRun ? forcedLearningFrom(opts, io) : undefined;
      const pick = (value: string | undefined, name: string) => value ?? io.env[name];
      const config = await runConfiguration(opts, io.env);
      io.err.write(`${describeConfiguration(config, HUNT_IDS)}\n`);
      const region = opts.region ?? io.env.AWS_REGION ?? config.region;
      const connection = await connectionFor(opts.connectionFile, pick(opts.secretId, ENV.secretId) ?? config.secretId, io.env, region);
      const local = opts.local !== undefined || opts.endpoint !== undefined;
      const tableName = opts.table ?? io.env[ENV.tableName] ?? config.tableName;
      const compared = local || tableName !== undefined;
      const topic = pick(opts.topic, ENV.topicArn);
      if (!opts.dryRun && !topic && !local) throw new UsageError(`no topic: pass --topic or set ${ENV.topicArn} (or use --dry-run)`);
      if (!opts.dryRun && !compared) throw new UsageError(`no baseline table: pass --table or set ${ENV.tableName} (the stack output BaselineTableName), use --local <folder>, or use --dry-run`);
      const kibanaUrl = pick(opts.kibanaUrl, ENV.kibanaUrl) ?? config.kibanaUrl;
      const startedAt = Date.now();
      const deadline = startedAt + minutes * 60_000;
      const lease = leaseTerms('cli', new Date(startedAt), deadline, undefined);
      const target = compared ? await openBaselineTarget({ ...opts, ...(tableName ? { table: tableName } : {}), ...(region ? { region } : {}) }, io.env, 'npm run hunt -- run') : undefined;
      if (!target) io.err.write('No baseline table: findings are not compared with a baseline; each is listed as the message would list it. Pass --table (or --local) for the real comparison.\n');
      try {
        const render: RenderOptions = {
          ...(kibanaUrl ? { kibanaUrl } : {}),
          ...(target ? { triage: { table: target.tableName, ...(opts.local !== undefined ? { local: opts.local } : region ? { region } : {}) } } : {}),
        };
        // With --json, stdout carries the summary alone: the would-be message goes to stderr with the progress.
        const printTo = opts.json ? io.err : io.out;
        let notifier: Notifier;
        if (opts.dryRun) notifier = target ? new PrintingNotifier(printTo, render) : new NotComparedNotifier(new PrintingNotifier(printTo, render, 'would publish; not compared with a baseline'));
        else if (topic) {
          const sns = new SNSClient({ ...(region ? { region } : {}) });
          await checkAwsAccess(sns, `the topic ${topic}`);
          notifier = new SnsNotifier(sns, topic, render);
        } else notifier = new PrintingNotifier(printTo, render, 'local mode: printed, not sent');
        // A laptop may sleep mid-run: past its deadline the run publishes nothing, and its claims are others' to take.
        if (!opts.dryRun) io.err.write(`This run publishes only until ${new Date(deadline).toISOString()} (${minutes} min); its claims on new findings lapse at ${lease.claim.expiresAt}.\n`);
        const secrets = new Redactor(connectionSecrets(connection));
        const summary = await runNightlyHunt(
          {
            hunts: HUNTS,
            runner: new ElasticsearchHuntRunner(createElasticsearchClient(connection), config.huntConfig),
            store: target?.store ?? new NoBaselineStore(),
            notifier: new RedactingNotifier(notifier, secrets),
            clock: () => new Date(),
            log: progressLog(io.err, secrets),
          },
          {
            runId: `cli-${new Date(startedAt).toISOString()}-${randomUUID().slice(0, 8)}`,
            dryRun: opts.dryRun === true,
            deadline,
            disabledHunts: config.huntConfig.disabledHunts,
            ...(forcedLearning ? { forcedLearning } : {}),
          },
        ).catch((error: unknown) => {
          if (error instanceof Error) error.message = secrets.text(error.message);
          throw error;
        });
        io.out.write(`${stringifyInert(secrets.value(target ? summary : { ...summary, comparedWithBaseline: false }), 2)}\n`);
        setExit(summary.outcome === 'succeeded' ? EXIT.ok : EXIT.failed);
      } finally {
        await target?.close();
      }
    });
}

/** How a command learns the configuration it runs the hunts with. */
export interface ConfigurationOptions {
  context: string[];
  function?: string;
  huntConfig?: string;
  readonly region?: string;
}

/** -c, --function and --hunt-config: run and doctor use the configuration the app would deploy, or the deployed one. */
export function withConfigurationOptions(command: Command): Command {
  return command
    .option('-c, --context <key=value...>', 'context as for cdk deploy, over cdk.json\'s: the configuration the app would deploy', collect, [])
    .option('--function <name>', 'use the deployed function\'s configuration instead (stack output FunctionName; needs lambda:GetFunctionConfiguration)')
    .addOption(new Option('--hunt-config <json>', 'hunt configuration JSON (lookbackDays, thresholds, exclusions, extraIndexPatterns, disabledHunts), instead of the app\'s').env(ENV.huntConfig));
}

/** Explicit hunt configuration first (--hunt-config, HUNT_CONFIG), then the deployed function's, then the app's context. */
export async function runConfiguration(opts: ConfigurationOptions, env: Record<string, string | undefined>): Promise<RunConfiguration> {
  if (opts.function !== undefined && (opts.huntConfig !== undefined || opts.context.length > 0)) throw new UsageError('--function reads the deployed configuration: drop --hunt-config and -c, or drop --function');
  const explicit = opts.huntConfig ?? env[ENV.huntConfig];
  if (explicit !== undefined) return { huntConfig: parseHuntConfig(jsonOption(explicit, '--hunt-config')), source: opts.huntConfig !== undefined ? '--hunt-config' : ENV.huntConfig };
  if (opts.function !== undefined) return configurationFromFunction(opts.function, opts.region ?? env.AWS_REGION);
  return configurationFromContext(opts.context);
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Forced learning turns new findings into known ones: it shows each entry and asks, unless --yes says a script decided. */
function forcedLearningFrom(opts: { by?: string; yes?: boolean }, io: CliIo): ForcedLearning {
  const by = opts.by?.trim();
  if (!by || by.length > 256) throw new UsageError('--learn needs --by <name> (at most 256 characters): the message names who forced the learning');
  const ask = io.ask;
  if (!opts.yes && !ask) throw new UsageError('--learn asks for confirmation in a terminal; in a script pass --yes (every entry learned is still listed)');
  return {
    by,
    confirm: async (entries) => {
      io.err.write(`Forced learning: ${entries.length} new finding${entries.length === 1 ? '' : 's'} will be recorded as learned and never alerted:\n${entriesList(entries)}`);
      if (entries.length === 0) return true;
      if (opts.yes) return true;
      const answer = await ask!('Record them as learned? Type "learn" to confirm: ');
      return answer.trim() === 'learn';
    },
  };
}

function jsonOption(value: string | undefined, name: string): unknown {
  if (!value) return {};
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError(`${name} is not valid JSON`);
  }
}

export async function connectionFor(file: string | undefined, secretId: string | undefined, env: Record<string, string | undefined>, region?: string): Promise<ElasticsearchConnection> {
  if (file) {
    let text: string;
    try {
      text = readFileSync(userPath(file, env), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
    }
    return parseElasticsearchConnection(text);
  }
  if (!secretId) throw new UsageError(`no Elasticsearch connection: pass --secret-id (or set ${ENV.secretId}) or --connection-file`);
  const client = new SecretsManagerClient(region ? { region } : {});
  await checkAwsAccess(client, `the secret "${secretId}"`);
  return loadElasticsearchConnection(client, secretId);
}
