import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The baseline table's layout, shared by the store, the CDK construct and the local stand-in. */
export const BASELINE_TABLE = {
  partitionKey: 'fingerprint',
  /** Sparse index: only pending entries carry `pendingMarker`, so listing them never scans the baseline. */
  pendingIndex: { name: 'pending', partitionKey: 'pendingMarker', sortKey: 'fingerprint' },
  /** Entries sharing a dispatcher path or parent script, to explain what is new. */
  anchorIndex: { name: 'by-anchor', partitionKey: 'anchorKey', sortKey: 'fingerprint' },
} as const;

/** Creates the table as the CDK construct does (for the embedded DynamoDB of tests and the demo). */
export async function createBaselineTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { partitionKey, pendingIndex, anchorIndex } = BASELINE_TABLE;
  const index = (i: typeof pendingIndex | typeof anchorIndex) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [partitionKey, pendingIndex.partitionKey, anchorIndex.partitionKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
      GlobalSecondaryIndexes: [index(pendingIndex), index(anchorIndex)],
    }),
  );
}

/** DynamoDB answers CreateTable while the table is still CREATING: a request in that instant finds no table. */
export async function waitUntilActive(client: DynamoDBClient, tableName: string, pollMs = 2): Promise<void> {
  while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') await new Promise((resolve) => setTimeout(resolve, pollMs));
}
