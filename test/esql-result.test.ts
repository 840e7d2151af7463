import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MalformedResponseError } from '../functions/core/errors';
import { parseHuntResponse } from '../functions/core/esql-result';
import { huntById } from '../functions/core/hunts';
import { CHILD_COLUMNS, WRITE_COLUMNS, childRow, responseFor, writeRow } from './support/rows';

const child = huntById('dispatcher-child-process')!;
const write = huntById('dispatcher-script-write')!;

describe('parsing a _query response', () => {
  it('reads cells by column name whatever the column order', () => {
    const a = parseHuntResponse(child, responseFor(CHILD_COLUMNS, [childRow()]));
    const b = parseHuntResponse(child, responseFor([...CHILD_COLUMNS].reverse(), [childRow()]));
    assert.deepEqual(a, b);
    const [finding] = a.findings;
    assert.equal(finding!.identity['process.executable'], '/usr/bin/curl');
    assert.equal(finding!.eventCount, 2);
    assert.deepEqual(finding!.hostNames, ['web-01'], 'a single VALUES() value arrives as a scalar');
  });

  it('accepts multi-valued cells and nulls, including a missing identity field', () => {
    const rows = parseHuntResponse(write, responseFor(WRITE_COLUMNS, [writeRow({ host_names: ['a', null, 'b'], agent_ids: null, 'process.executable': null })]));
    const [finding] = rows.findings;
    assert.deepEqual(finding!.hostNames, ['a', 'b']);
    assert.deepEqual(finding!.agentIds, []);
    assert.equal(finding!.identity['process.executable'], null);
    assert.equal(rows.truncated, false);
  });

  it('reports truncation when the hunt returns exactly its row limit', () => {
    const rows = Array.from({ length: write.rowLimit }, (_, i) => writeRow({ 'file.path': `/etc/NetworkManager/dispatcher.d/${i}` }));
    const parsed = parseHuntResponse(write, responseFor(WRITE_COLUMNS, rows));
    assert.equal(parsed.truncated, true);
    assert.equal(new Set(parsed.findings.map((f) => f.fingerprint)).size, write.rowLimit);
  });

  it('treats an answer without columns as no data from this source', () => {
    assert.deepEqual(parseHuntResponse(write, { took: 1, is_partial: false, columns: [], values: [] }), {
      findings: [], truncated: false, partial: false, noData: true, tookMs: 1,
    });
  });

  it('carries is_partial through', () => {
    assert.equal(parseHuntResponse(write, responseFor(WRITE_COLUMNS, [writeRow()], { is_partial: true })).partial, true);
  });

  it('rejects malformed answers with a message naming what is wrong', () => {
    assert.throws(() => parseHuntResponse(write, 'nope'), MalformedResponseError);
    assert.throws(() => parseHuntResponse(write, { columns: [] }), /lacks "columns" or "values"/);
    assert.throws(() => parseHuntResponse(write, responseFor(WRITE_COLUMNS.slice(1), [writeRow()])), /lacks columns event_count/);
    assert.throws(() => parseHuntResponse(write, responseFor(WRITE_COLUMNS, [writeRow({ event_count: 'many' })])), /row 0 column event_count is not a count/);
    assert.throws(() => parseHuntResponse(write, responseFor(WRITE_COLUMNS, [writeRow({ last_seen: 'yesterday' })])), /not an ISO-8601 UTC timestamp/);
    assert.throws(() => parseHuntResponse(write, { columns: [{ name: 'x', type: 'keyword' }], values: [[1, 2]] }), MalformedResponseError);
  });
});
