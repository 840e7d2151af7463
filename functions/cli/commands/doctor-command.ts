import type { Command } from 'commander';
import { checkCluster, type Check } from '../../adapters/cluster-checks';
import { connectionSecrets, type ElasticsearchConnection } from '../../adapters/elasticsearch-connection';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../../adapters/elasticsearch-hunt-runner';
import { ENV } from '../../adapters/runtime-environment';
import { HUNTS, HUNT_IDS } from '../../core/hunts';
import { escapeInvisible, stringifyInert } from '../../core/invisible-text';
import { Redactor } from '../../core/redact';
import { plural } from '../../core/render/report-view';
import { EXIT, type CommandContext } from '../cli';
import { describeConfiguration } from '../deployment-config';
import { connectionFor, runConfiguration, withConfigurationOptions, type ConfigurationOptions } from './run-command';

interface DoctorOptions extends ConfigurationOptions {
  secretId?: string;
  connectionFile?: string;
  region?: string;
  json?: boolean;
}

/** Requests that take longer than this fail the check: a doctor answers in seconds. */
const REQUEST_TIMEOUT_MS = 30_000;

export function registerDoctorCommand(program: Command, { io, setExit }: CommandContext): void {
  withConfigurationOptions(
    program
      .command('doctor')
      .description('check an Elasticsearch connection before deploying: reachability and TLS, version, privileges, indices, mappings, one run of each hunt (no DynamoDB, no AWS credentials with --connection-file)'),
  )
    .option('--secret-id <id>', `Secrets Manager secret with the connection (default: $${ENV.secretId}, or the configuration's)`)
    .option('--connection-file <path>', 'read the connection from a JSON file (same format as the secret) instead')
    .option('--region <region>', 'AWS region of the secret or function (default: $AWS_REGION)')
    .option('--json', 'print the checklist as JSON')
    .action(async (opts: DoctorOptions) => {
      const config = await runConfiguration(opts, io.env);
      io.err.write(`${describeConfiguration(config, HUNT_IDS)}\n`);
      const connection = await connectionFor(opts.connectionFile, opts.secretId ?? io.env[ENV.secretId] ?? config.secretId, io.env, opts.region ?? io.env.AWS_REGION ?? config.region);
      const secrets = new Redactor(connectionSecrets(connection));
      const client = createElasticsearchClient(connection, REQUEST_TIMEOUT_MS);
      try {
        const checks = await checkCluster({
          client,
          endpoint: endpointOf(connection),
          hunts: HUNTS,
          config: config.huntConfig,
          runner: new ElasticsearchHuntRunner(client, config.huntConfig, { retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1_000 } }),
        });
        const shown = checks.map((c) => ({ ...c, detail: secrets.text(c.detail), ...(c.fix ? { fix: secrets.text(c.fix) } : {}) }));
        io.out.write(opts.json ? `${stringifyInert(shown, 2)}\n` : checklist(shown));
        setExit(shown.some((c) => c.status === 'fail') ? EXIT.failed : EXIT.ok);
      } finally {
        await client.close();
      }
    });
}

const MARK: Record<Check['status'], string> = { ok: '[ ok ]', warn: '[warn]', fail: '[FAIL]', skipped: '[skip]' };

/** One line per check, its fix under it; a summary line last. */
export function checklist(checks: readonly Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.flatMap((c) => [`${MARK[c.status]} ${c.name.padEnd(width)}  ${escapeInvisible(c.detail)}`, ...(c.fix && c.status !== 'ok' ? [`       ${' '.repeat(width)}  fix: ${escapeInvisible(c.fix)}`] : [])]);
  const count = (status: Check['status']) => checks.filter((c) => c.status === status).length;
  const failed = count('fail');
  lines.push('', failed === 0 ? `All checks passed (${count('ok')} ok, ${plural(count('warn'), 'warning')}, ${count('skipped')} skipped).` : `${failed} check${failed === 1 ? '' : 's'} failed: fix ${failed === 1 ? 'it' : 'them'} and run doctor again.`);
  return `${lines.join('\n')}\n`;
}

/** Where the client connects, without credentials: a node URL's user, password and query are dropped. */
function endpointOf(connection: ElasticsearchConnection): string {
  if (connection.cloudId !== undefined) return `Elastic Cloud deployment ${connection.cloudId.split(':')[0] || '(unnamed)'}`;
  const url = new URL(connection.node as string);
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
