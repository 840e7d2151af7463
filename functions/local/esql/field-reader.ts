import { esqlTypeOf, type FieldMapping } from './mappings';
import { compileSourcePath, sourceValues } from './stored-event';
import { compareScalars, parseDate, type Scalar, type Value } from './values';

/** A document Elasticsearch would have rejected at index time: the fleet data is wrong, not the query. */
export class InvalidDocumentError extends Error {}

/**
 * Reads one field of one document as ES|QL does: keyword-family fields from doc values
 * (normalized, values over `ignore_above` absent, de-duplicated and sorted by UTF-8 bytes),
 * numbers, dates and booleans from sorted doc values (duplicates kept), text from `_source`
 * (in order). Returns a reader bound to the mapping, for speed over many documents.
 */
export function fieldReader(name: string, mapping: FieldMapping): (source: Record<string, unknown>) => Value {
  const path = compileSourcePath(mapping.sourcePath ?? name);
  const type = esqlTypeOf(mapping);
  const invalid = (v: unknown, why: string) =>
    new InvalidDocumentError(`field [${name}] of type [${mapping.type}]: ${why}: ${JSON.stringify(v)?.slice(0, 200)}`);

  if (type === 'keyword') {
    const limit = mapping.ignore_above ?? Infinity;
    const lower = mapping.normalizer === 'lowercase';
    return (source) => {
      const raw = sourceValues(source, path);
      if (raw.length === 0) return null;
      const out: string[] = [];
      for (const v of raw) {
        if (typeof v === 'object') throw invalid(v, 'an object where a value was expected');
        const s = String(v);
        if (s.length > limit) continue;
        out.push(lower ? s.toLowerCase() : s);
      }
      if (out.length <= 1) return out[0] ?? null;
      const unique = [...new Set(out)].sort(compareScalars);
      return unique.length === 1 ? (unique[0] as string) : unique;
    };
  }
  if (type === 'text') {
    return (source) => {
      const raw = sourceValues(source, path);
      const out = raw.map((v) => {
        if (typeof v === 'object') throw invalid(v, 'an object where text was expected');
        return String(v);
      });
      return out.length === 0 ? null : out.length === 1 ? (out[0] as string) : out;
    };
  }
  const parse = (v: unknown): Scalar => {
    if (type === 'date') {
      const ms = parseDate(v);
      if (ms === undefined) throw invalid(v, 'not a date');
      return ms;
    }
    if (type === 'boolean') {
      if (v === true || v === 'true') return true;
      if (v === false || v === 'false' || v === '') return false;
      throw invalid(v, 'not a boolean');
    }
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw invalid(v, 'not a number');
    // Numeric fields coerce by default: a long keeps the integer part.
    return type === 'double' ? n : Math.trunc(n);
  };
  return (source) => {
    const raw = sourceValues(source, path);
    if (raw.length === 0) return null;
    if (raw.length === 1) return parse(raw[0]);
    return raw.map(parse).sort(compareScalars);
  };
}
