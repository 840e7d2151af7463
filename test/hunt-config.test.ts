import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../functions/core/errors';
import { defaultHuntConfig, parseHuntConfig } from '../functions/core/hunt-config';

describe('hunt configuration', () => {
  it('defaults to 30 days, the seed thresholds, no exclusions, no extra index patterns and every hunt enabled', () => {
    assert.deepEqual(defaultHuntConfig(), {
      lookbackDays: 30,
      thresholds: {
        'dispatcher-script-run': { maxAgentCount: 3, maxEventCount: 15 },
        'dispatcher-script-child': { maxAgentCount: 3, maxEventCount: 15 },
        'dispatcher-script-write': { maxAgentCount: 3 },
      },
      exclusions: { 'dispatcher-script-run': [], 'dispatcher-script-child': [], 'dispatcher-script-write': [] },
      extraIndexPatterns: [],
      disabledHunts: [],
    });
  });

  const invalid: [string, unknown, string][] = [
    ['a non-object', [], 'huntConfig'],
    ['an unknown key', { lookback: 3 }, 'lookback'],
    ['a fractional lookback', { lookbackDays: 1.5 }, 'lookbackDays'],
    ['a lookback over a year', { lookbackDays: 400 }, 'lookbackDays'],
    ['an unknown hunt', { thresholds: { 'dispatcher-typo': {} } }, 'thresholds.dispatcher-typo'],
    ['a zero threshold', { thresholds: { 'dispatcher-script-write': { maxAgentCount: 0 } } }, 'thresholds.dispatcher-script-write.maxAgentCount'],
    ['a relative exclusion', { exclusions: { 'dispatcher-script-write': ['bin/evil'] } }, 'exclusions.dispatcher-script-write[0]'],
    ['an exclusion with a newline', { exclusions: { 'dispatcher-script-write': ['/bin/x\n| LIMIT 0'] } }, 'exclusions.dispatcher-script-write[0]'],
    ['an index pattern that would inject ES|QL', { extraIndexPatterns: ['endgame-* | LIMIT 0'] }, 'extraIndexPatterns[0]'],
    ['an index pattern with a quote', { extraIndexPatterns: ['"x"'] }, 'extraIndexPatterns[0]'],
    ['a threshold the hunt does not use', { thresholds: { 'dispatcher-script-write': { maxEventCount: 5 } } }, 'thresholds.dispatcher-script-write.maxEventCount'],
    ['disabling an unknown hunt', { disabledHunts: ['dispatcher-script-writes'] }, 'disabledHunts[0]'],
    ['an exclusion anyone can write to', { exclusions: { 'dispatcher-child-process': ['/opt/ok', '/dev/shm/*'] } }, 'exclusions.dispatcher-child-process[1]'],
    ['more agents than an entry keeps', { thresholds: { 'dispatcher-script-write': { maxAgentCount: 11 } } }, 'thresholds.dispatcher-script-write.maxAgentCount'],
  ];
  for (const [name, input, field] of invalid) {
    it(`rejects ${name}, naming ${field}`, () => {
      assert.throws(() => parseHuntConfig(input), (e: unknown) => e instanceof ConfigurationError && e.field === field);
    });
  }
});
