import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createBaselineTable, waitUntilActive } from '../adapters/baseline-table';
import { lockFolder, type FolderLock } from './folder-lock';

/** A real DynamoDB implementation (dynalite) on a random loopback port, in memory or persisted in a folder. */
export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates a fresh baseline table and returns its name. */
  createTable(name?: string): Promise<string>;
  /** Deletes a table if it exists. */
  deleteTable(name: string): Promise<void>;
  listTables(): Promise<string[]>;
  close(): Promise<void>;
}

export interface EmbeddedDynamoDbOptions {
  /** Keep the tables in this folder (LevelDB under `dynamodb/`), so that a later process can open them. @default in memory */
  readonly folder?: string;
  /** What holds the folder, named to a second process that tries to open it. @default the command line */
  readonly holder?: string;
}

let tables = 0;

export async function startEmbeddedDynamoDb(options: EmbeddedDynamoDbOptions = {}): Promise<EmbeddedDynamoDb> {
  const lock: FolderLock | undefined = options.folder ? lockFolder(options.folder, options.holder ?? process.argv.slice(1).join(' ')) : undefined;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.folder ? { path: join(options.folder, 'dynamodb') } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const status = async (name: string) => {
    try {
      return (await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  };
  // dynalite answers DeleteTable while the table is still DELETING: wait until it is gone.
  const until = async (name: string, done: (s: string | undefined) => boolean) => {
    while (!done(await status(name))) await new Promise((resolve) => setTimeout(resolve, 2));
  };
  return {
    endpoint,
    client,
    async createTable(name = `baseline-${process.pid}-${++tables}`) {
      await createBaselineTable(client, name);
      await waitUntilActive(client, name);
      return name;
    },
    async deleteTable(name) {
      if ((await status(name)) === undefined) return;
      await client.send(new DeleteTableCommand({ TableName: name }));
      await until(name, (s) => s === undefined);
    },
    async listTables() {
      return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      lock?.release();
    },
  };
}
