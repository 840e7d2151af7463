import type { Command } from './ast';
import { constant, type EvalContext, type Row } from './compiled';
import { EsqlError, VerificationFailures } from './errors';
import { compileExpr, type Params } from './expressions';
import { fieldReader } from './field-reader';
import { resolveIndices, wildcardMatcher, type MissingIndexBehaviour } from './index-resolution';
import { esqlTypeOf, type FieldMappings } from './mappings';
import { limitOperator, type Sink } from './operators';
import { parseQuery } from './parser';
import { boundSorts, planCommands, referencedNames, type Column, type Stage } from './planner';
import { compileRequestFilter, type DocPredicate } from './request-filter';
import type { StoredEvent } from './stored-event';
import { toJson, type Value } from './values';
import { Warnings } from './warnings';

/** The body of `POST /_query` as far as evaluation goes. */
export interface EsqlRequest {
  readonly query: string;
  readonly params?: unknown;
  readonly filter?: unknown;
  readonly columnar?: boolean;
}

/** What the evaluator reads: the indices that exist (with their mappings) and every stored event. */
export interface EsqlCluster {
  readonly indices: ReadonlyMap<string, FieldMappings>;
  /** Iterated once per query, so a generator-backed iterable streams without holding events. */
  readonly events: Iterable<StoredEvent>;
}

export interface EvaluateOptions {
  /** The query's `now()` and the filter's `now` (epoch ms): fixed per query. @default Date.now() */
  readonly now?: number;
  /** @default 'unknown-index-error' (8.x); 'empty-result' is newer 9.x. */
  readonly missingIndex?: MissingIndexBehaviour;
  /** esql.query.result_truncation_default_size. @default 1000 */
  readonly defaultLimit?: number;
  /** esql.query.result_truncation_max_size. @default 10000 */
  readonly maxLimit?: number;
}

/** The `_query` response body plus what goes in headers. */
export interface EsqlResult {
  readonly columns: { name: string; type: string }[];
  readonly values: unknown[][];
  readonly is_partial: false;
  /** `Warning` header texts, as Elasticsearch would send them (without the `299 Elasticsearch-…` envelope). */
  readonly warnings: string[];
  /** Documents that passed index resolution and the request filter. */
  readonly documentsFound: number;
}

/** Runs one ES|QL query over stored events the way Elasticsearch would answer it. */
export function evaluateEsql(request: EsqlRequest, cluster: EsqlCluster, options: EvaluateOptions = {}): EsqlResult {
  const now = options.now ?? Date.now();
  const warnings = new Warnings();
  const ctx: EvalContext = { warnings, now };
  if (typeof request.query !== 'string' || request.query.trim() === '') throw new EsqlError('parsing_exception', 'line 1:1: mismatched input \'<EOF>\' expecting {\'row\', \'from\'}');
  const { commands } = parseQuery(request.query);
  const params = parseParams(request.params);
  const failures = new VerificationFailures();
  const [source, ...rest] = commands as [Command, ...Command[]];

  let input: Column[];
  let feed: (first: Sink) => number;
  if (source.kind === 'row') {
    const row: Row = [];
    input = [];
    for (const field of source.fields) {
      const compiled = compileExpr(field.expr, {
        failures,
        params,
        resolveField: (name, src) => {
          const i = input.findIndex((c) => c.name === name);
          return i < 0 ? undefined : constant(row[i] as Value, (input[i] as Column).type, src);
        },
      });
      if (compiled.type === 'date_period' || compiled.type === 'time_duration') {
        failures.add(field.src, `ROW does not support type [${compiled.type}] as the return data type of expression [${field.expr.src.text}]`);
      }
      const value = compiled.eval([], ctx);
      const existing = input.findIndex((c) => c.name === field.name);
      if (existing >= 0) {
        input.splice(existing, 1);
        row.splice(existing, 1);
      }
      input.push({ name: field.name, type: compiled.type });
      row.push(value);
    }
    feed = (first) => {
      first.push(row);
      first.finish();
      return 0;
    };
  } else if (source.kind === 'from') {
    const resolved = resolveIndices(source.patterns, cluster.indices, source.src, options.missingIndex ?? 'unknown-index-error');
    if (resolved === 'empty') return { columns: [], values: [], is_partial: false, warnings: [], documentsFound: 0 };
    const from = fromColumns(resolved, cluster.indices);
    // When STATS or KEEP narrows the output, columns the query never names are never seen: leave them out.
    const needed = neededColumns(rest, from.columns);
    input = from.columns.filter((_, i) => needed[i]);
    const filterFor = compileRequestFilter(request.filter, now);
    feed = (first) => readEvents(cluster, new Set(resolved), input, filterFor, first);
    return finish(rest, input, { failures, params, conflicts: from.conflicts }, feed, ctx, options, request.columnar === true);
  } else {
    throw new EsqlError('parsing_exception', 'a query starts with FROM or ROW');
  }
  return finish(rest, input, { failures, params }, feed, ctx, options, request.columnar === true);
}

function finish(
  commands: readonly Command[],
  input: Column[],
  env: { failures: VerificationFailures; params: Params; conflicts?: ReadonlyMap<string, string> },
  feed: (first: Sink) => number,
  ctx: EvalContext,
  options: EvaluateOptions,
  columnar: boolean,
): EsqlResult {
  const { stages, output } = planCommands(commands, input, env);
  env.failures.throwIfAny();
  // Elasticsearch adds a final LIMIT: the default (with a warning) when the query has none, else the maximum.
  const hasLimit = commands.some((c) => c.kind === 'limit');
  const finalLimit = hasLimit ? (options.maxLimit ?? 10_000) : (options.defaultLimit ?? 1000);
  if (!hasLimit) ctx.warnings.add(`No limit defined, adding default limit of [${finalLimit}]`);
  const all: Stage[] = boundSorts([...stages, { command: 'limit', operator: limitOperator(finalLimit), oneToOne: false, limit: finalLimit }]);
  const rows: Row[] = [];
  let sink: Sink = { push: (row) => (rows.push(row), true), finish: () => undefined };
  for (let i = all.length - 1; i >= 0; i--) sink = (all[i] as Stage).operator(sink, ctx);
  const documentsFound = feed(sink);
  const columns = output.map((c) => ({ name: c.name, type: c.type }));
  const values = rows.map((row) => output.map((c, i) => toJson(row[i] ?? null, c.type)));
  return {
    columns,
    values: columnar ? output.map((_, i) => values.map((r) => r[i])) : values,
    is_partial: false,
    warnings: ctx.warnings.list(),
    documentsFound,
  };
}

function parseParams(raw: unknown): Params {
  const named = new Map<string, unknown>();
  const positional: unknown[] = [];
  if (raw === undefined || raw === null) return { named, positional };
  if (!Array.isArray(raw)) throw new EsqlError('x_content_parse_exception', '[params] must be an array');
  for (const p of raw) {
    if (typeof p === 'object' && p !== null && !Array.isArray(p)) {
      const entries = Object.entries(p as Record<string, unknown>);
      if (entries.length !== 1) throw new EsqlError('x_content_parse_exception', `Cannot parse more than one key:value pair as parameter, found [${entries.map(([k]) => k).join(', ')}]`);
      const [name, value] = entries[0] as [string, unknown];
      if (typeof value === 'object' && value !== null) throw new EsqlError('local_evaluator_unsupported_exception', `the parameter [${name}] is an object (identifier/pattern parameters are not implemented by the local ES|QL evaluator)`);
      named.set(name, value);
    } else {
      positional.push(p);
    }
  }
  if (named.size > 0 && positional.length > 0) throw new EsqlError('x_content_parse_exception', 'Params cannot contain both named and unnamed parameters');
  return { named, positional };
}

/** FROM's columns: every field mapped in any of the indices, by name; a field mapped with two ES|QL types cannot be used. */
function fromColumns(indices: readonly string[], all: ReadonlyMap<string, FieldMappings>): { columns: Column[]; conflicts: Map<string, string> } {
  const types = new Map<string, Map<string, string[]>>();
  for (const index of indices) {
    for (const [name, mapping] of Object.entries(all.get(index) as FieldMappings)) {
      const byType = types.get(name) ?? new Map<string, string[]>();
      const t = esqlTypeOf(mapping);
      byType.set(t, [...(byType.get(t) ?? []), index]);
      types.set(name, byType);
    }
  }
  const columns: Column[] = [];
  const conflicts = new Map<string, string>();
  for (const [name, byType] of [...types.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (byType.size === 1) {
      columns.push({ name, type: [...byType.keys()][0] as Column['type'] });
    } else {
      const list = [...byType.entries()].map(([t, idx]) => `[${t}] in [${idx.join(', ')}]`).join(', ');
      conflicts.set(name, `Cannot use field [${name}] due to ambiguities being mapped as [${byType.size}] incompatible types: ${list}`);
    }
  }
  return { columns, conflicts };
}

/** Which FROM columns the query can observe: all, unless a STATS or KEEP narrows the output to the names it mentions. */
function neededColumns(commands: readonly Command[], columns: readonly Column[]): boolean[] {
  const { names, patterns, narrows } = referencedNames(commands);
  if (!narrows) return columns.map(() => true);
  const tests = patterns.map(wildcardMatcher);
  return columns.map((c) => names.has(c.name) || tests.some((t) => t(c.name)));
}

/** Streams the events of the resolved indices through the request filter into the first operator. */
function readEvents(
  cluster: EsqlCluster,
  included: ReadonlySet<string>,
  columns: readonly Column[],
  filterFor: (mappings: FieldMappings) => DocPredicate,
  first: Sink,
): number {
  type IndexReader = { accept: DocPredicate; read: { index: number; read: (source: Record<string, unknown>) => Value }[] };
  const perIndex = new Map<string, IndexReader | null>();
  const readerFor = (index: string): IndexReader | null => {
    let r = perIndex.get(index);
    if (r !== undefined) return r;
    const mappings = cluster.indices.get(index);
    if (!mappings) throw new Error(`an event is stored in index [${index}], which the cluster does not declare`);
    if (!included.has(index)) {
      r = null;
    } else {
      r = {
        accept: filterFor(mappings),
        // A column this index does not map stays null.
        read: columns.flatMap((c, index) => {
          const mapping = mappings[c.name];
          return mapping ? [{ index, read: fieldReader(c.name, mapping) }] : [];
        }),
      };
    }
    perIndex.set(index, r);
    return r;
  };
  let found = 0;
  for (const event of cluster.events) {
    const reader = readerFor(event.index);
    if (!reader || !reader.accept(event.source)) continue;
    found++;
    const row: Value[] = new Array(columns.length).fill(null);
    for (const field of reader.read) row[field.index] = field.read(event.source);
    if (!first.push(row)) break;
  }
  first.finish();
  return found;
}
