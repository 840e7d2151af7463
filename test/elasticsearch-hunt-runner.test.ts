import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPATIBILITY_MEDIA_TYPE, ElasticsearchHuntRunner, createElasticsearchClient } from '../functions/adapters/elasticsearch-hunt-runner';
import { HuntQueryError } from '../functions/core/errors';
import { defaultHuntConfig, parseHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { huntById } from '../functions/core/hunts';
import { startElasticsearchStandIn, verificationException, type ElasticsearchStandIn, type StandInReply } from '../functions/local/elasticsearch-stand-in';
import { CHILD_COLUMNS, WRITE_COLUMNS, WRITE_SAMPLE_COLUMNS, childRow, responseFor, writeRow, writeSamples } from './support/rows';

const API_KEY = 'dGVzdDprZXk=';
const child = huntById('dispatcher-script-child')!;
const CHILD_SAMPLE_COLUMNS = [...CHILD_COLUMNS, 'host_names', 'agent_ids', 'command_lines'];
const write = huntById('dispatcher-script-write')!;
const noWait = { retryContext: { sleep: async () => {} } };

async function withStandIn(major: 8 | 9, replies: StandInReply[] | ((i: number) => StandInReply), test: (es: ElasticsearchStandIn) => Promise<void>) {
  let i = 0;
  const es = await startElasticsearchStandIn({
    majorVersion: major,
    respond: () => (typeof replies === 'function' ? replies(i++) : (replies[Math.min(i++, replies.length - 1)] as StandInReply)),
  });
  try {
    await test(es);
  } finally {
    await es.close();
  }
}

const runner = (url: string, config = defaultHuntConfig(), timeoutMs = 5_000, maxResponseBytes?: number) =>
  new ElasticsearchHuntRunner(createElasticsearchClient({ node: url, apiKey: API_KEY }, timeoutMs, maxResponseBytes), config, noWait);

for (const major of [8, 9] as const) {
  describe(`the real client against an Elasticsearch ${major}.x stand-in`, () => {
    it('sends POST /_query with the API key, compatibility headers, query, params and filter', async () => {
      const config = parseHuntConfig({ lookbackDays: 14, exclusions: { 'dispatcher-script-write': ['/opt/chef/*'] } });
      await withStandIn(major, [{ status: 200, body: responseFor([...WRITE_COLUMNS].reverse(), [writeRow()]) }, { status: 200, body: responseFor(WRITE_SAMPLE_COLUMNS, [writeSamples()]) }], async (es) => {
        const rows = await runner(es.url, config).run(write);
        assert.equal(rows.findings.length, 1);
        assert.equal(es.requests.length, 2, 'rare groups, then their samples');
        const [request] = es.requests;
        assert.equal(request!.method, 'POST');
        assert.match(request!.path, /^\/_query\?format=json$/);
        assert.equal(request!.headers.authorization, `ApiKey ${API_KEY}`);
        assert.equal(request!.headers.accept, COMPATIBILITY_MEDIA_TYPE);
        assert.equal(request!.headers['content-type'], COMPATIBILITY_MEDIA_TYPE);
        const expected = buildHuntRequest(write, config);
        assert.deepEqual(request!.body, { query: expected.query, params: expected.params, filter: expected.filter, columnar: false });
      });
    });

    it('parses both phases with reordered columns, arrays and nulls', async () => {
      await withStandIn(major, (i) => ({
        status: 200,
        body: [
          responseFor([...CHILD_COLUMNS].reverse(), [childRow({ masked_command_line: null })]),
          responseFor([...CHILD_SAMPLE_COLUMNS].reverse(), [{ ...childRow({ masked_command_line: null }), host_names: ['a', 'b'], agent_ids: 'x' }]),
          responseFor(WRITE_COLUMNS, [writeRow({ 'process.executable': null })]),
          responseFor(WRITE_SAMPLE_COLUMNS, [writeSamples({ 'process.executable': null })]),
        ][i],
      }), async (es) => {
        const r = runner(es.url);
        const childRows = await r.run(child);
        const writeRows = await r.run(write);
        assert.deepEqual(childRows.findings[0]!.hostNames, ['a', 'b']);
        assert.equal(childRows.findings[0]!.identity.masked_command_line, null);
        assert.equal(writeRows.findings[0]!.identity['process.executable'], null);
      });
    });

    it('surfaces every Warning header of every answer', async () => {
      const warning = '299 Elasticsearch-8.15.0-1a2b3c "Line 3:9: evaluation of [process.parent.name == \\"nm-dispatcher\\"] failed, treating result as null. Only first 20 failures recorded."';
      const second = '299 Elasticsearch-8.15.0-1a2b3c "Line 3:9: java.lang.IllegalArgumentException: single-value function encountered multi-value"';
      await withStandIn(major, (i) => (i === 0 ? { status: 200, body: responseFor(CHILD_COLUMNS, [childRow()]), headers: { warning: [warning, second] } } : { status: 200, body: responseFor(CHILD_SAMPLE_COLUMNS, []), headers: { warning } }), async (es) => {
        const rows = await runner(es.url).run(child);
        assert.deepEqual(rows.warnings, [
          'Line 3:9: evaluation of [process.parent.name == "nm-dispatcher"] failed, treating result as null. Only first 20 failures recorded.',
          'Line 3:9: java.lang.IllegalArgumentException: single-value function encountered multi-value',
        ]);
      });
    });
  });
}

describe('REST compatibility', () => {
  it('an 8.x server rejects what a stock v9 client announces, so the runner declares compatible-with=8', async () => {
    await withStandIn(8, [{ status: 200, body: {} }], async (es) => {
      const response = await fetch(`${es.url}/_query`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.elasticsearch+json; compatible-with=9', accept: 'application/vnd.elasticsearch+json; compatible-with=9' },
        body: '{}',
      });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /media_type_header_exception/);
    });
  });
});

describe('Elasticsearch failures', () => {
  it('retries 429 and 503 and then succeeds', async () => {
    await withStandIn(9, [{ status: 429, body: { error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } }, { status: 503, body: {} }, { status: 200, body: responseFor(WRITE_COLUMNS, [writeRow()]) }, { status: 200, body: responseFor(WRITE_SAMPLE_COLUMNS, [writeSamples()]) }], async (es) => {
      const rows = await runner(es.url).run(write);
      assert.equal(rows.findings.length, 1);
      assert.equal(es.requests.length, 4);
    });
  });

  it('fails a hunt whose answer is too large to hold, loudly, instead of dropping rows', async () => {
    const huge = responseFor(WRITE_COLUMNS, Array.from({ length: 200 }, (_, i) => writeRow({ 'file.path': `/etc/NetworkManager/dispatcher.d/${i}-${'x'.repeat(1_000)}` })));
    await withStandIn(9, [{ status: 200, body: huge }], async (es) => {
      await assert.rejects(runner(es.url, defaultHuntConfig(), 5_000, 64 * 1024).run(write), (e: unknown) => e instanceof HuntQueryError && /larger than .* holds in memory.*rather than drop rows/.test(e.message) && !e.retryable);
    });
  });

  it('says which credentials problem a 401 or 403 is, without retrying', async () => {
    await withStandIn(9, [{ status: 401, body: { error: { type: 'security_exception', reason: 'unable to authenticate with provided credentials' } } }], async (es) => {
      await assert.rejects(runner(es.url).run(write), (e: unknown) => e instanceof HuntQueryError && /401.*wrong, expired or revoked/.test(e.message) && !e.message.includes(API_KEY));
      assert.equal(es.requests.length, 1);
    });
    await withStandIn(9, [{ status: 403, body: { error: { type: 'security_exception', reason: 'action [indices:data/read/esql] is unauthorized for API key id [x]' } } }], async (es) => {
      await assert.rejects(runner(es.url).run(write), /403.*"read" and "view_index_metadata" index privileges on logs-endpoint\.events\.file-\*.*indices:data\/read\/esql/);
    });
  });

  it('treats an unknown index as no data, and an unknown field as a failed hunt', async () => {
    await withStandIn(8, [{ status: 400, body: verificationException('Found 1 problem\nline 1:6: Unknown index [endgame-*]') }], async (es) => {
      assert.equal((await runner(es.url).run(write)).noData, true);
    });
    await withStandIn(8, [{ status: 400, body: verificationException('Found 1 problem\nline 3:3: Unknown column [file.extension]') }], async (es) => {
      await assert.rejects(runner(es.url).run(write), /ES\|QL rejected the hunt .*Unknown column \[file\.extension\]/s);
    });
  });

  it('switches to the async ES|QL API when a hunt outlasts the request timeout, polls, and deletes the result', async () => {
    const running = { id: 'FmNJRUZ1YWZCU3dHY1BIOUhaenVSRkEaaXFlZ3h4c1RTWFNocDdnY2FSaERnUTozNDE=', is_running: true, columns: [], values: [] };
    await withStandIn(9, (i) => {
      if (i === 0) return { status: 200, body: responseFor(WRITE_COLUMNS, []), delayMs: 3_000 }; // the sync query outlasts the timeout
      if (i === 1) return { status: 200, body: running };
      if (i === 2) return { status: 200, body: running };
      if (i === 3) return { status: 200, body: { ...responseFor(WRITE_COLUMNS, [writeRow()]), id: running.id, is_running: false } };
      if (i === 4) return { status: 200, body: { acknowledged: true } };
      return { status: 200, body: responseFor(WRITE_SAMPLE_COLUMNS, [writeSamples()]) };
    }, async (es) => {
      const r = new ElasticsearchHuntRunner(createElasticsearchClient({ node: es.url, apiKey: API_KEY }, 100), defaultHuntConfig(), { asyncWait: '1s', retryContext: { sleep: async () => {} } });
      const rows = await r.run(write);
      assert.equal(rows.findings.length, 1);
      const calls = es.requests.map((q) => `${q.method} ${decodeURIComponent(q.path.split('?')[0]!)}`);
      assert.deepEqual(calls, ['POST /_query', 'POST /_query/async', `GET /_query/async/${running.id}`, `GET /_query/async/${running.id}`, `DELETE /_query/async/${running.id}`, 'POST /_query']);
      const submitted = es.requests[1]!.body;
      assert.equal(submitted.query, es.requests[0]!.body.query);
      assert.equal(submitted.wait_for_completion_timeout, '1s');
      assert.equal(submitted.keep_on_completion, true);
    });
  });

  it('stops polling at the deadline with a clear message, and still deletes the async result', async () => {
    const running = { id: 'abc123', is_running: true, columns: [], values: [] };
    await withStandIn(9, (i) => (i === 0 ? { status: 200, body: {}, delayMs: 3_000 } : { status: 200, body: running }), async (es) => {
      let clock = 0;
      const r = new ElasticsearchHuntRunner(createElasticsearchClient({ node: es.url, apiKey: API_KEY }, 100), defaultHuntConfig(), {
        asyncWait: '1s',
        retryContext: { deadline: 3, now: () => clock++, sleep: async () => {} },
      });
      await assert.rejects(r.run(write), /did not finish within the run's time budget \(async ES\|QL query abc123\)/);
      assert.equal(es.requests.at(-1)!.method, 'DELETE');
    });
  });
});
