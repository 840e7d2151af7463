import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultHuntConfig, parseHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { HUNTS, huntById } from '../functions/core/hunts';
import { DISPATCHER_DIRECTORIES, STATS_COLUMNS } from '../functions/core/hunts/hunt-definition';

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

  it('builds a query that groups by its identity fields, returns the stats columns and keeps its LIMIT', () => {
    for (const hunt of HUNTS) {
      const { query } = buildHuntRequest(hunt, defaultHuntConfig());
      assert.doesNotMatch(query, /^sql\b/m, 'the seed fence artefact never reaches Elasticsearch');
      assert.doesNotMatch(query, /\{\{|\}\}/);
      assert.ok(query.startsWith(`FROM ${hunt.indexPatterns.join(', ')}\n`));
      assert.match(query, new RegExp(`BY ${hunt.identityFields.join(', ').replaceAll('.', '\\.')}\\n`));
      for (const column of STATS_COLUMNS) assert.match(query, new RegExp(`\\b${column} =`), column);
      assert.match(query, new RegExp(`\\| LIMIT ${hunt.rowLimit}$`));
      for (const dir of DISPATCHER_DIRECTORIES) assert.ok(query.includes(`LIKE "${dir}*"`), `${hunt.id} covers ${dir}`);
    }
  });

  it('never uses a comparison that drops rows with missing fields', () => {
    for (const hunt of HUNTS) {
      const { query } = buildHuntRequest(hunt, defaultHuntConfig());
      assert.doesNotMatch(query, /!=|NOT IN|NOT LIKE|WHERE NOT \(/i, hunt.id);
      for (const line of query.split('\n').filter((l) => /\bNOT\b/.test(l))) {
        assert.match(line, /^\| WHERE NOT COALESCE\(.*, FALSE\)$/, `null-safe exclusion: ${line.slice(0, 60)}`);
      }
    }
  });

  it('passes thresholds as named parameters and the lookback and exclusions as the request filter', () => {
    const config = parseHuntConfig({
      lookbackDays: 7,
      thresholds: { 'dispatcher-child-process': { maxAgentCount: 2, maxEventCount: 9 } },
      exclusions: { 'dispatcher-script-write': ['/opt/ansible/bin/python3', '/opt/salt/*'] },
      extraIndexPatterns: ['endgame-*'],
    });
    const child = buildHuntRequest(huntById('dispatcher-child-process')!, config);
    assert.deepEqual(child.params, [{ max_agent_count: 2 }, { max_event_count: 9 }]);
    assert.ok(child.query.startsWith('FROM logs-endpoint.events.process-*, endgame-*\n'));
    assert.deepEqual(child.filter, { bool: { filter: [{ range: { '@timestamp': { gte: 'now-7d' } } }] } });
    const write = buildHuntRequest(huntById('dispatcher-script-write')!, config);
    assert.deepEqual(write.params, [{ max_agent_count: 3 }]);
    assert.deepEqual(write.filter, {
      bool: {
        filter: [{ range: { '@timestamp': { gte: 'now-7d' } } }],
        must_not: [{ terms: { 'process.executable': ['/opt/ansible/bin/python3'] } }, { prefix: { 'process.executable': '/opt/salt/' } }],
      },
    });
    assert.ok(!write.query.includes('/opt/salt'), 'configuration never reaches the query text');
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
