import type { SourceLocation } from './errors';
import { verificationError } from './errors';
import type { FieldMappings } from './mappings';

/** How a FROM whose patterns match no index answers: 8.x fails, newer 9.x returns no columns and no rows. */
export type MissingIndexBehaviour = 'unknown-index-error' | 'empty-result';

export const wildcardMatcher = (pattern: string): ((name: string) => boolean) => {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return (name) => re.test(name);
};

/**
 * The concrete indices a FROM reads. Patterns may hold `*` and a leading `-` excludes; a name
 * without wildcards must exist. Hidden indices (a leading `.`) match only patterns that start with `.`.
 */
export function resolveIndices(
  patterns: readonly string[],
  indices: ReadonlyMap<string, FieldMappings>,
  at: SourceLocation,
  missing: MissingIndexBehaviour,
): string[] | 'empty' {
  const names = [...indices.keys()];
  const included = new Set<string>();
  for (const pattern of patterns) {
    const exclude = pattern.startsWith('-');
    const p = exclude ? pattern.slice(1) : pattern;
    const matches = p.includes('*') ? names.filter((n) => wildcardMatcher(p)(n) && (!n.startsWith('.') || p.startsWith('.'))) : names.filter((n) => n === p);
    if (!exclude && !p.includes('*') && matches.length === 0) throw verificationError(at, `Unknown index [${p}]`);
    for (const m of matches) {
      if (exclude) included.delete(m);
      else included.add(m);
    }
  }
  if (included.size > 0) return [...included].sort();
  if (missing === 'empty-result' && patterns.every((p) => p.includes('*'))) return 'empty';
  throw verificationError(at, `Unknown index [${patterns.join(',')}]`);
}
