import { BASELINE_STATUSES, MAX_IDENTITY_CHARS, MAX_NOTE_CHARS, MAX_SAMPLES, MAX_SAMPLE_CHARS, type BaselineEntry } from './baseline';
import { BaselineImportError } from './errors';
import { FINGERPRINT_PATTERN } from './finding';
import { huntById } from './hunts';

/** One entry per line; claims are run-local and revisions table-local: neither is exported. */
export function entryToJsonLine(entry: BaselineEntry): string {
  const { claim: _claim, revision: _revision, ...rest } = entry;
  return JSON.stringify(rest);
}

/**
 * Parses and validates a whole export before anything is written, so that a bad line changes nothing.
 * Imported pending entries lose their claim: the next run alerts them.
 */
export function parseBaselineJsonLines(text: string): BaselineEntry[] {
  const entries: BaselineEntry[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const lineNumber = index + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new BaselineImportError(lineNumber, 'not valid JSON');
    }
    const entry = validateEntry(raw, lineNumber);
    if (seen.has(entry.fingerprint)) throw new BaselineImportError(lineNumber, `fingerprint ${entry.fingerprint} appears twice`);
    seen.add(entry.fingerprint);
    entries.push(entry);
  });
  return entries;
}

function validateEntry(raw: unknown, line: number): BaselineEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BaselineImportError(line, 'expected a JSON object');
  const e = raw as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new BaselineImportError(line, `field "${field}" must be ${expected}`);
  };
  const isText = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;
  const isTime = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
  const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (typeof e.fingerprint !== 'string' || !FINGERPRINT_PATTERN.test(e.fingerprint)) fail('fingerprint', '64 lowercase hex digits');
  const hunt = typeof e.huntId === 'string' ? huntById(e.huntId) : undefined;
  if (!hunt) fail('huntId', 'a known hunt id');
  if (!BASELINE_STATUSES.includes(e.status as never)) fail('status', BASELINE_STATUSES.join(', '));
  const identity = e.identity as Record<string, unknown> | undefined;
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) fail('identity', 'an object');
  for (const field of hunt!.identityFields) {
    const value = identity![field];
    if (value !== null && !isText(value, MAX_IDENTITY_CHARS + 64)) fail(`identity.${field}`, 'a string or null');
  }
  if (typeof e.anchorKey !== 'string' || !/^[0-9a-f]{32}$/.test(e.anchorKey)) fail('anchorKey', '32 hex digits');
  for (const field of ['firstSeen', 'lastSeen']) if (e[field] !== null && !isTime(e[field])) fail(field, 'a timestamp or null');
  for (const field of ['recordedAt', 'updatedAt']) if (!isTime(e[field])) fail(field, 'a timestamp');
  for (const field of ['eventCount', 'agentCount', 'sightings']) if (!isCount(e[field])) fail(field, 'a whole number');
  for (const field of ['hostNames', 'agentIds']) {
    const list = e[field];
    if (!Array.isArray(list) || list.length > MAX_SAMPLES || !list.every((v) => isText(v, MAX_SAMPLE_CHARS + 64))) fail(field, `a list of at most ${MAX_SAMPLES} strings`);
  }
  if (typeof e.identityTruncated !== 'boolean') fail('identityTruncated', 'true or false');
  for (const field of ['alertMessageId', 'approvedBy', 'note']) if (e[field] !== undefined && !isText(e[field], MAX_NOTE_CHARS)) fail(field, 'a short string');
  for (const field of ['alertedAt', 'approvedAt']) if (e[field] !== undefined && !isTime(e[field])) fail(field, 'a timestamp');
  const known = new Set(['fingerprint', 'huntId', 'identity', 'identityTruncated', 'anchorKey', 'status', 'firstSeen', 'lastSeen', 'eventCount', 'agentCount', 'hostNames', 'agentIds', 'sightings', 'recordedAt', 'updatedAt', 'alertMessageId', 'alertedAt', 'note', 'approvedBy', 'approvedAt']);
  for (const key of Object.keys(e)) if (!known.has(key)) throw new BaselineImportError(line, `unknown field "${key}"`);
  return e as unknown as BaselineEntry;
}
