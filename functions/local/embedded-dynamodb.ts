import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { createBaselineTable } from '../adapters/baseline-table';

/** A real DynamoDB implementation (dynalite) on a random loopback port, in memory. */
export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates a fresh baseline table and returns its name. */
  createTable(name?: string): Promise<string>;
  close(): Promise<void>;
}

let tables = 0;

export async function startEmbeddedDynamoDb(): Promise<EmbeddedDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  return {
    endpoint,
    client,
    async createTable(name = `baseline-${process.pid}-${++tables}`) {
      await createBaselineTable(client, name);
      // dynalite answers CreateTable while the table is still CREATING: a request in that instant finds no table.
      while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, 2));
      return name;
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
