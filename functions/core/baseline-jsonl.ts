import {
  BASELINE_STATUSES,
  MAX_APPROVALS,
  MAX_APPROVAL_HISTORY_BYTES,
  MAX_APPROVER_CHARS,
  MAX_WHY_NEW_CHARS,
  MAX_IDENTITY_CHARS,
  MAX_NOTE_CHARS,
  MAX_SAMPLES,
  MAX_SAMPLE_CHARS,
  entryKeys,
  type Approval,
  type BaselineEntry,
} from './baseline';
import { BaselineImportError, quoted } from './errors';
import { DIGEST_PATTERN, FINGERPRINT_PATTERN, valueDigest } from './finding';
import { HUNT_IDS, huntById } from './hunts';
import type { HuntDefinition, HuntId } from './hunts/hunt-definition';
import { MAX_ENTRY_BYTES, dynamoItemBytes } from './item-size';
import { isUtcTimestamp } from './timestamp';

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
  const complete = new Set(learningComplete);
  const header: ExportHeader = { kind: EXPORT_KIND, learningComplete: HUNT_IDS.filter((id) => complete.has(id)), exportedAt: exportedAt.toISOString() };
  return JSON.stringify(header);
}

export interface ImportOptions {
  /** Accept lines whose identity was stored cut at 4,096 characters: their fingerprint cannot be checked. */
  readonly allowCutIdentities?: boolean;
}

export interface ParsedExport {
  readonly entries: BaselineEntry[];
  /** The line each entry came from, in the same order. */
  readonly lines: number[];
  /** Hunts whose learning the file says had ended; undefined when it does not say (an earlier release's export). */
  readonly learningComplete?: readonly HuntId[];
  /** Lines accepted with an identity cut at 4,096 characters (their fingerprint unchecked). */
  readonly cutIdentities: number[];
}

/** Counts are bounded far above any real count, far below where numbers lose precision or render oddly. */
export const MAX_COUNT = 1_000_000_000_000;

/** The entries of an export (see parseBaselineExport). */
export function parseBaselineJsonLines(text: string, options: ImportOptions = {}): BaselineEntry[] {
  return parseBaselineExport(text, options).entries;
}

/**
 * Parses, validates and sizes a whole export before anything is written, so that a bad line changes nothing. Nothing
 * in the file is trusted: each fingerprint and anchor is recomputed from the line's hunt and identity, identity
 * fields must be the hunt's, timestamps strict ISO-8601 UTC, numbers bounded, text bounded, and every value echoed
 * in an error is escaped. Imported pending entries lose their claim: the next run alerts them.
 */
export function parseBaselineExport(text: string, options: ImportOptions = {}): ParsedExport {
  const entries: BaselineEntry[] = [];
  const lines: number[] = [];
  const cutIdentities: number[] = [];
  const seen = new Map<string, number>();
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
    if (typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === EXPORT_KIND) {
      if (!first) throw new BaselineImportError(lineNumber, 'the export header may only be the first line');
      learningComplete = validateHeader(raw as Record<string, unknown>, lineNumber);
      first = false;
      return;
    }
    first = false;
    const { entry, cut } = validateEntry(raw, lineNumber, options);
    const earlier = seen.get(entry.fingerprint);
    if (earlier !== undefined) throw new BaselineImportError(lineNumber, `fingerprint ${entry.fingerprint} appears twice (also on line ${earlier})`);
    seen.set(entry.fingerprint, lineNumber);
    entries.push(entry);
    lines.push(lineNumber);
    if (cut) cutIdentities.push(lineNumber);
  });
  return { entries, lines, cutIdentities, ...(learningComplete ? { learningComplete } : {}) };
}

function validateHeader(header: Record<string, unknown>, line: number): readonly HuntId[] {
  for (const key of Object.keys(header)) if (!['kind', 'learningComplete', 'exportedAt'].includes(key)) throw new BaselineImportError(line, `unknown header field ${quoted(key)}`);
  const list = header.learningComplete;
  if (!Array.isArray(list) || !list.every((id) => typeof id === 'string' && (HUNT_IDS as readonly string[]).includes(id)) || new Set(list).size !== list.length) {
    throw new BaselineImportError(line, `header field "learningComplete" must list distinct hunt ids (${HUNT_IDS.join(', ')})`);
  }
  if (header.exportedAt !== undefined && !isUtcTimestamp(header.exportedAt)) throw new BaselineImportError(line, 'header field "exportedAt" must be an ISO-8601 UTC timestamp');
  return list as HuntId[];
}

const ENTRY_FIELDS = new Set([
  'fingerprint', 'huntId', 'identity', 'identityTruncated', 'identityDigests', 'context', 'indicators', 'anchorKey', 'status', 'firstSeen', 'lastSeen', 'eventCount', 'agentCount', 'hostNames', 'agentIds',
  'sightings', 'recordedAt', 'updatedAt', 'alertMessageId', 'alertedAt', 'whyNew', 'note', 'approvedBy', 'approvedAt', 'approvals', 'approvalsDropped',
]);

/** What `truncate` appends to a value it cut. */
const CUT_SUFFIX = /…\[\d+ more characters\]$/;

function validateEntry(raw: unknown, line: number, options: ImportOptions): { entry: BaselineEntry; cut: boolean } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BaselineImportError(line, 'expected a JSON object');
  const e = raw as Record<string, unknown>;
  const fail = (field: string, expected: string): never => {
    throw new BaselineImportError(line, `field "${field}" must be ${expected}`);
  };
  for (const key of Object.keys(e)) if (!ENTRY_FIELDS.has(key)) throw new BaselineImportError(line, `unknown field ${quoted(key)}`);
  if (typeof e.fingerprint !== 'string' || !FINGERPRINT_PATTERN.test(e.fingerprint)) fail('fingerprint', '64 lowercase hex digits');
  const hunt = typeof e.huntId === 'string' ? huntById(e.huntId) : undefined;
  if (!hunt) return fail('huntId', `a known hunt id (${HUNT_IDS.join(', ')})`);
  if (!BASELINE_STATUSES.includes(e.status as never)) fail('status', BASELINE_STATUSES.join(', '));
  const cut = validateIdentity(e, hunt, line, options);

  for (const field of ['firstSeen', 'lastSeen']) if (e[field] !== null && !isUtcTimestamp(e[field])) fail(field, 'an ISO-8601 UTC timestamp (2026-11-24T21:14:05.000Z) or null');
  for (const field of ['recordedAt', 'updatedAt']) if (!isUtcTimestamp(e[field])) fail(field, 'an ISO-8601 UTC timestamp (2026-11-24T21:14:05.000Z)');
  for (const field of ['alertedAt', 'approvedAt']) if (e[field] !== undefined && !isUtcTimestamp(e[field])) fail(field, 'an ISO-8601 UTC timestamp (2026-11-24T21:14:05.000Z)');
  for (const field of ['eventCount', 'agentCount', 'sightings']) if (!isCount(e[field])) fail(field, `a whole number from 0 to ${MAX_COUNT}`);
  if (e.approvalsDropped !== undefined && !isCount(e.approvalsDropped)) fail('approvalsDropped', `a whole number from 0 to ${MAX_COUNT}`);
  for (const field of ['hostNames', 'agentIds']) if (!isSampleList(e[field])) fail(field, `a list of at most ${MAX_SAMPLES} strings of at most ${MAX_SAMPLE_CHARS} characters`);
  const context = e.context;
  if (typeof context !== 'object' || context === null || Array.isArray(context) || Object.keys(context).length > 16 || !Object.entries(context).every(([name, list]) => /^[a-z_.]{1,64}$/.test(name) && isSampleList(list))) {
    fail('context', `an object of at most 16 lists of at most ${MAX_SAMPLES} strings of at most ${MAX_SAMPLE_CHARS} characters`);
  }
  if (!Array.isArray(e.indicators) || e.indicators.length > 32 || !e.indicators.every((i) => typeof i === 'string' && /^[a-z0-9-]{1,64}$/.test(i))) fail('indicators', 'a list of indicator ids');
  if (e.alertMessageId !== undefined && !isText(e.alertMessageId, 256)) fail('alertMessageId', 'a string of at most 256 characters');
  if (e.whyNew !== undefined && !isText(e.whyNew, MAX_WHY_NEW_CHARS)) fail('whyNew', `a string of at most ${MAX_WHY_NEW_CHARS} characters`);
  if (e.note !== undefined && !isText(e.note, MAX_NOTE_CHARS)) fail('note', `a string of at most ${MAX_NOTE_CHARS} characters`);
  if (e.approvedBy !== undefined && !isText(e.approvedBy, MAX_APPROVER_CHARS)) fail('approvedBy', `a string of at most ${MAX_APPROVER_CHARS} characters`);
  if (e.status === 'approved' && (e.approvedBy === undefined || e.approvedAt === undefined)) fail('approvedBy', 'present, with approvedAt, on an approved entry');
  if (e.approvals !== undefined) validateApprovals(e.approvals, line);

  const entry = e as unknown as BaselineEntry;
  const bytes = dynamoItemBytes(entry);
  if (bytes > MAX_ENTRY_BYTES) throw new BaselineImportError(line, `the entry is ${bytes} bytes; at most ${MAX_ENTRY_BYTES} are accepted`);
  return { entry, cut };
}

/** The identity must be the hunt's, and must hash to the line's fingerprint and anchor; a cut one cannot be checked. */
function validateIdentity(e: Record<string, unknown>, hunt: HuntDefinition, line: number, options: ImportOptions): boolean {
  const identity = e.identity;
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) throw new BaselineImportError(line, 'field "identity" must be an object');
  const values = identity as Record<string, unknown>;
  for (const key of Object.keys(values)) if (!hunt.identityFields.includes(key)) throw new BaselineImportError(line, `unknown identity field ${quoted(key)} for hunt ${hunt.id}`);
  for (const field of hunt.identityFields) {
    if (!(field in values)) throw new BaselineImportError(line, `identity field "${field}" is missing`);
    const value = values[field];
    if (value !== null && !isText(value, MAX_IDENTITY_CHARS)) throw new BaselineImportError(line, `identity field "${field}" must be a string of at most ${MAX_IDENTITY_CHARS} characters, or null`);
  }
  if (typeof e.identityTruncated !== 'boolean') throw new BaselineImportError(line, 'field "identityTruncated" must be true or false');
  if (typeof e.anchorKey !== 'string' || !/^[0-9a-f]{32}$/.test(e.anchorKey)) throw new BaselineImportError(line, 'field "anchorKey" must be 32 hex digits');
  const digests = e.identityDigests;
  if (!Array.isArray(digests) || digests.length !== hunt.identityFields.length || !digests.every((d) => d === null || (typeof d === 'string' && DIGEST_PATTERN.test(d)))) {
    throw new BaselineImportError(line, `field "identityDigests" must list ${hunt.identityFields.length} SHA-256 digests or nulls, one per identity field (${hunt.identityFields.join(', ')})`);
  }
  // The keys follow from the digests of the full values, which the line stores: a cut display copy cannot hide them.
  const keys = entryKeys(hunt, digests as (string | null)[]);
  if (keys.fingerprint !== e.fingerprint) throw new BaselineImportError(line, 'fingerprint does not match the hunt and identity digests on this line');
  if (keys.anchorKey !== e.anchorKey) throw new BaselineImportError(line, 'anchorKey does not match the hunt and identity digests on this line');
  const cutFields = hunt.identityFields.filter((field) => typeof values[field] === 'string' && CUT_SUFFIX.test(values[field] as string));
  hunt.identityFields.forEach((field, i) => {
    const value = (values[field] ?? null) as string | null;
    if ((value === null) !== (digests[i] === null)) throw new BaselineImportError(line, `identity field "${field}" and its digest must both be null or both be set`);
    if (!cutFields.includes(field) && valueDigest(value) !== digests[i]) throw new BaselineImportError(line, `identity field "${field}" does not match its digest on this line`);
  });
  if (!e.identityTruncated) {
    if (cutFields.length > 0) throw new BaselineImportError(line, `identity field "${cutFields[0]}" looks cut but identityTruncated is false`);
    return false;
  }
  // What a cut display copy shows cannot be proven against its digest: trusting it is a deliberate choice.
  if (!options.allowCutIdentities) {
    throw new BaselineImportError(line, 'identity was stored cut at 4,096 characters, so what it shows cannot be checked against its digest: pass --allow-cut-identities to accept such lines');
  }
  if (cutFields.length === 0) throw new BaselineImportError(line, 'identityTruncated is true but no identity value was cut');
  return true;
}

function validateApprovals(list: unknown, line: number): void {
  if (!Array.isArray(list) || list.length > MAX_APPROVALS) throw new BaselineImportError(line, `field "approvals" must be a list of at most ${MAX_APPROVALS} approvals`);
  list.forEach((item: unknown, i) => {
    const fail = (field: string, expected: string): never => {
      throw new BaselineImportError(line, `field "approvals[${i}].${field}" must be ${expected}`);
    };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail('', 'an object');
    const a = item as Record<string, unknown>;
    for (const key of Object.keys(a)) if (!['by', 'at', 'note', 'scope'].includes(key)) throw new BaselineImportError(line, `unknown field ${quoted(key)} in approvals[${i}]`);
    if (!isText(a.by, MAX_APPROVER_CHARS)) fail('by', `a string of at most ${MAX_APPROVER_CHARS} characters`);
    if (!isUtcTimestamp(a.at)) fail('at', 'an ISO-8601 UTC timestamp');
    if (!isText(a.note, MAX_NOTE_CHARS)) fail('note', `a string of at most ${MAX_NOTE_CHARS} characters`);
    if (!isScope(a.scope)) fail('scope', `{"kind": "fleet"} or {"kind": "agents", "agentIds": [at most ${MAX_SAMPLES} strings]}`);
  });
  const bytes = dynamoItemBytes({ approvals: list as Approval[] });
  if (bytes > MAX_APPROVAL_HISTORY_BYTES) throw new BaselineImportError(line, `field "approvals" holds ${bytes} bytes; at most ${MAX_APPROVAL_HISTORY_BYTES} are accepted`);
}

function isScope(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const scope = value as Record<string, unknown>;
  if (scope.kind === 'fleet') return Object.keys(scope).length === 1;
  return scope.kind === 'agents' && Object.keys(scope).length === 2 && isSampleList(scope.agentIds);
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_COUNT;
const isSampleList = (v: unknown) => Array.isArray(v) && v.length <= MAX_SAMPLES && v.every((s) => isText(s, MAX_SAMPLE_CHARS));
