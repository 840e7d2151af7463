import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { MAX_WHY_NEW_CHARS, withApproval, type BaselineEntry } from '../core/baseline';
import { truncate } from '../core/bounded-text';
import { forEachLimited } from '../core/concurrency';
import type { BaselineFilter, BaselineStore, MarkResult } from '../core/ports';
import { sleep } from '../core/retry';
import { BASELINE_TABLE } from './baseline-table';

const META_PREFIX = 'meta#';
const INITIALISED_KEY = `${META_PREFIX}initialised-hunts`;
/** One attribute per hunt id: when it last answered completely. */
const ANSWERED_KEY = `${META_PREFIX}hunts-answered`;
const PENDING = 'pending';
const BATCH_GET = 100;
const BATCH_WRITE = 25;
const WRITE_CONCURRENCY = 8;
/**
 * Observation updates are single conditional writes (a batch cannot carry a condition), so more are kept in flight:
 * 32 stays within the SDK's 50 sockets and, at about 10 ms a write, under an on-demand table's initial 4,000 writes/s.
 */
const OBSERVATION_CONCURRENCY = 32;
/** Batches in flight at once: enough to hide latency, few enough to stay under on-demand burst limits. */
const BATCH_CONCURRENCY = 4;

export interface DynamoDbBaselineStoreOptions {
  /** Attempts for a batch's unprocessed keys/items before giving up. @default 8 */
  readonly batchAttempts?: number;
  /** First backoff delay for unprocessed keys/items, in ms. @default 50 */
  readonly batchBaseDelayMs?: number;
}

type Item = Record<string, unknown>;

/** BaselineStore on one DynamoDB table (see BASELINE_TABLE): batched reads and writes, conditional claims. */
export class DynamoDbBaselineStore implements BaselineStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly options: DynamoDbBaselineStoreOptions = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async initialisedHunts(): Promise<Set<string>> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { fingerprint: INITIALISED_KEY }, ConsistentRead: true }));
    return new Set((item?.huntIds as Set<string> | undefined) ?? []);
  }

  async markInitialised(huntIds: readonly string[]): Promise<void> {
    if (huntIds.length === 0) return;
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { fingerprint: INITIALISED_KEY },
        UpdateExpression: 'ADD huntIds :ids',
        ExpressionAttributeValues: { ':ids': new Set(huntIds) },
      }),
    );
  }

  async lastAnswered(): Promise<Map<string, string>> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { fingerprint: ANSWERED_KEY }, ConsistentRead: true }));
    return new Map(Object.entries(item ?? {}).filter((entry): entry is [string, string] => entry[0] !== 'fingerprint' && typeof entry[1] === 'string'));
  }

  async recordAnswered(huntIds: readonly string[], at: Date): Promise<void> {
    if (huntIds.length === 0) return;
    const names = Object.fromEntries(huntIds.map((id, i) => [`#h${i}`, id]));
    // Only forward: a slow run that started earlier never moves a hunt's mark back.
    await Promise.all(
      huntIds.map((_, i) =>
        this.conditional(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { fingerprint: ANSWERED_KEY },
            UpdateExpression: `SET #h${i} = :at`,
            ConditionExpression: `attribute_not_exists(#h${i}) OR #h${i} < :at`,
            ExpressionAttributeNames: { [`#h${i}`]: names[`#h${i}`] as string },
            ExpressionAttributeValues: { ':at': at.toISOString() },
          }),
        ),
      ),
    );
  }

  async getMany(fingerprints: readonly string[]): Promise<Map<string, BaselineEntry>> {
    const found = new Map<string, BaselineEntry>();
    const unique = [...new Set(fingerprints)];
    await forEachLimited(chunks(unique, BATCH_GET), BATCH_CONCURRENCY, async (chunk) => {
      let keys: Item[] = chunk.map((fingerprint) => ({ fingerprint }));
      for (let attempt = 1; keys.length > 0; attempt++) {
        if (attempt > 1) await this.backoff(attempt, `${keys.length} unprocessed keys`);
        const result = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(item.fingerprint as string, fromItem(item));
        keys = (result.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined) ?? [];
      }
    });
    return found;
  }

  async listPending(): Promise<BaselineEntry[]> {
    const { pendingIndex } = BASELINE_TABLE;
    return this.queryAll({
      IndexName: pendingIndex.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': pendingIndex.partitionKey },
      ExpressionAttributeValues: { ':p': PENDING },
    });
  }

  async siblings(anchorKey: string, limit: number): Promise<BaselineEntry[]> {
    const { anchorIndex } = BASELINE_TABLE;
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: anchorIndex.name,
        KeyConditionExpression: '#a = :a',
        ExpressionAttributeNames: { '#a': anchorIndex.partitionKey },
        ExpressionAttributeValues: { ':a': anchorKey },
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(fromItem);
  }

  async createLearned(entries: readonly BaselineEntry[]): Promise<string[]> {
    const existed: string[] = [];
    await forEachLimited(entries, WRITE_CONCURRENCY, async (entry) => {
      if (!(await this.createAbsent(entry))) existed.push(entry.fingerprint);
    });
    return existed;
  }

  async createPending(entry: BaselineEntry): Promise<boolean> {
    return this.createAbsent(entry);
  }

  private async createAbsent(entry: BaselineEntry): Promise<boolean> {
    return this.conditional(
      new PutCommand({ TableName: this.tableName, Item: toItem(entry), ConditionExpression: 'attribute_not_exists(fingerprint)' }),
    );
  }

  async claimPending(entry: BaselineEntry, now: Date): Promise<boolean> {
    if (!entry.claim) throw new Error(`claimPending needs a claim for ${entry.fingerprint}`);
    const observation = observationUpdate(entry);
    return this.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { fingerprint: entry.fingerprint },
        UpdateExpression: `SET claimRunId = :run, claimExpiresAt = :expires, ${observation.set}`,
        ConditionExpression: '#s = :pending AND (attribute_not_exists(claimExpiresAt) OR claimExpiresAt <= :now OR claimRunId = :run)',
        ExpressionAttributeNames: { '#s': 'status', ...observation.names },
        ExpressionAttributeValues: { ':pending': PENDING, ':now': now.toISOString(), ':run': entry.claim.runId, ':expires': entry.claim.expiresAt, ...observation.values },
      }),
    );
  }

  async markAlerted(fingerprints: readonly string[], runId: string, messageId: string, at: Date, whyNew: ReadonlyMap<string, string> = new Map()): Promise<MarkResult> {
    const result: MarkResult = { marked: [], changedByAnalyst: [], takenOver: [], failed: [] };
    await forEachLimited(fingerprints, WRITE_CONCURRENCY, async (fingerprint) => {
      const why = whyNew.get(fingerprint);
      try {
        const marked = await this.conditional(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { fingerprint },
            UpdateExpression: `SET #s = :alerted, alertMessageId = :m, alertedAt = :at, updatedAt = :at${why !== undefined ? ', whyNew = :why' : ''} REMOVE pendingMarker, claimRunId, claimExpiresAt`,
            ConditionExpression: '#s = :pending AND claimRunId = :run',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':alerted': 'alerted',
              ':pending': PENDING,
              ':m': messageId,
              ':at': at.toISOString(),
              ':run': runId,
              ...(why !== undefined ? { ':why': truncate(why, MAX_WHY_NEW_CHARS).text } : {}),
            },
          }),
        );
        result[marked ? 'marked' : await this.whyNotMarked(fingerprint, messageId)].push(fingerprint);
      } catch {
        result.failed.push(fingerprint);
      }
    });
    return result;
  }

  /** After a failed condition: who changed the entry since this run claimed it. */
  private async whyNotMarked(fingerprint: string, messageId: string): Promise<'marked' | 'changedByAnalyst' | 'takenOver'> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { fingerprint }, ConsistentRead: true }));
    if (!item) return 'changedByAnalyst'; // forgotten
    // A retried request whose first attempt had succeeded: marked by this very publish.
    if (item.status === 'alerted' && item.alertMessageId === messageId) return 'marked';
    if (item.status === 'pending' || item.status === 'alerted') return 'takenOver';
    return 'changedByAnalyst';
  }

  async releaseClaims(fingerprints: readonly string[], runId: string): Promise<void> {
    await forEachLimited(fingerprints, WRITE_CONCURRENCY, async (fingerprint) => {
      await this.conditional(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { fingerprint },
          UpdateExpression: 'REMOVE claimRunId, claimExpiresAt',
          ConditionExpression: 'claimRunId = :run',
          ExpressionAttributeValues: { ':run': runId },
        }),
      );
    });
  }

  async recordObservations(entries: readonly BaselineEntry[]): Promise<string[]> {
    const changed: string[] = [];
    await forEachLimited(entries, OBSERVATION_CONCURRENCY, async (entry) => {
      const observation = observationUpdate(entry);
      const written = await this.conditional(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { fingerprint: entry.fingerprint },
          UpdateExpression: `SET ${observation.set}`,
          // A forget deletes the item, an approve or an import changes the revision: either way the analyst wins.
          ConditionExpression: entry.revision === undefined ? '#s = :s AND attribute_not_exists(revision)' : '#s = :s AND revision = :rev',
          ExpressionAttributeNames: { '#s': 'status', ...observation.names },
          ExpressionAttributeValues: { ':s': entry.status, ...(entry.revision === undefined ? {} : { ':rev': entry.revision }), ...observation.values },
        }),
      );
      if (!written) changed.push(entry.fingerprint);
    });
    return changed;
  }

  async putMany(entries: readonly BaselineEntry[]): Promise<void> {
    await forEachLimited(chunks(entries, BATCH_WRITE), BATCH_CONCURRENCY, async (chunk) => {
      let requests: Item[] = chunk.map((entry) => ({ PutRequest: { Item: toItem({ ...entry, revision: newRevision() }) } }));
      for (let attempt = 1; requests.length > 0; attempt++) {
        if (attempt > 1) await this.backoff(attempt, `${requests.length} unprocessed items`);
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] as Item[] | undefined) ?? [];
      }
    });
  }

  async approve(fingerprint: string, note: string, approvedBy: string, at: Date, options: { readonly fleetWide?: boolean } = {}): Promise<BaselineEntry | undefined> {
    // Read, add to the history, write back only if nobody changed the entry meanwhile (its revision); else read again.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { fingerprint }, ConsistentRead: true }));
      if (!item || String(item.fingerprint).startsWith(META_PREFIX)) return undefined;
      const entry = fromItem(item);
      const scope = options.fleetWide ? ({ kind: 'fleet' } as const) : ({ kind: 'agents', agentIds: entry.agentIds } as const);
      const history = withApproval(entry, { by: approvedBy, at: at.toISOString(), note, scope });
      try {
        const result = await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { fingerprint },
            UpdateExpression:
              'SET #s = :approved, note = :note, approvedBy = :by, approvedAt = :at, approvals = :approvals, approvalsDropped = :dropped, updatedAt = :at, revision = :rev REMOVE pendingMarker, claimRunId, claimExpiresAt',
            ConditionExpression: entry.revision === undefined ? 'attribute_exists(fingerprint) AND attribute_not_exists(revision)' : 'revision = :read',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':approved': 'approved',
              ':note': note,
              ':by': approvedBy,
              ':at': at.toISOString(),
              ':approvals': history.approvals,
              ':dropped': history.approvalsDropped,
              ':rev': newRevision(),
              ...(entry.revision === undefined ? {} : { ':read': entry.revision }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return fromItem(result.Attributes as Item);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException')) throw error;
      }
    }
    throw new Error(`${fingerprint} kept changing while it was being approved (runs or other analysts): try again`);
  }

  async get(fingerprint: string): Promise<BaselineEntry | undefined> {
    const { Item: item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { fingerprint }, ConsistentRead: true }));
    return item && !String(item.fingerprint).startsWith(META_PREFIX) ? fromItem(item) : undefined;
  }

  async forget(fingerprint: string): Promise<boolean> {
    return this.conditional(new DeleteCommand({ TableName: this.tableName, Key: { fingerprint }, ConditionExpression: 'attribute_exists(fingerprint)' }));
  }

  async *list(filter: BaselineFilter = {}): AsyncIterable<BaselineEntry> {
    const conditions = ['NOT begins_with(fingerprint, :meta)'];
    const values: Item = { ':meta': META_PREFIX };
    if (filter.status) {
      conditions.push('#s = :s');
      values[':s'] = filter.status;
    }
    if (filter.huntId) {
      conditions.push('huntId = :h');
      values[':h'] = filter.huntId;
    }
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: conditions.join(' AND '),
          ...(filter.status ? { ExpressionAttributeNames: { '#s': 'status' } } : {}),
          ExpressionAttributeValues: values,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) yield fromItem(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<BaselineEntry[]> {
    const entries: BaselineEntry[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: startKey }));
      entries.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }

  /** Sends a conditional write; false when the condition did not hold. */
  private async conditional(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.doc.send(command as PutCommand);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private async backoff(attempt: number, what: string): Promise<void> {
    const attempts = this.options.batchAttempts ?? 8;
    if (attempt > attempts) throw new Error(`DynamoDB left ${what} after ${attempts} attempts (throttled): retry the run later or raise the table's throughput`);
    const base = this.options.batchBaseDelayMs ?? 50;
    await sleep(Math.random() * Math.min(5_000, base * 2 ** (attempt - 2)));
  }
}

const newRevision = () => randomUUID();

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

function toItem(entry: BaselineEntry): Item {
  const { claim, ...rest } = entry;
  return {
    ...rest,
    ...(entry.status === 'pending' ? { pendingMarker: PENDING } : {}),
    ...(claim ? { claimRunId: claim.runId, claimExpiresAt: claim.expiresAt } : {}),
  };
}

/** SET clauses for the fields a run observes (never status, claims or an analyst's fields). */
function observationUpdate(entry: BaselineEntry): { set: string; names: Record<string, string>; values: Item } {
  const fields = { firstSeen: entry.firstSeen, lastSeen: entry.lastSeen, eventCount: entry.eventCount, agentCount: entry.agentCount, hostNames: entry.hostNames, agentIds: entry.agentIds, sightings: entry.sightings, updatedAt: entry.updatedAt };
  const names: Record<string, string> = {};
  const values: Item = {};
  const clauses = Object.entries(fields).map(([field, value], i) => {
    names[`#o${i}`] = field;
    values[`:o${i}`] = value;
    return `#o${i} = :o${i}`;
  });
  return { set: clauses.join(', '), names, values };
}

function fromItem(item: Item): BaselineEntry {
  const { claimRunId, claimExpiresAt, pendingMarker: _marker, ...rest } = item;
  const entry = rest as unknown as BaselineEntry;
  return claimRunId && claimExpiresAt ? { ...entry, claim: { runId: claimRunId as string, expiresAt: claimExpiresAt as string } } : entry;
}
