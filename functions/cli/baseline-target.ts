import { isAbsolute, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { Option, type Command } from 'commander';
import { DynamoDbBaselineStore } from '../adapters/dynamodb-baseline-store';
import { ENV } from '../adapters/runtime-environment';
import { errorMessage } from '../core/errors';
import { checkAwsAccess, explainTableErrors } from './aws-access';
import { UsageError } from './usage-error';

/** Where a command finds the baseline: a table in AWS, a table in a local folder, or one behind another endpoint. */
export interface BaselineTargetOptions {
  readonly table?: string;
  readonly region?: string;
  readonly local?: string;
  readonly endpoint?: string;
}

export interface BaselineTarget {
  readonly store: DynamoDbBaselineStore;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** "table t in region eu-west-1", "table t in the local baseline demo-baseline": for messages. */
  readonly description: string;
  close(): Promise<void>;
}

export const DEFAULT_LOCAL_TABLE = 'nm-dispatcher-hunt-baseline';

/** Adds --table, --region, --local and --endpoint: every command that reads or writes the baseline takes them. */
export function withBaselineTarget(command: Command): Command {
  return command
    .option('--table <name>', `baseline DynamoDB table (stack output BaselineTableName; default: $${ENV.tableName}, or in local mode the only table there)`)
    .option('--region <region>', 'AWS region of the table (stack output Region; default: $AWS_REGION)')
    .addOption(new Option('--local <folder>', 'local mode: the baseline kept in this folder by an embedded DynamoDB (the demo\'s: demo-baseline)').conflicts('endpoint'))
    .addOption(new Option('--endpoint <url>', 'local mode: any DynamoDB-compatible endpoint (DynamoDB Local, LocalStack), e.g. http://localhost:8000'));
}

/** A path as the person typed it: npm runs scripts from the checkout's root, so relative paths follow the shell's directory (INIT_CWD). */
export function userPath(path: string, env: Record<string, string | undefined>): string {
  return isAbsolute(path) ? path : resolve(env.INIT_CWD ?? process.cwd(), path);
}

/** A DynamoDB to act on, before a table is chosen. */
export interface DynamoDbConnection {
  readonly client: DynamoDBClient;
  /** "region eu-west-1", "the local baseline demo-baseline", "the endpoint http://localhost:8000": for messages. */
  readonly where: string;
  /** The option that reaches it again, for printed commands: `--local demo-baseline`; empty in AWS. */
  readonly option: string;
  readonly local: boolean;
  close(): Promise<void>;
}

/**
 * Connects to the baseline's DynamoDB. In AWS the region and credentials are checked first, so that their absence
 * names the option and the fix; a local folder is locked for this process.
 */
export async function connectDynamoDb(opts: BaselineTargetOptions, env: Record<string, string | undefined>, holder: string): Promise<DynamoDbConnection> {
  const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (opts.local !== undefined) {
    const { startEmbeddedDynamoDb } = await import('../local/embedded-dynamodb');
    const db = await startEmbeddedDynamoDb({ folder: userPath(opts.local, env), holder });
    return { client: db.client, where: `the local baseline ${opts.local}`, option: `--local ${opts.local}`, local: true, close: () => db.close() };
  }
  if (opts.endpoint !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(opts.endpoint)) throw new UsageError(`--endpoint must be a URL such as http://localhost:8000, not "${opts.endpoint.slice(0, 80)}"`);
    // A local endpoint does not check credentials; real ones from the environment are used when present.
    const credentials = env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const client = new DynamoDBClient({ endpoint: opts.endpoint, region: region ?? 'us-east-1', maxAttempts: 3, ...credentials });
    return { client, where: `the endpoint ${opts.endpoint}`, option: `--endpoint ${opts.endpoint}`, local: true, close: async () => client.destroy() };
  }
  const client = new DynamoDBClient({ maxAttempts: 6, ...(region ? { region } : {}) });
  const resolved = await checkAwsAccess(client, opts.table || env[ENV.tableName] ? `the baseline table "${opts.table ?? env[ENV.tableName]}"` : 'the baseline table');
  return { client, where: `region ${resolved}`, option: '', local: false, close: async () => client.destroy() };
}

export async function listTables(connection: DynamoDbConnection): Promise<string[]> {
  try {
    return (await connection.client.send(new ListTablesCommand({}))).TableNames ?? [];
  } catch (error) {
    throw new Error(`cannot list the tables of ${connection.where}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Opens the baseline for one command: the table named, or in local mode without --table the only one there. */
export async function openBaselineTarget(opts: BaselineTargetOptions, env: Record<string, string | undefined>, holder: string): Promise<BaselineTarget> {
  // In AWS only: a local baseline is named on the command line or found there, never taken from an analyst's AWS settings.
  const named = opts.local !== undefined || opts.endpoint !== undefined ? opts.table : (opts.table ?? env[ENV.tableName]);
  if (!named && opts.local === undefined && opts.endpoint === undefined) {
    throw new UsageError(`no baseline table: pass --table or set ${ENV.tableName} (the stack output BaselineTableName), or use --local <folder> for a local baseline`);
  }
  const connection = await connectDynamoDb(opts, env, holder);
  try {
    const tableName = named ?? (await onlyTable(connection));
    explainTableErrors(connection.client, tableName, connection.where);
    return {
      store: new DynamoDbBaselineStore(connection.client, tableName),
      client: connection.client,
      tableName,
      description: `table "${tableName}" in ${connection.where}`,
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

async function onlyTable(connection: DynamoDbConnection): Promise<string> {
  const tables = await listTables(connection);
  if (tables.length === 1) return tables[0] as string;
  if (tables.length === 0) throw new UsageError(`${connection.where} has no table yet: create one with \`npm run hunt -- baseline init ${connection.option}\``);
  throw new UsageError(`${connection.where} has ${tables.length} tables (${tables.slice(0, 5).join(', ')}): pick one with --table`);
}
