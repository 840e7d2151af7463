import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOf, esql, header, rows } from './support/esql';

/*
 * Scalar functions, each checked against the example in Elasticsearch's reference
 * (docs/reference/query-languages/esql/functions-operators/*.md) where it has one.
 */
const row = (query: string) => rows(esql(query))[0]!;

describe('string functions', () => {
  it('LENGTH counts characters, not bytes (docs "LENGTH": Agwār is 5)', () => {
    assert.equal(row('ROW city = "Agwār" | EVAL n = LENGTH(city)').n, 5);
  });

  it('SUBSTRING is 1-based, a negative start counts from the end, length is optional (docs "SUBSTRING")', () => {
    const r = row('ROW s = "Bamford" | EVAL a = SUBSTRING(s, 1, 3), b = SUBSTRING(s, -3, 3), c = SUBSTRING(s, 2), d = SUBSTRING(s, 0, 2), e = SUBSTRING(s, 10)');
    assert.deepEqual([r.a, r.b, r.c, r.d, r.e], ['Bam', 'ord', 'amford', 'Ba', '']);
  });

  it('LOCATE is 1-based and 0 when absent (docs "LOCATE": locate("hello", "ll") is 3)', () => {
    const r = row('ROW a = "hello" | EVAL ll = LOCATE(a, "ll"), none = LOCATE(a, "z"), from = LOCATE(a, "l", 4)');
    assert.deepEqual([r.ll, r.none, r.from], [3, 0, 4]);
  });

  it('LEFT and RIGHT (docs "LEFT", "RIGHT": Bamford gives Bam and ord)', () => {
    const r = row('ROW s = "Bamford" | EVAL l = LEFT(s, 3), r = RIGHT(s, 3)');
    assert.deepEqual([r.l, r.r], ['Bam', 'ord']);
  });

  it('STARTS_WITH and ENDS_WITH (docs "STARTS_WITH", "ENDS_WITH")', () => {
    const r = row('ROW s = "Bamford" | EVAL b = STARTS_WITH(s, "B"), d = ENDS_WITH(s, "d"), x = STARTS_WITH(s, "b")');
    assert.deepEqual([r.b, r.d, r.x], [true, true, false]);
  });

  it('TO_LOWER and TO_UPPER (docs: "Some Text")', () => {
    const r = row('ROW m = "Some Text" | EVAL l = TO_LOWER(m), u = TO_UPPER(m)');
    assert.deepEqual([r.l, r.u], ['some text', 'SOME TEXT']);
  });

  it('TRIM, LTRIM and RTRIM remove whitespace (docs "TRIM", "LTRIM", "RTRIM")', () => {
    const r = row('ROW m = "   some text  " | EVAL t = TRIM(m), l = CONCAT("\'", LTRIM(m), "\'"), r = CONCAT("\'", RTRIM(m), "\'")');
    assert.deepEqual([r.t, r.l, r.r], ['some text', "'some text  '", "'   some text'"]);
  });

  it('CONCAT joins two or more strings and is null if any is null', () => {
    const r = row('ROW a = "Alejandro", b = "McAlpine", n = null | EVAL f = CONCAT(a, " ", b), x = CONCAT(a, n)');
    assert.deepEqual([r.f, r.x], ['Alejandro McAlpine', null]);
    assert.match(errorOf(() => esql('ROW a = "x" | EVAL y = CONCAT(a)')), /expects at least 2 arguments/);
  });

  it('SPLIT on a single-byte delimiter gives a multi-value (docs "SPLIT")', () => {
    assert.deepEqual(row('ROW words="foo;bar;baz;qux;quux;corge" | EVAL word = SPLIT(words, ";")').word, ['foo', 'bar', 'baz', 'qux', 'quux', 'corge']);
    const r = esql('ROW s = "a::b" | EVAL parts = SPLIT(s, "::")');
    assert.equal(rows(r)[0]!.parts, null);
    assert.match(r.warnings.join('\n'), /delimiter must be single byte/);
  });

  // docs "REPLACE": java.util.regex semantics.
  it('REPLACE substitutes regular expression matches with Java replacement syntax', () => {
    assert.equal(row('ROW str = "Hello World" | EVAL str = REPLACE(str, "World", "Universe")').str, 'Hello Universe');
    const r = row('ROW s = "eth0 up, wlp2s0 down" | EVAL a = REPLACE(s, "(eth|wlp)[0-9a-z]+", "<$1>"), b = REPLACE(s, "\\\\s+", "_"), c = REPLACE(s, "\\\\Q0 \\\\E", "0_"), d = REPLACE(s, "n$", "N"), e = REPLACE(s, "(?<w>up)", "${w}!")');
    assert.deepEqual([r.a, r.b, r.c, r.d, r.e], ['<eth> up, <wlp> down', 'eth0_up,_wlp2s0_down', 'eth0_up, wlp2s0_down', 'eth0 up, wlp2s0 dowN', 'eth0 up!, wlp2s0 down']);
    // Java's `.` does not cross a line terminator, JavaScript's `\s` is wider than Java's.
    assert.equal(row('ROW s = "a\\nb" | EVAL r = REPLACE(s, "a.b", "X")').r, 'a\nb');
    assert.equal(row('ROW s = "a\u00a0b" | EVAL r = REPLACE(s, "\\\\s", "_")').r, 'a\u00a0b');
  });

  it('REPLACE rejects Java constructs it cannot translate, with a warning and null', () => {
    for (const pattern of ['a++', '(?i)a', '(?>a)', '[a-z&&[^b]]', '\\\\p{Alpha}']) {
      const r = esql(`ROW s = "abc" | EVAL r = REPLACE(s, "${pattern}", "x")`);
      assert.equal(rows(r)[0]!.r, null, pattern);
      assert.match(r.warnings.join('\n'), /does not implement/, pattern);
    }
    const bad = esql('ROW s = "abc" | EVAL r = REPLACE(s, "b", "$2")');
    assert.match(bad.warnings.join('\n'), /IndexOutOfBoundsException: No group 2/);
  });
});

describe('multi-value functions (docs "Multivalue functions")', () => {
  it('MV_COUNT, MV_FIRST, MV_LAST, MV_MIN, MV_MAX', () => {
    const r = row('ROW a = ["foo", "zoo", "bar"], n = [3, 5, 1] | EVAL c = MV_COUNT(a), f = MV_FIRST(a), l = MV_LAST(a), lo = MV_MIN(a), hi = MV_MAX(a), nmin = MV_MIN(n), nmax = MV_MAX(n)');
    assert.deepEqual([r.c, r.f, r.l, r.lo, r.hi, r.nmin, r.nmax], [3, 'foo', 'bar', 'bar', 'zoo', 1, 5]);
    assert.equal(row('ROW a="foo;bar;baz" | EVAL first_a = MV_FIRST(SPLIT(a, ";")), last_a = MV_LAST(SPLIT(a, ";"))').last_a, 'baz');
  });

  it('MV_DEDUPE removes duplicates (docs: ["foo", "foo", "bar", "foo"] gives ["foo", "bar"])', () => {
    assert.deepEqual(row('ROW a=["foo", "foo", "bar", "foo"] | EVAL d = MV_DEDUPE(a)').d, ['foo', 'bar']);
  });

  it('MV_SLICE with inclusive ends and negative positions (docs "MV_SLICE" examples)', () => {
    const a = row('row a = [1, 2, 2, 3] | eval a1 = mv_slice(a, 1), a2 = mv_slice(a, 2, 3)');
    assert.deepEqual([a.a1, a.a2], [2, [2, 3]]);
    const b = row('row a = [1, 2, 2, 3] | eval a1 = mv_slice(a, -2), a2 = mv_slice(a, -3, -1)');
    assert.deepEqual([b.a1, b.a2], [2, [2, 2, 3]]);
    const c = row('ROW a = ["x", "y"], s = "only" | EVAL out = MV_SLICE(a, 5, 9), head = MV_SLICE(a, 0, 9), single = MV_SLICE(s, 0, 9)');
    assert.deepEqual([c.out, c.head, c.single], [null, ['x', 'y'], 'only']);
  });

  it('MV_CONCAT and MV_SORT (docs "MV_CONCAT", "MV_SORT")', () => {
    const r = row('ROW a=["foo", "zoo", "bar"], n = [10, 9, 8] | EVAL j = MV_CONCAT(a, ", "), k = MV_CONCAT(TO_STRING(n), ", "), s = MV_SORT(n), d = MV_SORT(a, "DESC")');
    assert.deepEqual([r.j, r.k, r.s, r.d], ['foo, zoo, bar', '10, 9, 8', [8, 9, 10], ['zoo', 'foo', 'bar']]);
  });

  it('MV_APPEND concatenates two multi-values', () => {
    assert.deepEqual(row('ROW a = [1, 2], b = 3 | EVAL c = MV_APPEND(a, b)').c, [1, 2, 3]);
  });
});

describe('conditional functions', () => {
  // docs "COALESCE": the first argument that is not null.
  it('COALESCE returns the first non-null argument, multi-values whole', () => {
    const r = row('ROW a = null, b = "b", m = [1, 2] | EVAL c = COALESCE(a, b), d = COALESCE(a, a), e = COALESCE(m, 5)');
    assert.deepEqual([r.c, r.d, r.e], ['b', null, [1, 2]]);
    assert.match(errorOf(() => esql('ROW a = "x" | EVAL c = COALESCE(a, 1)')), /second argument of \[COALESCE\(a, 1\)\] must be \[keyword\], found value \[1\] type \[integer\]/);
  });

  // docs "CASE": the value of the first true condition; null counts as false; no else gives null.
  it('CASE picks the first true condition; a null condition is false; no else is null', () => {
    const r = row('ROW a = 5, n = null | EVAL x = CASE(a < 3, "low", a < 10, "mid", "high"), y = CASE(n > 1, "yes", "no"), z = CASE(a > 10, "big")');
    assert.deepEqual([r.x, r.y, r.z], ['mid', 'no', null]);
  });
});

describe('type conversion functions and casts', () => {
  it('TO_STRING prints like Java; TO_LONG, TO_INTEGER, TO_DOUBLE, TO_BOOLEAN and TO_DATETIME convert each value', () => {
    const r = row('ROW d = 1.0, l = 5, t = "2024-05-01T10:00:00Z", s = "42", b = "TRUE" | EVAL ds = TO_STRING(d), ls = TO_STRING(l), tl = TO_LONG(s), ti = TO_INTEGER("7"), td = TO_DOUBLE("1.5"), tb = TO_BOOLEAN(b), dt = TO_DATETIME(t), back = TO_STRING(TO_DATETIME(t))');
    assert.deepEqual([r.ds, r.ls, r.tl, r.ti, r.td, r.tb, r.dt, r.back], ['1.0', '5', 42, 7, 1.5, true, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z']);
    assert.deepEqual(row('ROW a = [2, 2, 1] | EVAL s = TO_STRING(a)').s, ['2', '2', '1'], 'docs esql-multivalued-fields: duplicates stay through TO_STRING');
  });

  // AbstractConvertFunction tests: "org.elasticsearch.xpack.esql.core.InvalidArgumentException: Cannot parse number [x]".
  it('a failed conversion is null with the warning Elasticsearch sends', () => {
    const r = esql('ROW s = "abc" | EVAL n = TO_LONG(s)');
    assert.equal(rows(r)[0]!.n, null);
    assert.deepEqual(r.warnings, [
      'No limit defined, adding default limit of [1000]',
      'Line 1:26: evaluation of [TO_LONG(s)] failed, treating result as null. Only first 20 failures recorded.',
      'Line 1:26: org.elasticsearch.xpack.esql.core.InvalidArgumentException: Cannot parse number [abc]',
    ]);
  });

  it('casts with :: to the named type', () => {
    const r = esql('ROW a = "5"::LONG, b = 5::KEYWORD, c = "2024-01-01"::DATETIME, d = 3::DOUBLE, e = "true"::BOOLEAN, f = 2.7::INTEGER');
    assert.deepEqual(header(r), ['a:long', 'b:keyword', 'c:date', 'd:double', 'e:boolean', 'f:integer']);
    assert.deepEqual(r.values[0], [5, '5', '2024-01-01T00:00:00.000Z', 3, true, 3]);
    assert.match(errorOf(() => esql('ROW a = 1::IP')), /local_evaluator_unsupported_exception: .*::ip/);
    assert.match(errorOf(() => esql('ROW a = "soon"::DATE_PERIOD')), /Cannot convert string \[soon\] to \[DATE_PERIOD\]/);
  });
});

describe('date functions', () => {
  it('NOW is the request clock and DATE_TRUNC rounds down in UTC', () => {
    const r = row('ROW t = TO_DATETIME("2024-05-15T13:45:12.345Z") | EVAL h = DATE_TRUNC(1 hour, t), d = DATE_TRUNC(1 day, t), m = DATE_TRUNC(1 month, t), y = DATE_TRUNC(1 year, t), w = DATE_TRUNC(1 week, t), q = DATE_TRUNC(1 quarter, t)');
    assert.deepEqual([r.h, r.d, r.m, r.y, r.w, r.q], ['2024-05-15T13:00:00.000Z', '2024-05-15T00:00:00.000Z', '2024-05-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2024-05-13T00:00:00.000Z', '2024-04-01T00:00:00.000Z']);
  });
});

describe('LIKE and RLIKE', () => {
  // docs "LIKE": `*` any characters, `?` one; `\` escapes; triple quotes avoid double escaping.
  it('LIKE matches whole strings with * and ?, and escapes with a backslash', () => {
    const r = row('ROW p = "/etc/NetworkManager/dispatcher.d/99-x", m = "foo * bar" | EVAL a = p LIKE "/etc/NetworkManager/dispatcher.d/*", b = p LIKE "*99-?", c = p LIKE "/etc/*/99-x", d = p LIKE "/etc", e = m LIKE "foo \\\\* bar", f = m LIKE """foo \\* bar""", g = "foo x bar" LIKE """foo \\* bar""", h = p LIKE "/etc/NetworkManager/dispatcher?d/*", i = "/etc/NetworkManagerXdispatcher.d/x" LIKE "/etc/NetworkManager.dispatcher.d/*"');
    assert.deepEqual([r.a, r.b, r.c, r.d, r.e, r.f, r.g, r.h, r.i], [true, true, true, false, true, true, false, true, false]);
  });

  it('LIKE is case-sensitive and takes a list of patterns (9.1+, docs "LIKE")', () => {
    assert.equal(esql('ROW message = "foobar" | WHERE message like ("foo*", "bar?")').values.length, 1);
    assert.equal(row('ROW a = "Foo" | EVAL b = a LIKE "foo"').b, false);
  });

  // docs "Regular expression syntax" (Lucene): anchored, `.` any char, `#` empty language (where-like.csv-spec rlikeWithEmptyLanguagePattern).
  it('RLIKE uses Lucene regular expressions, anchored to the whole string', () => {
    const r = row('ROW a = "Alejandro", x = "abc", p = "foo ( bar" | EVAL b = a RLIKE ".leja.*", c = a RLIKE "leja", d = x RLIKE "#", e = p RLIKE """foo \\( bar""", f = x RLIKE "[a-c]{3}", g = x RLIKE "a(b|z)c", h = x RLIKE "^abc", i = "a^c" RLIKE "a^c", j = x RLIKE "@"');
    assert.deepEqual([r.b, r.c, r.d, r.e, r.f, r.g, r.h, r.i, r.j], [true, false, false, true, true, true, false, true, true]);
  });

  it('RLIKE rejects Lucene operators it does not implement', () => {
    for (const pattern of ['a~b', 'a&b', '<1-5>', '\\\\d+']) {
      assert.match(errorOf(() => esql(`ROW a = "x" | WHERE a RLIKE "${pattern}"`)), /not implemented/, pattern);
    }
  });
});
