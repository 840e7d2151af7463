import { wildcardMatcher } from '../esql/index-resolution';
import type { FieldMappings } from '../esql/mappings';

/** Names shaped like `<type>-<dataset>-<namespace>` are data streams, as Elastic Agent's indices are. */
export const isDataStream = (name: string) => /^(logs|metrics|traces|synthetics|profiling)-[^-]+-[^-]+$/.test(name);
export const backingIndex = (dataStream: string) => `.ds-${dataStream}-2026.01.01-000001`;

const matchAll = (patterns: readonly string[], names: readonly string[]) => {
  const out = new Set<string>();
  for (const p of patterns) {
    const exclude = p.startsWith('-');
    const test = wildcardMatcher(exclude ? p.slice(1) : p);
    for (const n of names) {
      if (!test(n) || (n.startsWith('.') && !p.startsWith('.'))) continue;
      if (exclude) out.delete(n);
      else out.add(n);
    }
  }
  return [...out].sort();
};

/** `GET /_resolve/index/<patterns>` (docs: "Resolve index API"): data streams, with their backing indices. */
export function resolveIndexResponse(patterns: readonly string[], indices: ReadonlyMap<string, FieldMappings>) {
  const names = [...indices.keys()];
  const matched = matchAll(patterns, names);
  return {
    indices: matched.filter((n) => !isDataStream(n)).map((name) => ({ name, attributes: ['open'] })),
    aliases: [],
    data_streams: matched.filter(isDataStream).map((name) => ({ name, backing_indices: [backingIndex(name)], timestamp_field: '@timestamp' })),
  };
}

/** The concrete index names a pattern list reaches (a data stream reaches its backing index). */
export function concreteIndices(patterns: readonly string[], indices: ReadonlyMap<string, FieldMappings>): string[] {
  return matchAll(patterns, [...indices.keys()]);
}

/**
 * `_field_caps` (docs: "Get the field capabilities"): for each requested field (patterns allowed),
 * its mapping type, searchable and aggregatable, with `indices` listed when not every index agrees.
 */
export function fieldCapsResponse(fieldPatterns: readonly string[], targets: readonly string[], indices: ReadonlyMap<string, FieldMappings>) {
  const tests = fieldPatterns.map(wildcardMatcher);
  const fields: Record<string, Record<string, Record<string, unknown>>> = {};
  const byField = new Map<string, Map<string, string[]>>();
  for (const index of targets) {
    for (const [name, mapping] of Object.entries(indices.get(index) ?? {})) {
      if (!tests.some((t) => t(name))) continue;
      const types = byField.get(name) ?? new Map<string, string[]>();
      types.set(mapping.type, [...(types.get(mapping.type) ?? []), index]);
      byField.set(name, types);
    }
  }
  for (const [name, types] of [...byField.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    fields[name] = {};
    for (const [type, where] of types) {
      const textual = type === 'text' || type === 'match_only_text';
      (fields[name] as Record<string, Record<string, unknown>>)[type] = {
        type,
        metadata_field: false,
        searchable: true,
        aggregatable: !textual,
        // Listed only when the indices disagree on the type (docs: `indices` is null when all agree).
        ...(types.size > 1 ? { indices: where.map((i) => (isDataStream(i) ? backingIndex(i) : i)) } : {}),
      };
    }
  }
  return { indices: targets.map((i) => (isDataStream(i) ? backingIndex(i) : i)), fields };
}
