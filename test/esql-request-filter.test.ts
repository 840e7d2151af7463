import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorOf, esql, event, NOW, rows } from './support/esql';

/*
 * The `filter` of a `_query` request is Query DSL (docs: "ES|QL query API", request body `filter`;
 * query semantics from docs/reference/query-languages/query-dsl/*). It selects documents before
 * the query runs, on indexed values, and never with three-valued logic.
 */
const INDEX = 'logs-endpoint.events.process-default';
const day = 86_400_000;
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const events = [
  event(INDEX, { '@timestamp': at(1 * day), event: { id: 'recent' }, process: { executable: '/usr/bin/curl', name: 'curl' }, host: { name: 'a' } }),
  event(INDEX, { '@timestamp': at(29 * day), event: { id: 'edge' }, process: { executable: '/opt/puppetlabs/bin/puppet', name: 'puppet' }, host: { name: ['a', 'b'] } }),
  event(INDEX, { '@timestamp': at(31 * day), event: { id: 'old' }, process: { executable: '/usr/bin/dpkg', name: 'dpkg' } }),
  event(INDEX, { '@timestamp': at(2 * day), event: { id: 'no-process' } }),
  event(INDEX, { '@timestamp': at(3 * day), event: { id: 'long' }, process: { executable: `/tmp/${'x'.repeat(1100)}`, name: 'LongOne' } }),
];
const ids = (filter: unknown) => rows(esql('FROM logs-* | KEEP event.id | SORT event.id | LIMIT 100', { events, filter })).map((r) => r['event.id']);

describe('request filter', () => {
  // docs "Date math": now-30d; range gte/gt/lte/lt, with rounding for /d.
  it('range on @timestamp with date math selects the lookback window', () => {
    assert.deepEqual(ids({ range: { '@timestamp': { gte: 'now-30d' } } }), ['edge', 'long', 'no-process', 'recent']);
    assert.deepEqual(ids({ range: { '@timestamp': { lt: 'now-30d' } } }), ['old']);
    assert.deepEqual(ids({ range: { '@timestamp': { gt: 'now-2d/d', lte: 'now' } } }), ['recent'], 'gt rounds up to the end of the day');
    assert.deepEqual(ids({ range: { '@timestamp': { gte: at(29 * day), lte: at(1 * day) } } }), ['edge', 'long', 'no-process', 'recent']);
    assert.deepEqual(ids({ range: { '@timestamp': { gte: NOW - 2 * day } } }), ['no-process', 'recent'], 'epoch milliseconds, bound included');
  });

  it('bool filter/must/must_not/should with minimum_should_match', () => {
    const recent = { range: { '@timestamp': { gte: 'now-30d' } } };
    assert.deepEqual(ids({ bool: { filter: [recent], must_not: [{ terms: { 'process.executable': ['/usr/bin/curl'] } }] } }), ['edge', 'long', 'no-process']);
    assert.deepEqual(ids({ bool: { must: recent, must_not: { prefix: { 'process.executable': '/opt/puppetlabs/' } } } }), ['long', 'no-process', 'recent'], 'single clauses need no array');
    assert.deepEqual(ids({ bool: { should: [{ term: { 'process.name': 'curl' } }, { term: { 'process.name': 'dpkg' } }] } }), ['old', 'recent'], 'should alone needs one match');
    assert.deepEqual(ids({ bool: { filter: [recent], should: [{ term: { 'process.name': 'curl' } }] } }), ['edge', 'long', 'no-process', 'recent'], 'should beside a filter is optional');
    assert.deepEqual(ids({ bool: { filter: [recent], should: [{ term: { 'process.name': 'curl' } }], minimum_should_match: 1 } }), ['recent']);
    assert.deepEqual(ids({ bool: {} }), ['edge', 'long', 'no-process', 'old', 'recent']);
  });

  // docs "Boolean query": must_not excludes matching documents; a missing field matches no term, so the document stays.
  it('must_not keeps documents without the field, unlike ES|QL NOT', () => {
    assert.ok(ids({ bool: { must_not: [{ term: { 'process.name': 'curl' } }] } }).includes('no-process'));
    assert.deepEqual(rows(esql('FROM logs-* | WHERE NOT process.name == "curl" | KEEP event.id | SORT event.id', { events })).map((r) => r['event.id']), ['edge', 'long', 'old'], 'the query language drops it');
  });

  it('term, terms, prefix, wildcard and exists match indexed values: a keyword over ignore_above is not indexed', () => {
    assert.deepEqual(ids({ term: { 'process.name': 'curl' } }), ['recent']);
    assert.deepEqual(ids({ term: { 'process.name': { value: 'CURL', case_insensitive: true } } }), ['recent']);
    assert.deepEqual(ids({ term: { 'host.name': 'b' } }), ['edge'], 'any value of a multi-valued field');
    assert.deepEqual(ids({ terms: { 'process.name': ['curl', 'dpkg'] } }), ['old', 'recent']);
    assert.deepEqual(ids({ wildcard: { 'process.executable': { value: '/usr/bin/*p?g' } } }), ['old']);
    assert.deepEqual(ids({ exists: { field: 'process.executable' } }), ['edge', 'old', 'recent'], 'the 1,100-character path is not indexed');
    assert.deepEqual(ids({ prefix: { 'process.executable': '/tmp/' } }), []);
    assert.deepEqual(ids({ term: { 'process.name.caseless': 'LONGONE' } }), ['long'], 'the normalizer applies to the term too');
    assert.deepEqual(ids({ term: { 'no.such.field': 'x' } }), [], 'an unmapped field matches nothing');
    assert.deepEqual(ids({ match_all: {} }).length, 5);
    assert.deepEqual(ids({ match_none: {} }), []);
  });

  it('rejects queries it does not implement, and unknown ones as Elasticsearch does', () => {
    assert.match(errorOf(() => ids({ match: { 'process.name': 'curl' } })), /local_evaluator_unsupported_exception: .*\[match\] query/);
    assert.match(errorOf(() => ids({ bogus: {} })), /parsing_exception: unknown query \[bogus\]/);
    assert.match(errorOf(() => ids({ range: { '@timestamp': { gte: 'now-30d', time_zone: 'Europe/Paris' } } })), /time_zone other than UTC/);
    assert.match(errorOf(() => ids({ range: { '@timestamp': { gte: 'last month' } } })), /parsing_exception: failed to parse date field \[last month\]/);
    assert.match(errorOf(() => ids({ bool: { filter: [], minimum_should_match: '50%' } })), /minimum_should_match/);
  });
});
