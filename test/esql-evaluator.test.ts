import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FieldMappings } from '../functions/local/esql';
import { errorOf, esql, event, header, NOW, rows } from './support/esql';

/*
 * Conformance of the local ES|QL evaluator, command by command. Each expectation cites where
 * Elasticsearch documents or tests the behaviour:
 *   docs  = elastic/elasticsearch docs/reference/query-languages/esql/… (commands, functions, operators)
 *   spec  = x-pack/plugin/esql/qa/testFixtures/src/main/resources/<file>.csv-spec, test name
 */

const EMPLOYEES: FieldMappings = {
  emp_no: { type: 'integer' },
  first_name: { type: 'keyword' },
  last_name: { type: 'keyword' },
  languages: { type: 'integer' },
  height: { type: 'double' },
  still_hired: { type: 'boolean' },
  hire_date: { type: 'date' },
};
const employee = (emp_no: number, first_name: string | null, last_name: string, languages: number | null, height: number, still_hired = true) =>
  event('employees', { emp_no, first_name, last_name, languages, height, still_hired, hire_date: `2020-01-0${(emp_no % 9) + 1}T00:00:00Z` });
const staff = [
  employee(10001, 'Georgi', 'Facello', 2, 2.03),
  employee(10002, 'Bezalel', 'Simmel', 5, 2.08, false),
  employee(10003, 'Parto', 'Bamford', 4, 1.83),
  employee(10004, 'Chirstian', 'Koblick', 5, 1.78),
  employee(10005, null, 'Maliniak', 1, 2.05),
  employee(10006, 'Anneke', 'Preusig', null, 1.56),
];
const emp = (query: string, extra = {}) => esql(query, { events: staff, mappings: EMPLOYEES, ...extra });

describe('FROM', () => {
  it('returns every mapped column, sorted by name, with its ES|QL type', () => {
    const r = emp('FROM employees | LIMIT 1');
    assert.deepEqual(header(r), ['emp_no:integer', 'first_name:keyword', 'height:double', 'hire_date:date', 'languages:integer', 'last_name:keyword', 'still_hired:boolean']);
    assert.equal(rows(r)[0]!.hire_date, '2020-01-03T00:00:00.000Z', 'dates print as ISO 8601 with milliseconds');
  });

  it('reads comma-separated index patterns with wildcards and exclusions', () => {
    const events = [event('logs-a-1', { x: 'a' }), event('logs-b-1', { x: 'b' }), event('other', { x: 'c' })];
    const mappings: FieldMappings = { x: { type: 'keyword' } };
    const xs = (q: string) => rows(esql(q, { events, mappings })).map((r) => r.x).sort();
    assert.deepEqual(xs('FROM logs-* | KEEP x'), ['a', 'b']);
    assert.deepEqual(xs('FROM logs-*, other | KEEP x'), ['a', 'b', 'c']);
    assert.deepEqual(xs('FROM logs-*,-logs-b-* | KEEP x'), ['a']);
    assert.deepEqual(xs('FROM logs-*, nothing-* | KEEP x'), ['a', 'b'], 'a pattern matching nothing is fine when another matches');
  });

  // 8.x: "Found 1 problem\nline 1:1: Unknown index [logs-new]"; 9.x (elastic/elasticsearch#139181): no rows, no columns.
  it('answers a pattern that matches nothing with Unknown index (8.x) or an empty result (newer 9.x)', () => {
    const events = [event('logs-a-1', { x: 'a' })];
    assert.equal(errorOf(() => esql('FROM endgame-*', { events })), 'verification_exception: Found 1 problem\nline 1:1: Unknown index [endgame-*]');
    assert.equal(errorOf(() => esql('FROM endgame-*, sentinel-*', { events })), 'verification_exception: Found 1 problem\nline 1:1: Unknown index [endgame-*,sentinel-*]');
    const empty = esql('FROM endgame-* | STATS c = COUNT(*) BY x', { events, missingIndex: 'empty-result' });
    assert.deepEqual({ columns: empty.columns, values: empty.values }, { columns: [], values: [] });
    assert.match(errorOf(() => esql('FROM missing', { events, missingIndex: 'empty-result' })), /Unknown index \[missing\]/, 'a concrete name must exist');
  });

  it('rejects an unknown column unless some matching index maps it', () => {
    const events = [event('a', { x: 'v' }), event('b', { y: 'w' })];
    const mappingsFor: FieldMappings = { x: { type: 'keyword' }, y: { type: 'keyword' } };
    assert.equal(rows(esql('FROM a, b | WHERE y == "w" | KEEP x, y', { events, mappings: mappingsFor })).length, 1);
    assert.equal(
      errorOf(() => emp('FROM employees\n| WHERE file.extension == "sh"')),
      'verification_exception: Found 1 problem\nline 2:9: Unknown column [file.extension]',
    );
    assert.equal(
      errorOf(() => emp('FROM employees | WHERE nope == 1 | EVAL z = also_nope')),
      'verification_exception: Found 2 problems\nline 1:24: Unknown column [nope]\nline 1:45: Unknown column [also_nope]',
    );
  });
});

describe('WHERE and three-valued logic', () => {
  // docs "WHERE" tip: `WHERE field != "value"` is `WHERE field != "value" AND field IS NOT NULL`.
  it('keeps only rows whose condition is true: a comparison with null is null, and null rows are dropped', () => {
    const names = (q: string) => rows(emp(q)).map((r) => r.emp_no);
    assert.deepEqual(names('FROM employees | WHERE first_name != "Georgi" | SORT emp_no | KEEP emp_no'), [10002, 10003, 10004, 10006]);
    assert.deepEqual(names('FROM employees | WHERE NOT (first_name == "Georgi") | SORT emp_no | KEEP emp_no'), [10002, 10003, 10004, 10006]);
    assert.deepEqual(names('FROM employees | WHERE first_name NOT IN ("Georgi") | SORT emp_no | KEEP emp_no'), [10002, 10003, 10004, 10006]);
    assert.deepEqual(names('FROM employees | WHERE first_name IS NULL | KEEP emp_no'), [10005]);
    assert.deepEqual(names('FROM employees | WHERE NOT COALESCE(first_name == "Georgi", FALSE) | SORT emp_no | KEEP emp_no'), [10002, 10003, 10004, 10005, 10006]);
    assert.deepEqual(names('FROM employees | WHERE still_hired | SORT emp_no | KEEP emp_no'), [10001, 10003, 10004, 10005, 10006], 'docs "WHERE": a boolean field alone');
  });

  // docs "Logical operators" / SQL three-valued logic: the full truth tables of AND, OR and NOT.
  it('AND, OR and NOT follow the three-valued truth tables', () => {
    const values = ['TRUE', 'FALSE', 'NULL'] as const;
    const v = (s: string) => (s === 'NULL' ? null : s === 'TRUE');
    for (const a of values) {
      for (const b of values) {
        const r = rows(esql(`ROW x = 1 | EVAL a_and_b = ${a} AND ${b}, a_or_b = ${a} OR ${b}, not_a = NOT ${a}`))[0]!;
        const [x, y] = [v(a), v(b)];
        const and = x === false || y === false ? false : x === null || y === null ? null : true;
        const or = x === true || y === true ? true : x === null || y === null ? null : false;
        assert.equal(r.a_and_b, and, `${a} AND ${b}`);
        assert.equal(r.a_or_b, or, `${a} OR ${b}`);
        assert.equal(r.not_a, x === null ? null : !x, `NOT ${a}`);
      }
    }
  });

  // docs "IN": true on a match; with a null in the list and no match, null.
  it('IN and NOT IN: a null value or a null in an unmatched list gives null', () => {
    const r = rows(esql('ROW a = 1, n = null | EVAL in1 = a IN (1, 2), in2 = a IN (2, 3), in3 = a IN (2, null), in4 = a IN (1, null), nin = a NOT IN (2, null), nv = n IN (1)'))[0]!;
    assert.deepEqual([r.in1, r.in2, r.in3, r.in4, r.nin, r.nv], [true, false, null, true, null, null]);
    // docs "WHERE": `ROW a = 1, b = 4, c = 3 | WHERE c-a IN (3, b / 2, a)` keeps the row.
    assert.equal(esql('ROW a = 1, b = 4, c = 3 | WHERE c-a IN (3, b / 2, a)').values.length, 1);
  });

  it('IS NULL and IS NOT NULL never give null', () => {
    const r = rows(esql('ROW a = null, b = 1 | EVAL an = a IS NULL, ann = a IS NOT NULL, bn = b IS NULL'))[0]!;
    assert.deepEqual([r.an, r.ann, r.bn], [true, false, false]);
  });

  it('rejects a condition that is not boolean', () => {
    assert.equal(errorOf(() => emp('FROM employees | WHERE first_name')), 'verification_exception: Found 1 problem\nline 1:24: Condition expression needs to be boolean, found [KEYWORD]');
  });
});

describe('EVAL', () => {
  // docs "EVAL": a reused name drops the existing column and appends the new one.
  it('appends columns, sees earlier assignments, and moves a redefined column to the end', () => {
    const r = emp('FROM employees | KEEP languages, emp_no | EVAL languages = languages * 100, twice = languages * 2 | SORT emp_no | LIMIT 1');
    assert.deepEqual(header(r), ['emp_no:integer', 'languages:integer', 'twice:integer']);
    assert.deepEqual(r.values[0], [10001, 200, 400]);
  });

  // docs "esql-multivalued-fields": an unnamed expression is named by its text.
  it('names an unnamed expression by its source text', () => {
    assert.deepEqual(header(esql('ROW a = 1 | EVAL a + 1')), ['a:integer', 'a + 1:integer']);
  });

  it('computes arithmetic with widening, integer division and overflow as null with a warning', () => {
    const query = 'ROW i = 7, l = 3000000000, d = 2.5 | EVAL q = i / 2, m = i % 3, w = i + l, x = i * d, z = i / 0, o = 2147483647 + i';
    const r = esql(query);
    const at = (text: string) => `Line 1:${query.indexOf(text) + 1}`;
    assert.deepEqual(header(r).slice(3), ['q:integer', 'm:integer', 'w:long', 'x:double', 'z:integer', 'o:integer']);
    assert.deepEqual(r.values[0]!.slice(3), [3, 1, 3000000007, 17.5, null, null]);
    assert.deepEqual(r.warnings.filter((w) => !w.startsWith('No limit')), [
      `${at('i / 0')}: evaluation of [i / 0] failed, treating result as null. Only first 20 failures recorded.`,
      `${at('i / 0')}: java.lang.ArithmeticException: / by zero`,
      `${at('2147483647 + i')}: evaluation of [2147483647 + i] failed, treating result as null. Only first 20 failures recorded.`,
      `${at('2147483647 + i')}: java.lang.ArithmeticException: integer overflow`,
    ]);
  });

  it('adds time spans to dates, with the request clock as now()', () => {
    const r = rows(esql('ROW t = NOW() | EVAL a = t - 30 days, b = t + 1 hour, c = t - "30 days"::DATE_PERIOD, d = t - 1 month'))[0]!;
    assert.equal(r.t, new Date(NOW).toISOString());
    assert.equal(r.a, '2025-12-11T12:00:00.000Z');
    assert.equal(r.b, '2026-01-10T13:00:00.000Z');
    assert.equal(r.c, r.a, 'a span parameter needs the ::DATE_PERIOD cast (product brief)');
    assert.equal(r.d, '2025-12-10T12:00:00.000Z');
  });
});

describe('STATS … BY', () => {
  // docs "STATS": `STATS count = COUNT(emp_no) BY languages` has a null group; aggregates come before the keys.
  it('groups by a key, puts nulls in their own group, and lists aggregates before keys', () => {
    const r = emp('FROM employees | STATS count = COUNT(emp_no) BY languages | SORT languages');
    assert.deepEqual(header(r), ['count:long', 'languages:integer']);
    assert.deepEqual(r.values, [[1, 1], [1, 2], [1, 4], [2, 5], [1, null]]);
  });

  it('without BY returns exactly one row, even over no rows', () => {
    assert.deepEqual(emp('FROM employees | WHERE emp_no > 99999 | STATS c = COUNT(*), m = MIN(height), v = VALUES(first_name)').values, [[0, null, null]]);
  });

  it('computes COUNT(*), COUNT(x), COUNT_DISTINCT, MIN, MAX, VALUES, SUM and AVG; nulls are skipped', () => {
    const r = rows(emp('FROM employees | STATS rows = COUNT(*), named = COUNT(first_name), langs = COUNT_DISTINCT(languages), lo = MIN(height), hi = MAX(hire_date), last = MAX(last_name), n = VALUES(languages), total = SUM(languages), mean = AVG(languages), c = COUNT()'))[0]!;
    assert.equal(r.rows, 6);
    assert.equal(r.named, 5);
    assert.equal(r.langs, 4);
    assert.equal(r.lo, 1.56);
    assert.equal(r.hi, '2020-01-08T00:00:00.000Z');
    assert.equal(r.last, 'Simmel');
    assert.deepEqual([...(r.n as number[])].sort(), [1, 2, 4, 5]);
    assert.equal(r.total, 17);
    assert.equal(r.mean, 17 / 5);
    assert.equal(r.c, 6, 'docs "COUNT": COUNT() counts rows');
  });

  // docs "STATS": unnamed aggregates and grouping expressions are named by their text.
  it('names columns by their text and groups by expressions', () => {
    const r = emp('FROM employees | STATS COUNT(*) BY LEFT(last_name, 1) | SORT `LEFT(last_name, 1)` | LIMIT 2');
    assert.deepEqual(header(r), ['COUNT(*):long', 'LEFT(last_name, 1):keyword']);
    assert.deepEqual(r.values, [[1, 'B'], [1, 'F']]);
  });

  it('allows expressions over aggregates and grouping keys, and keeps the right-most of equal names', () => {
    const r = emp('FROM employees | STATS x = COUNT(*) * 10, x = MAX(emp_no), languages = COUNT(*) BY languages | SORT languages | LIMIT 1');
    assert.deepEqual(header(r), ['x:integer', 'languages:integer']);
    assert.deepEqual(r.values, [[10005, 1]]);
    const e = rows(emp('FROM employees | STATS c = COUNT(*) * 10 BY still_hired | SORT still_hired'));
    assert.deepEqual(e, [{ c: 10, still_hired: false }, { c: 50, still_hired: true }]);
  });

  it('rejects a column that is neither grouped nor aggregated, and an aggregate outside STATS', () => {
    assert.match(errorOf(() => emp('FROM employees | STATS c = COUNT(*) + emp_no BY languages')), /column \[emp_no\] must appear in the STATS BY clause or be used in an aggregate function/);
    assert.match(errorOf(() => emp('FROM employees | EVAL c = COUNT(*)')), /aggregate function \[COUNT\(\*\)\] not allowed outside STATS command/);
    assert.match(errorOf(() => emp('FROM employees | STATS c = emp_no + 1')), /expected an aggregate function but found \[emp_no \+ 1\]/);
    assert.match(errorOf(() => emp('FROM employees | STATS c = COUNT(*) WHERE emp_no > 1')), /local_evaluator_unsupported_exception: .*STATS … WHERE/);
  });
});

describe('SORT', () => {
  // docs "SORT": ascending by default; nulls last ascending, first descending; NULLS FIRST/LAST override.
  it('sorts ascending by default with Elasticsearch null ordering', () => {
    const order = (q: string) => rows(emp(`FROM employees | ${q} | KEEP first_name`)).map((r) => r.first_name);
    assert.deepEqual(order('SORT first_name'), ['Anneke', 'Bezalel', 'Chirstian', 'Georgi', 'Parto', null]);
    assert.deepEqual(order('SORT first_name DESC'), [null, 'Parto', 'Georgi', 'Chirstian', 'Bezalel', 'Anneke']);
    assert.deepEqual(order('SORT first_name ASC NULLS FIRST'), [null, 'Anneke', 'Bezalel', 'Chirstian', 'Georgi', 'Parto']);
    assert.deepEqual(order('SORT first_name DESC NULLS LAST'), ['Parto', 'Georgi', 'Chirstian', 'Bezalel', 'Anneke', null]);
  });

  it('breaks ties with further keys', () => {
    assert.deepEqual(rows(emp('FROM employees | SORT languages DESC, emp_no DESC | KEEP emp_no | LIMIT 3')).map((r) => r.emp_no), [10006, 10004, 10002]);
  });

  // docs "SORT": a multi-valued column sorts by its lowest value ascending and its highest descending.
  it('sorts multi-valued columns by their lowest (ascending) or highest (descending) value', () => {
    const events = [event('m', { k: 'a', v: [1, 9] }), event('m', { k: 'b', v: [3, 4] }), event('m', { k: 'c', v: 5 })];
    const mappings: FieldMappings = { k: { type: 'keyword' }, v: { type: 'long' } };
    const ks = (q: string) => rows(esql(q, { events, mappings })).map((r) => r.k);
    assert.deepEqual(ks('FROM m | SORT v ASC | KEEP k'), ['a', 'b', 'c']);
    assert.deepEqual(ks('FROM m | SORT v DESC | KEEP k'), ['a', 'c', 'b']);
  });
});

describe('LIMIT', () => {
  const many = Array.from({ length: 10_050 }, (_, i) => event('big', { n: i }));
  const mappings: FieldMappings = { n: { type: 'long' } };

  // docs "LIMIT": queries return at most 10,000 rows whatever LIMIT says; without LIMIT the default is 1000
  // with the warning "No limit defined, adding default limit of [1000]" (elastic/elasticsearch#100894, #105618).
  it('applies an explicit LIMIT, a default of 1000 with a warning, and a cap of 10,000', () => {
    const explicit = esql('FROM big | SORT n | LIMIT 3', { events: many, mappings });
    assert.deepEqual(explicit.values, [[0], [1], [2]]);
    assert.deepEqual(explicit.warnings, []);
    const implicit = esql('FROM big | SORT n DESC', { events: many, mappings });
    assert.equal(implicit.values.length, 1000);
    assert.deepEqual(implicit.values[0], [10_049]);
    assert.deepEqual(implicit.warnings, ['No limit defined, adding default limit of [1000]']);
    assert.equal(esql('FROM big | LIMIT 20000', { events: many, mappings }).values.length, 10_000);
    assert.equal(esql('FROM big | LIMIT 20000 | WHERE n >= 0', { events: many, mappings }).values.length, 10_000, 'any LIMIT in the query means the cap, not the default');
    assert.equal(esql('FROM big | LIMIT 0', { events: many, mappings }).values.length, 0);
    assert.equal(esql('FROM big | STATS c = COUNT(*) BY n', { events: many, mappings }).values.length, 1000, 'the default applies after STATS too');
  });

  it('takes a LIMIT from a parameter and rejects a negative or non-integer one', () => {
    assert.equal(esql('FROM big | LIMIT ?n', { events: many, mappings, params: [{ n: 7 }] }).values.length, 7);
    assert.match(errorOf(() => esql('FROM big | LIMIT ?n', { events: many, mappings, params: [{ n: -1 }] })), /Invalid value for LIMIT/);
  });
});

describe('KEEP, DROP, RENAME, MV_EXPAND', () => {
  // docs "KEEP": exact names beat partial wildcards, which beat `*`; among equals the right-most wins.
  it('KEEP orders columns by the names given, with Elasticsearch precedence', () => {
    const cols = (q: string) => emp(`FROM employees | ${q} | LIMIT 0`).columns.map((c) => c.name);
    assert.deepEqual(cols('KEEP last_name, emp_no'), ['last_name', 'emp_no']);
    assert.deepEqual(cols('KEEP h*'), ['height', 'hire_date']);
    assert.deepEqual(cols('KEEP first_name, last_name, first_name*'), ['first_name', 'last_name']);
    assert.deepEqual(cols('KEEP first_name*, last_name, first_na*'), ['last_name', 'first_name']);
    assert.deepEqual(cols('KEEP *, first_name').at(-1), 'first_name');
    assert.deepEqual(cols('KEEP h*, *').slice(0, 3), ['height', 'hire_date', 'emp_no']);
    assert.match(errorOf(() => emp('FROM employees | KEEP nope')), /Unknown column \[nope\]/);
    assert.match(errorOf(() => emp('FROM employees | KEEP nope*')), /No matches found for pattern \[nope\*\]/);
  });

  it('DROP removes names and patterns', () => {
    assert.deepEqual(emp('FROM employees | DROP h*, still_hired, emp_no | LIMIT 0').columns.map((c) => c.name), ['first_name', 'languages', 'last_name']);
    assert.match(errorOf(() => emp('FROM employees | DROP nope')), /Unknown column \[nope\]/);
  });

  // docs "RENAME": `old AS new`; a column already named `new` is dropped.
  it('RENAME renames in place and replaces a column of the new name', () => {
    const r = emp('FROM employees | KEEP first_name, last_name, still_hired | RENAME still_hired AS employed, first_name AS last_name | LIMIT 1');
    assert.deepEqual(r.columns.map((c) => c.name), ['last_name', 'employed']);
    assert.deepEqual(emp('FROM employees | KEEP emp_no | RENAME n = emp_no | LIMIT 0').columns.map((c) => c.name), ['n'], '9.x `new = old` form');
    assert.match(errorOf(() => emp('FROM employees | RENAME nope AS x')), /Unknown column \[nope\]/);
  });

  // docs "MV_EXPAND": `ROW a=[1,2,3], b="b", j=["a","b"] | MV_EXPAND a`.
  it('MV_EXPAND makes one row per value', () => {
    const r = esql('ROW a=[1,2,3], b="b", j=["a","b"] | MV_EXPAND a');
    assert.deepEqual(r.values, [[1, 'b', ['a', 'b']], [2, 'b', ['a', 'b']], [3, 'b', ['a', 'b']]]);
    assert.deepEqual(esql('ROW a = null, b = 1 | MV_EXPAND a').values, [[null, 1]]);
  });
});

describe('parameters', () => {
  it('binds named and positional parameters with their JSON types', () => {
    const r = esql('ROW a = ?s, b = ?i, c = ?l, d = ?f, e = ?b, f = ?n', { params: [{ s: 'x' }, { i: 3 }, { l: 5_000_000_000 }, { f: 1.5 }, { b: true }, { n: null }] });
    assert.deepEqual(header(r), ['a:keyword', 'b:integer', 'c:long', 'd:double', 'e:boolean', 'f:null']);
    assert.deepEqual(esql('ROW a = ?, b = ?2', { params: ['x', 7] }).values, [['x', 7]]);
  });

  it('never splices a parameter into the query: its text stays a value', () => {
    const r = emp('FROM employees | WHERE first_name == ?name | KEEP emp_no', { params: [{ name: '" OR TRUE OR "' }] });
    assert.equal(r.values.length, 0);
  });

  it('rejects an unknown parameter and a mix of named and positional ones', () => {
    assert.equal(errorOf(() => esql('ROW a = ?missing', { params: [{ other: 1 }] })), 'parsing_exception: line 1:9: Unknown query parameter [missing], did you mean any of [other]?');
    assert.match(errorOf(() => esql('ROW a = ?x', { params: [{ x: 1 }, 2] })), /x_content_parse_exception: Params cannot contain both named and unnamed parameters/);
  });
});

describe('what the evaluator does not implement is an error, never a guess', () => {
  const cases: [string, RegExp][] = [
    ['FROM employees | DISSECT first_name "%{a}"', /local_evaluator_unsupported_exception: line 1:18: the DISSECT command/],
    ['FROM employees | LOOKUP JOIN hosts ON host.name', /local_evaluator_unsupported_exception: .*LOOKUP JOIN/],
    ['FROM employees METADATA _index', /local_evaluator_unsupported_exception: .*METADATA/],
    ['FROM remote:employees', /cross-cluster/],
    ['FROM employees | FOO bar', /parsing_exception: line 1:18: mismatched input 'FOO'/],
    ['sql\nFROM employees', /parsing_exception: line 1:1: mismatched input 'sql' expecting \{'row', 'from'\}/],
    ['FROM employees | WHERE first_name =~ "x"', /parsing_exception: .*=~ operator .*disabled/],
    ['FROM employees | EVAL x = ABSOLUTELY(1)', /verification_exception: Found 1 problem\nline 1:27: Unknown function \[absolutely\]/],
    ['FROM employees | EVAL x = ROUND(height)', /local_evaluator_unsupported_exception: line 1:27: the function ROUND/],
    ['FROM employees | WHERE first_name == 1', /first argument of \[first_name == 1\] is \[keyword\] so second argument must also be \[keyword\] but was \[integer\]/],
    ['FROM employees | EVAL x = emp_no + "a"', /\[\+\] has arguments with incompatible types \[integer\] and \[keyword\]/],
    ['ROW a = 1 day', /ROW does not support type \[date_period\]/],
    ['ROW a = "x" | WHERE a RLIKE "a&b"', /intersection operator & is not implemented/],
    ['ROW a = 1 | EVAL b = 3 fortnights', /parsing_exception: .*Unexpected temporal unit: 'fortnights'/],
    ['ROW a = "x" | EVAL b = "unterminated', /parsing_exception: .*unterminated quoted string/],
    ['ROW a = 1 | SORT a | STATS', /parsing_exception/],
  ];
  for (const [query, expected] of cases) {
    it(query.replace(/\n/g, '\\n'), () => {
      assert.match(errorOf(() => emp(query)), expected);
    });
  }

  it('answers with the body Elasticsearch sends for the error', async () => {
    const { EsqlError } = await import('../functions/local/esql');
    try {
      emp('FROM employees | WHERE nope == 1');
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof EsqlError);
      assert.deepEqual(error.toResponseBody(), {
        error: {
          root_cause: [{ type: 'verification_exception', reason: 'Found 1 problem\nline 1:24: Unknown column [nope]' }],
          type: 'verification_exception',
          reason: 'Found 1 problem\nline 1:24: Unknown column [nope]',
        },
        status: 400,
      });
    }
  });
});

describe('reading documents', () => {
  it('reads nested objects, dotted keys and arrays of objects alike', () => {
    const events = [
      event('logs-endpoint.events.process-default', { process: { parent: { executable: '/a' } } }),
      event('logs-endpoint.events.process-default', { 'process.parent.executable': '/b' }),
      event('logs-endpoint.events.process-default', { process: { 'parent.executable': '/c' } }),
      event('logs-endpoint.events.process-default', { process: [{ parent: { executable: '/d' } }, { parent: { executable: '/e' } }] }),
    ];
    assert.deepEqual(rows(esql('FROM logs-* | KEEP process.parent.executable', { events })).map((r) => r['process.parent.executable']), ['/a', '/b', '/c', ['/d', '/e']]);
  });

  // Elastic Defend maps keywords with ignore_above 1024: a longer value is not in doc values, so ES|QL reads null.
  it('reads a keyword longer than ignore_above as null, but a wildcard command line whole', () => {
    const long = `/tmp/${'a'.repeat(1100)}`;
    const events = [event('logs-endpoint.events.process-default', { process: { executable: long, command_line: long, name: 'a' } })];
    const r = rows(esql('FROM logs-* | KEEP process.executable, process.command_line, process.name, process.executable.text', { events }))[0]!;
    assert.equal(r['process.executable'], null);
    assert.equal(r['process.command_line'], long);
    assert.equal(r['process.executable.text'], long, 'the text multi-field reads _source');
    assert.equal(esql('FROM logs-* | WHERE process.executable IS NULL | KEEP process.name', { events }).values.length, 1);
  });

  it('reads the lowercase-normalized caseless multi-field', () => {
    const events = [event('logs-endpoint.events.process-default', { process: { executable: '/usr/bin/CURL' } })];
    assert.deepEqual(esql('FROM logs-* | KEEP process.executable.caseless', { events }).values, [['/usr/bin/curl']]);
  });

  it('refuses a document Elasticsearch would have rejected', () => {
    const events = [event('logs-endpoint.events.process-default', { '@timestamp': 'yesterday' })];
    assert.throws(() => esql('FROM logs-* | KEEP @timestamp', { events }), /field \[@timestamp\] of type \[date\]: not a date/);
  });
});
