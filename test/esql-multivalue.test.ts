import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldMappings } from '../functions/local/esql';
import { esql, event, header, rows } from './support/esql';

/*
 * Elasticsearch's multi-valued semantics, from docs/reference/query-languages/esql/esql-multivalued-fields.md
 * (examples reproduced with their data) and the csv-spec tests named below.
 */
const longs: FieldMappings = { a: { type: 'long' }, b: { type: 'long' } };
const keywords: FieldMappings = { a: { type: 'long' }, b: { type: 'keyword' } };
const mv = (docs: Record<string, unknown>[], mappings: FieldMappings) => ({ events: docs.map((d) => event('mv', d)), mappings });

describe('reading multi-valued fields (docs "Multivalued fields")', () => {
  it('comes back as a JSON array; numbers sorted (esql-multivalued-fields-reorders)', () => {
    const r = esql('FROM mv | LIMIT 2', mv([{ a: 1, b: [2, 1] }, { a: 2, b: 3 }], longs));
    assert.deepEqual(header(r), ['a:long', 'b:long']);
    assert.deepEqual(r.values, [[1, [1, 2]], [2, 3]]);
  });

  it('keyword values are de-duplicated and sorted (esql-multivalued-fields-kwdups)', () => {
    const r = esql('FROM mv | LIMIT 2', mv([{ a: 1, b: ['foo', 'foo', 'bar'] }, { a: 2, b: ['bar', 'bar'] }], keywords));
    assert.deepEqual(r.values, [[1, ['bar', 'foo']], [2, 'bar']]);
  });

  it('long values keep their duplicates, also through TO_STRING (esql-multivalued-fields-longdups, -longdups-tostring)', () => {
    const data = mv([{ a: 1, b: [2, 2, 1] }, { a: 2, b: [1, 1] }], longs);
    assert.deepEqual(esql('FROM mv | LIMIT 2', data).values, [[1, [1, 2, 2]], [2, [1, 1]]]);
    assert.deepEqual(esql('FROM mv | EVAL b=TO_STRING(b) | LIMIT 2', data).values, [[1, ['1', '2', '2']], [2, ['1', '1']]]);
  });

  it('nulls in a list are not stored (esql-multivalued-nulls)', () => {
    assert.deepEqual(esql('FROM mv | KEEP a | LIMIT 1', mv([{ a: [2, null, 1] }], longs)).values, [[[1, 2]]]);
  });

  it('sorts keywords by UTF-8 bytes, which is code point order, not UTF-16 order', () => {
    const r = esql('FROM mv | KEEP b | LIMIT 1', mv([{ b: ['\u{1F600}', '\uFF5E'] }], keywords));
    assert.deepEqual(r.values, [[['\uFF5E', '\u{1F600}']]]);
  });
});

describe('single-value functions and operators on multi-values (docs "Multivalued fields" § Functions)', () => {
  // The documented query and its four warning headers, exactly.
  it('gives null and a warning per expression: FROM mv | EVAL b + 2, a + b | LIMIT 4', () => {
    const data = mv([{ a: 1, b: [2, 1] }, { a: 2, b: 3 }], longs);
    const r = esql('FROM mv | EVAL b + 2, a + b | LIMIT 4', data);
    assert.deepEqual(header(r), ['a:long', 'b:long', 'b + 2:long', 'a + b:long']);
    assert.deepEqual(r.values, [[1, [1, 2], null, null], [2, 3, 5, 5]]);
    assert.deepEqual(r.warnings, [
      'Line 1:16: evaluation of [b + 2] failed, treating result as null. Only first 20 failures recorded.',
      'Line 1:16: java.lang.IllegalArgumentException: single-value function encountered multi-value',
      'Line 1:23: evaluation of [a + b] failed, treating result as null. Only first 20 failures recorded.',
      'Line 1:23: java.lang.IllegalArgumentException: single-value function encountered multi-value',
    ]);
    const fixed = esql('FROM mv | EVAL b=MV_MIN(b) | EVAL b + 2, a + b | LIMIT 4', data);
    assert.deepEqual(fixed.values, [[1, 1, 3, 2], [2, 3, 5, 5]]);
    assert.deepEqual(fixed.warnings, []);
  });

  // where-like.csv-spec multiValueLike: `job_positions like "Account*"` drops the multi-valued rows, with a warning.
  it('==, IN, LIKE and RLIKE on a multi-value are null, so WHERE drops the row, with a warning quoting the expression', () => {
    const data = mv([{ a: 1, b: 'Accountant' }, { a: 2, b: ['Accountant', 'Tech Lead'] }], keywords);
    for (const [condition, column] of [['b == "Accountant"', 29], ['b IN ("Accountant", "x")', 29], ['b like "Account*"', 29], ['b rlike "Account.*"', 29]] as const) {
      const r = esql(`FROM mv | KEEP a, b | WHERE ${condition} | KEEP a`, data);
      assert.deepEqual(r.values, [[1]], condition);
      assert.deepEqual(r.warnings.filter((w) => !w.startsWith('No limit')), [
        `Line 1:${column}: evaluation of [${condition}] failed, treating result as null. Only first 20 failures recorded.`,
        `Line 1:${column}: java.lang.IllegalArgumentException: single-value function encountered multi-value`,
      ], condition);
    }
  });

  it('so NOT, != and NOT IN drop the multi-valued row too, and COALESCE(…, FALSE) keeps it', () => {
    const data = mv([{ a: 1, b: 'x' }, { a: 2, b: ['x', 'y'] }], keywords);
    const as = (q: string) => rows(esql(`FROM mv | ${q} | KEEP a | SORT a`, data)).map((r) => r.a);
    assert.deepEqual(as('WHERE b != "z"'), [1]);
    assert.deepEqual(as('WHERE NOT b IN ("z")'), [1]);
    assert.deepEqual(as('WHERE b NOT LIKE "z*"'), [1]);
    assert.deepEqual(as('WHERE NOT COALESCE(b IN ("z"), FALSE)'), [1, 2]);
    assert.deepEqual(as('WHERE b IS NOT NULL'), [1, 2], 'IS NOT NULL is multi-value aware');
    assert.deepEqual(as('WHERE MV_COUNT(b) > 1'), [2]);
  });

  it('string functions are single-valued: null and a warning', () => {
    const data = mv([{ a: 1, b: ['x', 'y'] }], keywords);
    const r = esql('FROM mv | EVAL l = LENGTH(b), s = STARTS_WITH(b, "x"), c = CONCAT(b, "!"), low = TO_LOWER(b) | KEEP l, s, c, low', data);
    assert.deepEqual(r.values, [[null, null, null, null]]);
    assert.equal(r.warnings.filter((w) => w.includes('single-value function encountered multi-value')).length, 4);
  });

  it('records the first 20 failures of an expression, under one header', () => {
    const docs = Array.from({ length: 30 }, (_, i) => ({ a: i, b: [`v${i}`, 'w'] }));
    const r = esql('FROM mv | WHERE b == "w" | LIMIT 100', mv(docs, keywords));
    assert.deepEqual(r.values, []);
    assert.deepEqual(r.warnings, [
      'Line 1:17: evaluation of [b == "w"] failed, treating result as null. Only first 20 failures recorded.',
      'Line 1:17: java.lang.IllegalArgumentException: single-value function encountered multi-value',
    ]);
  });
});

describe('STATS over multi-values and nulls', () => {
  // docs "STATS" (esql-stats-mv-group): `ROW i=1, a=["a", "b"] | STATS MIN(i) BY a | SORT a ASC`.
  it('puts a row in the group of each value of a multi-valued key', () => {
    assert.deepEqual(esql('ROW i=1, a=["a", "b"] | STATS MIN(i) BY a | SORT a ASC').values, [[1, 'a'], [1, 'b']]);
    assert.deepEqual(esql('ROW i=1, a=["a", "b"], b=[2, 3] | STATS MIN(i) BY a, b | SORT a ASC, b ASC').values, [[1, 'a', 2], [1, 'a', 3], [1, 'b', 2], [1, 'b', 3]]);
  });

  it('a null key forms its own group, next to the multi-valued ones', () => {
    const data = mv([{ a: 1, b: ['x', 'y'] }, { a: 2 }, { a: 3, b: 'x' }, { a: 4 }], keywords);
    const r = esql('FROM mv | STATS n = COUNT(*), ids = VALUES(a) BY b | SORT b', data);
    assert.deepEqual(r.values, [[2, [1, 3], 'x'], [1, 1, 'y'], [2, [2, 4], null]]);
  });

  // docs "COUNT": "Returns the total number (count) of input values" (ROW words="foo;bar;baz;qux;quux;foo" | STATS word_count = COUNT(SPLIT(words, ";")) is 6).
  it('aggregates see every value: COUNT counts values, COUNT_DISTINCT, MIN, MAX and VALUES look at all of them', () => {
    assert.deepEqual(esql('ROW words="foo;bar;baz;qux;quux;foo" | STATS word_count = COUNT(SPLIT(words, ";"))').values, [[6]]);
    const data = mv([{ a: [5, 1], b: ['x', 'y'] }, { a: 9, b: 'y' }], keywords);
    const r = rows(esql('FROM mv | STATS c = COUNT(b), d = COUNT_DISTINCT(b), lo = MIN(a), hi = MAX(a), v = VALUES(b), rows = COUNT(*)', data))[0]!;
    assert.deepEqual(r, { c: 3, d: 2, lo: 1, hi: 9, v: ['x', 'y'], rows: 2 });
  });
});
