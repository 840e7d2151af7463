/**
 * LIKE patterns, as Elasticsearch's WildcardPattern reads them (docs: "LIKE" operator):
 * `*` is any sequence, `?` one character, `\` makes the next character literal (a trailing `\`
 * is a literal backslash). Everything else, `.` included, is literal. Matching is whole-string
 * and case-sensitive.
 */
export type StringMatcher = (value: string) => boolean;

const regexEscape = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

export function compileLike(pattern: string): StringMatcher {
  const parts: ({ literal: string } | { any: 'many' | 'one' })[] = [];
  const chars = [...pattern];
  let literal = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      literal += i + 1 < chars.length ? chars[++i] : '\\';
    } else if (c === '*' || c === '?') {
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ any: c === '*' ? 'many' : 'one' });
    } else {
      literal += c;
    }
  }
  if (literal) parts.push({ literal });

  // Fast paths for the shapes hunts use: exact, prefix*, *suffix, *infix*.
  const lit = (p: (typeof parts)[number] | undefined) => (p && 'literal' in p ? p.literal : undefined);
  const many = (p: (typeof parts)[number] | undefined) => !!p && 'any' in p && p.any === 'many';
  if (parts.length === 0) return (v) => v === '';
  if (parts.length === 1 && lit(parts[0]) !== undefined) {
    const exact = lit(parts[0]) as string;
    return (v) => v === exact;
  }
  if (parts.length === 1 && many(parts[0])) return () => true;
  if (parts.length === 2 && lit(parts[0]) !== undefined && many(parts[1])) {
    const prefix = lit(parts[0]) as string;
    return (v) => v.startsWith(prefix);
  }
  if (parts.length === 2 && many(parts[0]) && lit(parts[1]) !== undefined) {
    const suffix = lit(parts[1]) as string;
    return (v) => v.endsWith(suffix);
  }
  if (parts.length === 3 && many(parts[0]) && lit(parts[1]) !== undefined && many(parts[2])) {
    const infix = lit(parts[1]) as string;
    return (v) => v.includes(infix);
  }
  const source = parts
    .map((p) => ('literal' in p ? [...p.literal].map(regexEscape).join('') : p.any === 'many' ? '.*' : '.'))
    .join('');
  const re = new RegExp(`^(?:${source})$`, 'su');
  return (v) => re.test(v);
}
