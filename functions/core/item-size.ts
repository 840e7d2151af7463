/** DynamoDB refuses items over 400 KB; entries are kept far below it. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

/** The largest entry written: room for the largest run-written entry plus the capped approval history. */
export const MAX_ENTRY_BYTES = 200_000;

/**
 * An upper bound of the size DynamoDB counts for an item: attribute names and strings in UTF-8, numbers at their
 * maximum of 21 bytes, 1 byte for a boolean or null, 3 bytes per list or map plus 1 per element.
 */
export function dynamoItemBytes(item: object): number {
  return Object.entries(item).reduce((sum, [name, value]) => (value === undefined ? sum : sum + utf8(name) + valueBytes(value)), 0);
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value) || value instanceof Set) return 3 + [...value].reduce((sum: number, v: unknown) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value as object).reduce((sum, [k, v]) => (v === undefined ? sum : sum + 1 + utf8(k) + valueBytes(v)), 0);
  return 0;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');
