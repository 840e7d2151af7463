// Seeds a benchmark table with 100,000 learned entries, in its own process so the benchmark's memory figures stay the handler's.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createBaselineTable } from '../functions/adapters/baseline-table';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { writeFinding } from '../test/support/harness';
import { benchPath } from './bench-data';

const [endpoint, table] = process.argv.slice(2) as [string, string];
const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
await createBaselineTable(client, table);
const store = new DynamoDbBaselineStore(client, table);
const write = huntById('dispatcher-script-write')!;
await store.putMany(Array.from({ length: 100_000 }, (_, i) => entryFromFinding(write, writeFinding(benchPath(i)), 'learned', '2026-11-01T00:00:00.000Z')));
await store.markInitialised(['dispatcher-child-process', 'dispatcher-script-write']);
client.destroy();
