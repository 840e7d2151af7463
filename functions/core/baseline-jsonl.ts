import { BASELINE_STATUSES, MAX_IDENTITY_CHARS, MAX_NOTE_CHARS, MAX_SAMPLES, MAX_SAMPLE_CHARS, type BaselineEntry } from './baseline';
import { BaselineImportError } from './errors';
import { FINGERPRINT_PATTERN } from './finding';
import { HUNT_IDS, huntById } from './hunts';
import type { HuntId } from './hunts/hunt-definition';

/** One entry per line; claims are run-local and revisions table-local: neither is exported. */
export function entryToJsonLine(entry: BaselineEntry): string {
  const { claim: _claim, revision: _revision, ...rest } = entry;
  return JSON.stringify(rest);
}

/** Marks the first line of an export: what the table knew besides its entries. */
export const EXPORT_KIND = 'nm-dispatcher-hunt/baseline-export';

/** The export's first line. Exports without it (earlier releases) say nothing about learning. */
export interface ExportHeader {
  readonly kind: typeof EXPORT_KIND;
  /** Hunts whose learning had ended in the exported table. */
  readonly learningComplete: readonly HuntId[];
  readonly exportedAt: string;
}

export function exportHeaderLine(learningComplete: Iterable<string>, exportedAt: Date): string {
  const header: ExportHeader = { kind: EXPORT_KIND, learningComplete: HUNT_IDS.filter((id) => [...learningComplete].includes(id)), exportedAt: exportedAt.toISOString() };
  return JSON.stringify(header);
}

export interface ParsedExport {
  readonly entries: BaselineEntry[];
  /** Hunts whose learning the file says had ended; undefined when it does not say (an earlier release's export). */
  readonly learningComplete?: readonly HuntId[];
}

/** The entries of an export (see parseBaselineExport). */
export function parseBaselineJsonLines(text: string): BaselineEntry[] {
  return parseBaselineExport(text).entries;
}

/**
 * Parses and validates a whole export before anything is written, so that a bad line changes nothing.
 * Imported pending entries lose their claim: the next run alerts them.
 */
export function parseBaselineExport(text: string): ParsedExport {
  const entries: BaselineEntry[] = [];
  const seen = new Set<string>();
  let learningComplete: readonly HuntId[] | undefined;
  let first = true;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const lineNumber = index + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new BaselineImportError(lineNumber, 'not valid JSON');
    }
    const isHeader = typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === EXPORT_KIND;
    if (isHeader) {
      if (!first) throw new BaselineImportError(lineNumber, 'the export header may only be the first line');
      learningComplete = validateHeader(raw as Record<string, unknown>, lineNumber);
      first = false;
      return;
    }
    first = false;
    const entry = validateEntry(raw, lineNumber);
    if (seen.has(entry.fingerprint)) throw new BaselineImportError(lineNumber, `fingerprint ${entry.fingerprint} appears twice`);
    seen.add(entry.fingerprint);
    entries.push(entry);
  });
  return { entries, ...(learningComplete ? { learningComplete } : {}) };
}

function validateHeader(header: Record<string, unknown>, line: number): readonly HuntId[] {
  for (const key of Object.keys(header)) if (!['kind', 'learningComplete', 'exportedAt'].includes(key)) throw new BaselineImportError(line, `unknown header field ${JSON.stringify(key.slice(0, 40))}`);
  const list = header.learningComplete;
  if (!Array.isArray(list) || !list.every((id) => typeof id === 'string' && (HUNT_IDS as readonly string[]).includes(id)) || new Set(list).size !== list.length) {
    throw new BaselineImportError(line, `header field "learningComplete" must list distinct hunt ids (${HUNT_IDS.join(', ')})`);
  }
  return list as HuntId[];
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
