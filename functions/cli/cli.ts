import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { Command, CommanderError, Option } from 'commander';
import { DynamoDbBaselineStore } from '../adapters/dynamodb-baseline-store';
import { connectionSecrets, parseElasticsearchConnection, type ElasticsearchConnection } from '../adapters/elasticsearch-connection';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../adapters/elasticsearch-hunt-runner';
import { ENV } from '../adapters/runtime-environment';
import { loadElasticsearchConnection } from '../adapters/secrets-manager';
import { SnsNotifier } from '../adapters/sns-notifier';
import { BASELINE_STATUSES, MAX_APPROVER_CHARS, MAX_NOTE_CHARS, type ApprovalScope, type BaselineEntry, type BaselineStatus } from '../core/baseline';
import { entryToJsonLine, exportHeaderLine, parseBaselineExport } from '../core/baseline-jsonl';
import { leaseTerms } from '../core/claim-lease';
import { BaselineImportError, ConfigurationError, SecretFormatError, errorMessage } from '../core/errors';
import { parseHuntConfig } from '../core/hunt-config';
import { HUNTS, HUNT_IDS } from '../core/hunts';
import { escapeInvisible, inertJson, stringifyInert } from '../core/invisible-text';
import { runNightlyHunt, type ForcedLearning } from '../core/nightly-run';
import { Redactor } from '../core/redact';
import { RedactingNotifier } from '../core/redacting-notifier';
import { inertText } from '../core/render/inert-text';
import { statusSummary, writeInBatches } from './import-baseline';
import { PrintingNotifier, entriesList, entriesTable, progressLog, type Output } from './terminal';

export interface CliIo {
  readonly out: Output;
  readonly err: Output;
  readonly env: Record<string, string | undefined>;
  /** Asks a person a question and returns the answer; absent when no terminal is attached (scripts, pipes). */
  readonly ask?: (question: string) => Promise<string>;
}

/** Exit codes: 0 done, 1 the run failed (or some items could not be changed), 2 usage or configuration error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError || error instanceof ConfigurationError || error instanceof SecretFormatError || error instanceof BaselineImportError) {
      io.err.write(`error: ${escapeInvisible(error.message)}\n`);
      return EXIT.usage;
    }
    io.err.write(`error: ${escapeInvisible(errorMessage(error))}\n`);
    return EXIT.failed;
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('nm-dispatcher-hunt')
    .description('Hunt malicious NetworkManager dispatcher scripts (MITRE ATT&CK T1546) and triage the baseline of known findings.')
    .addHelpText('after', '\nExit codes: 0 done, 1 run failed, 2 usage or configuration error.\nEnvironment: BASELINE_TABLE_NAME, ALERT_TOPIC_ARN, ES_SECRET_ID, HUNT_CONFIG, KIBANA_URL, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError();
  const table = () => new Option('--table <name>', 'baseline DynamoDB table').env(ENV.tableName);
  const store = (opts: { table?: string }) => {
    const name = opts.table ?? io.env[ENV.tableName];
    if (!name) throw new UsageError(`no baseline table: pass --table or set ${ENV.tableName}`);
    return new DynamoDbBaselineStore(new DynamoDBClient({ maxAttempts: 6 }), name);
  };

  /** Applies `change` to each resolved fingerprint; exit 1 when some were not in the baseline. */
  const changeEach = async (s: DynamoDbBaselineStore, inputs: string[], verb: string, change: (s: DynamoDbBaselineStore, fingerprint: string) => Promise<boolean>) => {
    let missing = 0;
    for (const fingerprint of await resolveFingerprints(s, inputs)) {
      if (await change(s, fingerprint)) io.out.write(`${verb} ${fingerprint}\n`);
      else {
        missing++;
        io.err.write(`not found: ${fingerprint}\n`);
      }
    }
    setExit(missing > 0 ? EXIT.failed : EXIT.ok);
  };

  program
    .command('run')
    .description('run both hunts now, compare with the baseline and publish one message if anything is new')
    .addOption(table())
    .addOption(new Option('--topic <arn>', 'SNS topic for the message').env(ENV.topicArn))
    .addOption(new Option('--secret-id <id>', 'Secrets Manager secret with the Elasticsearch connection').env(ENV.secretId))
    .option('--connection-file <path>', 'read the Elasticsearch connection from a JSON file (same format as the secret) instead')
    .addOption(new Option('--hunt-config <json>', 'hunt configuration JSON (lookbackDays, thresholds, exclusions, extraIndexPatterns)').env(ENV.huntConfig))
    .addOption(new Option('--kibana-url <url>', 'Kibana base URL for Discover links').env(ENV.kibanaUrl))
    .option('--dry-run', 'print findings and the would-be message; change nothing, publish nothing')
    .option('--learn', 'record tonight\'s new findings as learned instead of alerting them; lists each and asks first')
    .option('--by <name>', 'who forces the learning (with --learn): named in the message')
    .option('--yes', 'with --learn: do not ask (for scripts); every entry learned is still listed')
    .addOption(new Option('--deadline-minutes <n>', 'publish nothing after this many minutes (claims on new findings lapse a minute later)').default('15'))
    .action(async (opts: { table?: string; topic?: string; secretId?: string; connectionFile?: string; huntConfig?: string; kibanaUrl?: string; dryRun?: boolean; learn?: boolean; by?: string; yes?: boolean; deadlineMinutes: string }) => {
      const minutes = Number(opts.deadlineMinutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 720) throw new UsageError('--deadline-minutes must be a whole number from 1 to 720');
      const forcedLearning = opts.learn && !opts.dryRun ? forcedLearningFrom(opts, io) : undefined;
      const pick = (value: string | undefined, name: string) => value ?? io.env[name];
      const huntConfig = parseHuntConfig(jsonOption(pick(opts.huntConfig, ENV.huntConfig), '--hunt-config'));
      const connection = await connectionFor(opts.connectionFile, pick(opts.secretId, ENV.secretId));
      const topic = pick(opts.topic, ENV.topicArn);
      if (!opts.dryRun && !topic) throw new UsageError(`no topic: pass --topic or set ${ENV.topicArn} (or use --dry-run)`);
      const kibanaUrl = pick(opts.kibanaUrl, ENV.kibanaUrl);
      const render = kibanaUrl ? { kibanaUrl } : {};
      const startedAt = Date.now();
      const deadline = startedAt + minutes * 60_000;
      const lease = leaseTerms('cli', new Date(startedAt), deadline, undefined);
      // A laptop may sleep mid-run: past its deadline the run publishes nothing, and its claims are others' to take.
      if (!opts.dryRun) io.err.write(`This run publishes only until ${new Date(deadline).toISOString()} (${minutes} min); its claims on new findings lapse at ${lease.claim.expiresAt}.\n`);
      const secrets = new Redactor(connectionSecrets(connection));
      const summary = await runNightlyHunt(
        {
          hunts: HUNTS,
          runner: new ElasticsearchHuntRunner(createElasticsearchClient(connection), huntConfig),
          store: store({ table: pick(opts.table, ENV.tableName) }),
          notifier: new RedactingNotifier(opts.dryRun ? new PrintingNotifier(io.out, render) : new SnsNotifier(new SNSClient({}), topic as string, render), secrets),
          clock: () => new Date(),
          log: progressLog(io.err, secrets),
        },
        { runId: `cli-${new Date(startedAt).toISOString()}-${randomUUID().slice(0, 8)}`, dryRun: opts.dryRun === true, deadline, ...(forcedLearning ? { forcedLearning } : {}) },
      ).catch((error: unknown) => {
        if (error instanceof Error) error.message = secrets.text(error.message);
        throw error;
      });
      io.out.write(`${stringifyInert(secrets.value(summary), 2)}\n`);
      setExit(summary.outcome === 'succeeded' ? EXIT.ok : EXIT.failed);
    });

  const baseline = program.command('baseline').description('inspect and triage the baseline of known findings');

  baseline
    .command('list')
    .description('list baseline entries')
    .addOption(table())
    .addOption(new Option('--status <status>', 'only entries with this status').choices(BASELINE_STATUSES as string[]))
    .addOption(new Option('--hunt <id>', 'only entries of this hunt').choices(HUNT_IDS))
    .option('--json', 'print a JSON array for scripts')
    .action(async (opts: { table?: string; status?: BaselineStatus; hunt?: string; json?: boolean }) => {
      const entries: BaselineEntry[] = [];
      for await (const entry of store(opts).list({ ...(opts.status ? { status: opts.status } : {}), ...(opts.hunt ? { huntId: opts.hunt } : {}) })) entries.push(entry);
      entries.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.fingerprint.localeCompare(b.fingerprint));
      io.out.write(opts.json ? `${stringifyInert(entries.map((e) => JSON.parse(entryToJsonLine(e)) as unknown), 2)}\n` : entriesTable(entries));
      io.err.write(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}\n`);
    });

  baseline
    .command('approve')
    .description('mark findings as benign: they are never alerted')
    .argument('<fingerprint...>', 'fingerprints, or unique prefixes of at least 8 characters')
    .requiredOption('--note <text>', 'why the finding is benign')
    .requiredOption('--by <name>', 'who approves it')
    .option('--fleet-wide', 'approve it on every host, not only on the agents that have reported it so far')
    .addOption(table())
    .action(async (inputs: string[], opts: { table?: string; note: string; by: string; fleetWide?: boolean }) => {
      if (opts.note.length > MAX_NOTE_CHARS || opts.by.length > MAX_APPROVER_CHARS) throw new UsageError(`--note is limited to ${MAX_NOTE_CHARS} characters and --by to ${MAX_APPROVER_CHARS}`);
      await changeEach(store(opts), inputs, 'approved', async (s, fingerprint) => {
        const entry = await s.approve(fingerprint, opts.note, opts.by, new Date(), { fleetWide: opts.fleetWide === true });
        const [newest] = entry?.approvals ?? [];
        if (newest) io.err.write(`  ${fingerprint.slice(0, 12)}: scope ${scopeText(newest.scope)}; ${entry!.approvals!.length} approval(s) in its history, newest first\n`);
        return entry !== undefined;
      });
    });

  baseline
    .command('forget')
    .description('delete entries: a finding seen again is new and alerted')
    .argument('<fingerprint...>', 'fingerprints, or unique prefixes of at least 8 characters')
    .addOption(table())
    .action(async (inputs: string[], opts: { table?: string }) => {
      await changeEach(store(opts), inputs, 'forgot', (s, fingerprint) => s.forget(fingerprint));
    });

  baseline
    .command('export')
    .description('write every entry as JSON Lines')
    .argument('[file]', 'output file (default: stdout)')
    .addOption(table())
    .action(async (file: string | undefined, opts: { table?: string }) => {
      const s = store(opts);
      // First line: which hunts had finished learning, so that an import ends learning only where the table had.
      const lines: string[] = [exportHeaderLine(await s.initialisedHunts(), new Date())];
      for await (const entry of s.list()) {
        lines.push(inertJson(entryToJsonLine(entry))); // the same values, with no invisible code point in the raw text
        if (lines.length % 1_000 === 0) io.err.write(`exported ${lines.length} entries…\n`);
      }
      const text = `${lines.join('\n')}\n`;
      if (file) writeFileSync(file, text);
      else io.out.write(text);
      io.err.write(`exported ${lines.length - 1} entries\n`);
    });

  baseline
    .command('import')
    .description('add or replace entries from a JSON Lines export; checks every line (fingerprints recomputed) before writing any')
    .argument('<file>', 'JSON Lines file from baseline export')
    .option('--allow-approved', 'import the file\'s approved entries (never alerted): trust its approvals')
    .option('--allow-cut-identities', 'accept entries whose identity was stored cut at 4,096 characters (their fingerprint cannot be checked)')
    .addOption(table())
    .action(async (file: string, opts: { table?: string; allowApproved?: boolean; allowCutIdentities?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
      }
      const parsed = parseBaselineExport(text, { allowCutIdentities: opts.allowCutIdentities === true });
      const { entries, learningComplete } = parsed;
      io.err.write(`${statusSummary(entries)}\n`);
      const approved = entries.filter((e) => e.status === 'approved').length;
      if (approved > 0 && !opts.allowApproved) {
        throw new UsageError(`the file approves ${approved} entr${approved === 1 ? 'y' : 'ies'}: pass --allow-approved to import approvals from this file. Nothing was imported.`);
      }
      if (parsed.cutIdentities.length > 0) io.err.write(`accepted ${parsed.cutIdentities.length} entries whose identity was cut (fingerprint not checked), on lines ${parsed.cutIdentities.slice(0, 20).join(', ')}${parsed.cutIdentities.length > 20 ? ', …' : ''}\n`);
      const s = store(opts);
      await writeInBatches(s, parsed, (written) => {
        if (written % 1_000 === 0) io.err.write(`imported ${written} of ${entries.length}…\n`);
      });
      // Learning ends only where the exported table's had: entries alone do not say the hunt's answer was complete.
      if (learningComplete === undefined) io.err.write('the file does not say whether learning was complete (an export from an earlier release): hunts still learning keep learning\n');
      else if (learningComplete.length > 0) {
        await s.markInitialised(learningComplete);
        io.err.write(`learning complete, as in the exported table: ${learningComplete.join(', ')}\n`);
      }
      io.out.write(`imported ${entries.length} entries\n`);
    });

  return program;
}

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

function scopeText(scope: ApprovalScope): string {
  if (scope.kind === 'fleet') return 'fleet-wide';
  return scope.agentIds.length > 0 ? `the agents that had reported it (${scope.agentIds.map((id) => inertText(id, 80)).join(', ')})` : 'the agents that had reported it (none recorded)';
}

function jsonOption(value: string | undefined, name: string): unknown {
  if (!value) return {};
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError(`${name} is not valid JSON`);
  }
}

async function connectionFor(file: string | undefined, secretId: string | undefined): Promise<ElasticsearchConnection> {
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
    }
    return parseElasticsearchConnection(text);
  }
  if (!secretId) throw new UsageError(`no Elasticsearch connection: pass --secret-id (or set ${ENV.secretId}) or --connection-file`);
  return loadElasticsearchConnection(new SecretsManagerClient({}), secretId);
}

/** Full fingerprints pass through; prefixes (8+ hex digits) must match exactly one entry. */
async function resolveFingerprints(store: DynamoDbBaselineStore, inputs: readonly string[]): Promise<string[]> {
  for (const input of inputs) {
    if (!/^[0-9a-f]{8,64}$/.test(input)) throw new UsageError(`"${input.slice(0, 80)}" is not a fingerprint (8 to 64 lowercase hex digits)`);
  }
  const prefixes = inputs.filter((i) => i.length < 64);
  if (prefixes.length === 0) return [...inputs];
  const all: string[] = [];
  for await (const entry of store.list()) all.push(entry.fingerprint);
  return inputs.map((input) => {
    if (input.length === 64) return input;
    const matches = all.filter((fp) => fp.startsWith(input));
    if (matches.length !== 1) throw new UsageError(`prefix ${input} matches ${matches.length} entries; give more characters`);
    return matches[0] as string;
  });
}
