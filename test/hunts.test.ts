import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultHuntConfig, parseHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { HUNTS, huntById } from '../functions/core/hunts';
import { DISPATCHER_DIRECTORIES, ROW_CAP, STATS_COLUMNS } from '../functions/core/hunts/hunt-definition';


const seedRule = JSON.parse(readFileSync(new URL('fixtures/seed-rule-exclusions.json', import.meta.url), 'utf8')) as {
  excludedExecutables: string[];
  excludedExecutablePatterns: string[];
  excludedExtensions: string[];
  seedHuntExcludedExtensions: string[];
};

/** String literals of the query lines that start with `| WHERE NOT COALESCE(` and mention `needle`. */
function exclusionLiterals(query: string, needle: string): string[] {
  return query
    .split('\n')
    .filter((line) => line.startsWith('| WHERE NOT COALESCE(') && line.includes(needle))
    .flatMap((line) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string));
}

describe('every hunt definition', () => {
  it('has a unique id, MITRE ids that exist in ATT&CK form, and the seed provenance', () => {
    assert.equal(new Set(HUNTS.map((h) => h.id)).size, HUNTS.length);
    for (const hunt of HUNTS) {
      assert.ok(hunt.techniques.some((t) => t.id === 'T1546'), `${hunt.id} maps to T1546`);
      for (const t of hunt.techniques) assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
      for (const t of hunt.tactics) assert.match(t.id, /^TA\d{4}$/);
      assert.equal(hunt.provenance.huntUuid, '8f3bf096-2f3b-4d38-9925-0eb120323da3');
      assert.ok(hunt.riskScore >= 0 && hunt.riskScore <= 100);
      assert.ok(hunt.provenance.differences.length > 0);
    }
    assert.equal(huntById('dispatcher-script-write')?.provenance.ruleId, '86aa8579-1526-4dff-97cd-3635eb0e0545');
    const allIds = HUNTS.flatMap((h) => [...h.techniques, ...h.tactics].map((m) => m.id));
    for (const id of ['T1546', 'T1543', 'T1574', 'T1059.004', 'TA0003', 'TA0002', 'TA0005']) assert.ok(allIds.includes(id), id);
  });

  it('builds a query that groups by its group columns, returns the stats columns, no samples, and every rare group up to the cap', () => {
    for (const hunt of HUNTS) {
      const { query } = buildHuntRequest(hunt, defaultHuntConfig());
      assert.doesNotMatch(query, /^sql\b/m, 'the seed fence artefact never reaches Elasticsearch');
      assert.doesNotMatch(query, /\{\{|\}\}/);
      assert.ok(query.startsWith(`FROM ${hunt.indexPatterns.join(', ')}\n`));
      assert.ok(query.includes(`  BY ${hunt.groupBy.join(', ')}\n`));
      for (const column of STATS_COLUMNS) assert.match(query, new RegExp(`\\b${column} =`), column);
      assert.doesNotMatch(query, /VALUES\(/, 'VALUES runs for rare groups only');
      assert.match(query, new RegExp(`\\| SORT last_seen DESC[^\\n]*\\n\\| LIMIT ${ROW_CAP}$`));
      for (const dir of DISPATCHER_DIRECTORIES) assert.ok(query.includes(`LIKE "${dir}*"`), `${hunt.id} covers ${dir}`);
      for (const field of hunt.groupBy) assert.ok(hunt.identityFields.includes(field), `${hunt.id}: ${field} is identity`);
      for (const field of hunt.identityFields) assert.ok(hunt.identityNotes[field], `${hunt.id}: ${field} is explained`);
    }
  });

  it('keeps identity apart from context: no interface or action reaches a group column unmasked', () => {
    const run = buildHuntRequest(huntById('dispatcher-script-run')!, defaultHuntConfig()).query;
    const child = buildHuntRequest(huntById('dispatcher-script-child')!, defaultHuntConfig()).query;
    assert.match(run, /direct_command_line = CASE\(script IS NULL, REPLACE\(process\.command_line, \?interface_name_regex, "<interface>"\), NULL\)/);
    assert.match(child, /masked_command_line = REPLACE\(process\.command_line, \?interface_name_regex, "<interface>"\)/);
    assert.doesNotMatch(run + child, /BY[^\n]*process\.command_line/);
  });

  it('never uses a comparison that drops rows with missing fields', () => {
    for (const hunt of HUNTS) {
      const { query } = buildHuntRequest(hunt, defaultHuntConfig());
      assert.doesNotMatch(query, /!=|NOT IN|NOT LIKE|WHERE NOT \(/i, hunt.id);
      for (const line of query.split('\n').filter((l) => /\bNOT\b/.test(l.replace(/IS NOT NULL/g, '')))) {
        assert.match(line, /^\| WHERE NOT COALESCE\(.*, FALSE\)$/, `null-safe exclusion: ${line.slice(0, 60)}`);
      }
    }
  });

  it('passes thresholds as named parameters and the lookback and exclusions as the request filter', () => {
    const config = parseHuntConfig({
      lookbackDays: 7,
      thresholds: { 'dispatcher-script-child': { maxAgentCount: 2, maxEventCount: 9 } },
      exclusions: { 'dispatcher-script-write': ['/opt/ansible/bin/python3', '/opt/salt/*'] },
      extraIndexPatterns: ['endgame-*'],
    });
    const child = buildHuntRequest(huntById('dispatcher-script-child')!, config);
    assert.deepEqual(child.params.filter((p) => 'max_agent_count' in p || 'max_event_count' in p), [{ max_agent_count: 2 }, { max_event_count: 9 }]);
    assert.ok(child.query.startsWith('FROM logs-endpoint.events.process-*, endgame-*\n'));
    const window = { range: { '@timestamp': { gte: 'now-7d' } } };
    assert.deepEqual(child.filter, { bool: { filter: [window] } });
    const write = buildHuntRequest(huntById('dispatcher-script-write')!, config);
    assert.deepEqual(write.params.filter((p) => 'max_agent_count' in p || 'max_event_count' in p), [{ max_agent_count: 3 }]);
    assert.deepEqual(write.filter, {
      bool: {
        filter: [window],
        must_not: [{ terms: { 'process.executable': ['/opt/ansible/bin/python3'] } }, { prefix: { 'process.executable': '/opt/salt/' } }],
      },
    });
    assert.ok(!write.query.includes('/opt/salt'), 'configuration never reaches the query text');
    for (const request of [child, write]) {
      for (const param of request.params.flatMap((p) => Object.keys(p))) assert.ok(request.query.includes(`?${param}`), `${param} is used`);
    }
  });

  it('accepts the earlier id dispatcher-child-process for both hunts it was split into; a new id wins', () => {
    const legacy = parseHuntConfig({ thresholds: { 'dispatcher-child-process': { maxAgentCount: 2, maxEventCount: 9 } }, exclusions: { 'dispatcher-child-process': ['/opt/x'] } });
    for (const id of ['dispatcher-script-run', 'dispatcher-script-child'] as const) {
      assert.deepEqual(legacy.thresholds[id], { maxAgentCount: 2, maxEventCount: 9 });
      assert.deepEqual(legacy.exclusions[id], ['/opt/x']);
    }
    const both = parseHuntConfig({ thresholds: { 'dispatcher-child-process': { maxAgentCount: 2 }, 'dispatcher-script-run': { maxAgentCount: 1 } } });
    assert.equal(both.thresholds['dispatcher-script-run'].maxAgentCount, 1);
    assert.equal(both.thresholds['dispatcher-script-child'].maxAgentCount, 2);
  });

  it('caps maxAgentCount at what an entry keeps, and never trusts writers in writable places', () => {
    assert.throws(() => parseHuntConfig({ thresholds: { 'dispatcher-script-write': { maxAgentCount: 11 } } }), /maxAgentCount.*1 to 10/);
    for (const path of ['/tmp/ansible', '/dev/shm/*', '/var/tmp/x', '/dev/fd/3', '/*', '/proc/self/exe', '/memfd:x']) {
      assert.throws(() => parseHuntConfig({ exclusions: { 'dispatcher-script-write': [path] } }), /never trusted/, path);
    }
  });
});

describe('dispatcher-script-write exclusions', () => {
  const { query } = buildHuntRequest(huntById('dispatcher-script-write')!, defaultHuntConfig());

  it('excludes every writer executable the seed rule excludes', () => {
    const excluded = new Set(exclusionLiterals(query, 'process.executable IN'));
    const prefixes = exclusionLiterals(query, 'LIKE "/nix/store/*"');
    for (const executable of seedRule.excludedExecutables) {
      const covered = excluded.has(executable) || prefixes.some((p) => executable.startsWith(p.slice(0, -1)));
      assert.ok(covered, executable);
    }
  });

  it('excludes every executable pattern and extension of the seed rule and the seed hunt', () => {
    assert.deepEqual(new Set(exclusionLiterals(query, 'LIKE "/nix/store/*"')), new Set(seedRule.excludedExecutablePatterns));
    const extensions = new Set(exclusionLiterals(query, 'file.extension IN'));
    for (const ext of [...seedRule.excludedExtensions, ...seedRule.seedHuntExcludedExtensions]) assert.ok(extensions.has(ext), ext);
    assert.match(query, /process\.name == "sed" AND file\.name LIKE "sed\*"/);
  });

  it('sees both creation and change events', () => {
    assert.match(query, /event\.type IN \("creation", "change"\)/);
  });

  it('trusts the seed hunt process names only for binaries in system directories', () => {
    const line = query.split('\n').find((l) => l.includes('process.name IN'))!;
    assert.match(line, /process\.name IN \("dnf", "yum", "dpkg"\) AND \(process\.executable LIKE "\/bin\/\*"/);
  });
});

describe('the seed rule fixture', () => {
  const seedPath = new URL('../../shared/seeds/rule-networkmanager-dispatcher-script-creation.txt', import.meta.url);
  it('lists what the seed rule text lists', { skip: !existsSafe(seedPath) && 'seed documents not beside the repository' }, () => {
    const text = readFileSync(seedPath, 'utf8');
    for (const executable of seedRule.excludedExecutables) assert.ok(text.includes(`"${executable}"`), executable);
    assert.equal(seedRule.excludedExecutables.length, (text.match(/process\.executable in \(([\s\S]*?)\)\s*or/)![1]!.match(/"/g) ?? []).length / 2);
  });
});

function existsSafe(url: URL): boolean {
  try {
    readFileSync(url);
    return true;
  } catch {
    return false;
  }
}
