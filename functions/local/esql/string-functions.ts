import { EvaluationFailure } from './compiled';
import { singleValueFunction, type ScalarFunction } from './function-helpers';
import { compileJavaRegex, javaReplacement } from './java-regex';
import { cell } from './values';

const codePoints = (s: string) => [...s];

/** ES|QL's string positions are 1-based; 0 is read as 1 and a negative start counts from the end. */
function indexStart(codePointCount: number, start: number): number {
  const index = start > 0 ? start - 1 : start < 0 ? codePointCount + start : 0;
  return Math.min(Math.max(0, index), codePointCount);
}

/** java.lang.Character.isWhitespace, which TRIM uses: not the no-break spaces. */
const isJavaWhitespace = (c: string) => /[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]/.test(c);

function trimStart(s: string): string {
  const chars = codePoints(s);
  let i = 0;
  while (i < chars.length && isJavaWhitespace(chars[i] as string)) i++;
  return chars.slice(i).join('');
}

function trimEnd(s: string): string {
  const chars = codePoints(s);
  let end = chars.length;
  while (end > 0 && isJavaWhitespace(chars[end - 1] as string)) end--;
  return chars.slice(0, end).join('');
}

/** A bounded cache of compiled regular expressions, for REPLACE with a per-row pattern. */
const regexCache = new Map<string, RegExp>();
function cachedJavaRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    if (regexCache.size > 1000) regexCache.clear();
    re = compileJavaRegex(pattern);
    regexCache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

export const STRING_FUNCTIONS: Record<string, ScalarFunction> = {
  LENGTH: singleValueFunction({ arity: [1, 1], args: ['string'], returns: 'integer', impl: ([s]) => codePoints(s as string).length }),
  SUBSTRING: singleValueFunction({
    arity: [2, 3],
    args: ['string', 'integral', 'integral'],
    returns: 'keyword',
    impl: ([s, start, length]) => {
      const chars = codePoints(s as string);
      if (length !== undefined && (length as number) < 0) throw new EvaluationFailure(`java.lang.IllegalArgumentException: Length parameter cannot be negative, found [${length}]`);
      const from = indexStart(chars.length, start as number);
      const to = length === undefined ? chars.length : Math.min(chars.length, from + (length as number));
      return chars.slice(from, to).join('');
    },
  }),
  LOCATE: singleValueFunction({
    arity: [2, 3],
    args: ['string', 'string', 'integral'],
    returns: 'integer',
    impl: ([s, sub, start]) => {
      const str = s as string;
      const chars = codePoints(str);
      const from = indexStart(chars.length, (start as number | undefined) ?? 0);
      const offset = chars.slice(0, from).join('').length;
      const idx = str.indexOf(sub as string, offset);
      return idx < 0 ? 0 : codePoints(str.slice(0, idx)).length + 1;
    },
  }),
  LEFT: singleValueFunction({
    arity: [2, 2],
    args: ['string', 'integral'],
    returns: 'keyword',
    impl: ([s, n]) => codePoints(s as string).slice(0, Math.max(0, n as number)).join(''),
  }),
  RIGHT: singleValueFunction({
    arity: [2, 2],
    args: ['string', 'integral'],
    returns: 'keyword',
    impl: ([s, n]) => {
      const chars = codePoints(s as string);
      return chars.slice(Math.max(0, chars.length - Math.max(0, n as number))).join('');
    },
  }),
  STARTS_WITH: singleValueFunction({ arity: [2, 2], args: ['string', 'string'], returns: 'boolean', impl: ([s, p]) => (s as string).startsWith(p as string) }),
  ENDS_WITH: singleValueFunction({ arity: [2, 2], args: ['string', 'string'], returns: 'boolean', impl: ([s, p]) => (s as string).endsWith(p as string) }),
  TO_LOWER: singleValueFunction({ arity: [1, 1], args: ['string'], returns: 'keyword', impl: ([s]) => (s as string).toLowerCase() }),
  TO_UPPER: singleValueFunction({ arity: [1, 1], args: ['string'], returns: 'keyword', impl: ([s]) => (s as string).toUpperCase() }),
  TRIM: singleValueFunction({ arity: [1, 1], args: ['string'], returns: 'keyword', impl: ([s]) => trimEnd(trimStart(s as string)) }),
  LTRIM: singleValueFunction({ arity: [1, 1], args: ['string'], returns: 'keyword', impl: ([s]) => trimStart(s as string) }),
  RTRIM: singleValueFunction({ arity: [1, 1], args: ['string'], returns: 'keyword', impl: ([s]) => trimEnd(s as string) }),
  CONCAT: singleValueFunction({ arity: [2, Infinity], args: ['string'], returns: 'keyword', impl: (values) => values.join('') }),
  REPLACE: singleValueFunction({
    arity: [3, 3],
    args: ['string', 'string', 'string'],
    returns: 'keyword',
    impl: ([s, pattern, replacement]) => {
      const re = cachedJavaRegex(pattern as string);
      return (s as string).replace(re, javaReplacement(replacement as string, re));
    },
  }),
  SPLIT: singleValueFunction({
    arity: [2, 2],
    args: ['string', 'string'],
    returns: 'keyword',
    impl: ([s, delimiter]) => {
      if (Buffer.byteLength(delimiter as string) !== 1) throw new EvaluationFailure('org.elasticsearch.xpack.esql.core.InvalidArgumentException: delimiter must be single byte for now');
      return cell((s as string).split(delimiter as string));
    },
  }),
};
