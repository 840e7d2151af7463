import { resolveDateMath } from './date-math';
import { EsqlError, unsupported } from './errors';
import { fieldReader } from './field-reader';
import { compileLike } from './like-pattern';
import { esqlTypeOf, type FieldMappings } from './mappings';
import { compareScalars, valuesOf, type Scalar } from './values';

/**
 * The `filter` of a `_query` request: Query DSL that selects documents before ES|QL runs
 * (docs: "ES|QL query API", request body `filter`). Implemented: bool (filter, must, must_not,
 * should with minimum_should_match), term, terms, prefix, wildcard, exists, range (numbers,
 * strings and dates with date math), match_all, match_none. Queries match indexed values:
 * normalized keywords, without values over `ignore_above`; an unmapped field matches nothing,
 * so `must_not` keeps documents without the field.
 */
export type DocPredicate = (source: Record<string, unknown>) => boolean;

type Query =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'bool'; must: Query[]; mustNot: Query[]; should: Query[]; minimumShouldMatch: number }
  | { kind: 'term'; field: string; values: unknown[]; caseInsensitive: boolean }
  | { kind: 'prefix'; field: string; value: string; caseInsensitive: boolean }
  | { kind: 'wildcard'; field: string; value: string; caseInsensitive: boolean }
  | { kind: 'exists'; field: string }
  | { kind: 'range'; field: string; bounds: { op: 'gt' | 'gte' | 'lt' | 'lte'; value: unknown }[] };

const UNIMPLEMENTED = new Set([
  'match', 'match_phrase', 'match_phrase_prefix', 'match_bool_prefix', 'multi_match', 'query_string', 'simple_query_string',
  'regexp', 'fuzzy', 'ids', 'nested', 'has_child', 'has_parent', 'constant_score', 'dis_max', 'function_score', 'boosting',
  'script', 'script_score', 'terms_set', 'geo_shape', 'geo_distance', 'geo_bounding_box', 'geo_polygon', 'more_like_this',
  'intervals', 'combined_fields', 'knn', 'semantic', 'sparse_vector', 'pinned', 'rank_feature', 'distance_feature', 'percolate', 'wrapper', 'span_term',
]);

const parseError = (message: string) => new EsqlError('parsing_exception', message);

function single(node: unknown, what: string): [string, unknown] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) throw parseError(`[${what}] query malformed, no start_object after query name`);
  const entries = Object.entries(node as Record<string, unknown>).filter(([k]) => k !== 'boost' && k !== '_name');
  if (entries.length !== 1) throw parseError(`[${what}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join('] and [')}]`);
  return entries[0] as [string, unknown];
}

function parseQuery(node: unknown): Query {
  const [name, body] = single(node, 'query');
  switch (name) {
    case 'match_all':
      return { kind: 'all' };
    case 'match_none':
      return { kind: 'none' };
    case 'bool': {
      if (typeof body !== 'object' || body === null) throw parseError('[bool] malformed query, expected [END_OBJECT] but found [VALUE_STRING]');
      const b = body as Record<string, unknown>;
      for (const key of Object.keys(b)) {
        if (!['must', 'filter', 'must_not', 'should', 'minimum_should_match', 'boost', '_name'].includes(key)) throw parseError(`[bool] query does not support [${key}]`);
      }
      const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(parseQuery);
      const must = [...list(b.must), ...list(b.filter)];
      const should = list(b.should);
      let msm = should.length > 0 && must.length === 0 ? 1 : 0;
      if (b.minimum_should_match !== undefined) {
        const text = String(b.minimum_should_match);
        if (!/^\d+$/.test(text)) throw unsupported(undefined, `minimum_should_match [${text}] (only a non-negative integer)`);
        msm = Number(text);
      }
      return { kind: 'bool', must, mustNot: list(b.must_not), should, minimumShouldMatch: msm };
    }
    case 'term': {
      const [field, spec] = single(body, 'term');
      const s = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : { value: spec };
      if (s.value === undefined) throw parseError('[term] query does not support a term without value');
      return { kind: 'term', field, values: [s.value], caseInsensitive: s.case_insensitive === true };
    }
    case 'terms': {
      const [field, values] = single(body, 'terms');
      if (!Array.isArray(values)) throw unsupported(undefined, 'a terms lookup (terms query without an array of values)');
      return { kind: 'term', field, values, caseInsensitive: false };
    }
    case 'prefix':
    case 'wildcard': {
      const [field, spec] = single(body, name);
      const s = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : { value: spec };
      const value = s.value ?? s.wildcard;
      if (typeof value !== 'string') throw parseError(`[${name}] query malformed, no value for field [${field}]`);
      if (s.rewrite !== undefined) throw unsupported(undefined, `the ${name} query's rewrite option`);
      return { kind: name, field, value, caseInsensitive: s.case_insensitive === true };
    }
    case 'exists': {
      const field = (body as { field?: unknown } | null)?.field;
      if (typeof field !== 'string') throw parseError('[exists] must be provided with a [field]');
      if (field.includes('*')) throw unsupported(undefined, 'an exists query on a field pattern');
      return { kind: 'exists', field };
    }
    case 'range': {
      const [field, spec] = single(body, 'range');
      const s = (spec ?? {}) as Record<string, unknown>;
      const bounds: { op: 'gt' | 'gte' | 'lt' | 'lte'; value: unknown }[] = [];
      for (const [key, value] of Object.entries(s)) {
        if (key === 'gt' || key === 'gte' || key === 'lt' || key === 'lte') {
          if (value !== null && value !== undefined) bounds.push({ op: key, value });
        } else if (key === 'time_zone') {
          if (!['UTC', 'Z', '+00:00', 'Etc/UTC'].includes(String(value))) throw unsupported(undefined, `a range time_zone other than UTC [${String(value)}]`);
        } else if (key === 'format') {
          if (!['strict_date_optional_time', 'strict_date_optional_time||epoch_millis', 'epoch_millis'].includes(String(value))) throw unsupported(undefined, `the range format [${String(value)}]`);
        } else if (key !== 'boost') {
          throw unsupported(undefined, `the range option [${key}]`);
        }
      }
      return { kind: 'range', field, bounds };
    }
    default:
      if (UNIMPLEMENTED.has(name)) throw unsupported(undefined, `the [${name}] query in the request filter`);
      throw parseError(`unknown query [${name}]`);
  }
}

/** Compiles a request filter once; the predicate for each index's mappings is built on first use. */
export function compileRequestFilter(filter: unknown, now: number): (mappings: FieldMappings) => DocPredicate {
  if (filter === undefined || filter === null) return () => () => true;
  const query = parseQuery(filter);
  const cache = new Map<FieldMappings, DocPredicate>();
  return (mappings) => {
    let predicate = cache.get(mappings);
    if (!predicate) {
      predicate = build(query, mappings, now);
      cache.set(mappings, predicate);
    }
    return predicate;
  };
}

function build(q: Query, mappings: FieldMappings, now: number): DocPredicate {
  switch (q.kind) {
    case 'all':
      return () => true;
    case 'none':
      return () => false;
    case 'bool': {
      const must = q.must.map((c) => build(c, mappings, now));
      const mustNot = q.mustNot.map((c) => build(c, mappings, now));
      const should = q.should.map((c) => build(c, mappings, now));
      const msm = q.minimumShouldMatch;
      return (doc) => {
        if (!must.every((p) => p(doc))) return false;
        if (mustNot.some((p) => p(doc))) return false;
        if (msm === 0) return true;
        let n = 0;
        for (const p of should) if (p(doc) && ++n >= msm) return true;
        return false;
      };
    }
    default:
      return leaf(q, mappings, now);
  }
}

function leaf(q: Exclude<Query, { kind: 'all' | 'none' | 'bool' }>, mappings: FieldMappings, now: number): DocPredicate {
  const mapping = mappings[q.field];
  if (!mapping) return () => false;
  const type = esqlTypeOf(mapping);
  const read = fieldReader(q.field, mapping);
  const indexed = (doc: Record<string, unknown>): Scalar[] => valuesOf(read(doc));
  if (q.kind === 'exists') return (doc) => indexed(doc).length > 0;
  if (type === 'text' && q.kind !== 'range') throw unsupported(undefined, `a ${q.kind} query on the text field [${q.field}] (analysed text)`);
  const normalize = (v: string) => (mapping.normalizer === 'lowercase' ? v.toLowerCase() : v);
  const toFieldValue = (v: unknown, roundUp = false): Scalar => {
    if (type === 'date') return resolveDateMath(v, now, roundUp);
    if (type === 'keyword' || type === 'text') return normalize(String(v));
    if (type === 'boolean') return v === true || v === 'true';
    const n = Number(v);
    if (!Number.isFinite(n)) throw new EsqlError('parsing_exception', `failed to create query: For input string: "${String(v)}"`);
    return n;
  };
  switch (q.kind) {
    case 'term': {
      if (q.caseInsensitive) {
        const wanted = new Set(q.values.map((v) => String(v).toLowerCase()));
        return (doc) => indexed(doc).some((v) => wanted.has(String(v).toLowerCase()));
      }
      const wanted = q.values.map((v) => toFieldValue(v));
      const set = new Set(wanted);
      return (doc) => indexed(doc).some((v) => set.has(v));
    }
    case 'prefix':
    case 'wildcard': {
      if (type !== 'keyword') throw unsupported(undefined, `a ${q.kind} query on the ${mapping.type} field [${q.field}]`);
      const pattern = q.caseInsensitive ? q.value.toLowerCase() : normalize(q.value);
      const matches = q.kind === 'prefix' ? (v: string) => v.startsWith(pattern) : compileLike(pattern);
      return (doc) => indexed(doc).some((v) => matches(q.caseInsensitive ? (v as string).toLowerCase() : (v as string)));
    }
    case 'range': {
      const bounds = q.bounds.map((b) => ({ op: b.op, value: toFieldValue(b.value, b.op === 'gt' || b.op === 'lte') }));
      return (doc) =>
        indexed(doc).some((v) =>
          bounds.every((b) => {
            const c = compareScalars(v, b.value);
            return b.op === 'gt' ? c > 0 : b.op === 'gte' ? c >= 0 : b.op === 'lt' ? c < 0 : c <= 0;
          }),
        );
    }
  }
}

