import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBaselineJsonLines } from '../functions/core/baseline-jsonl';
import { HUNT_IDS } from '../functions/core/hunts';

const text = readFileSync(new URL('fixtures/baseline-v1.jsonl', import.meta.url), 'utf8');

describe('the baseline written by the first release (test/fixtures/baseline-v1.jsonl)', () => {
  it('is accepted by the import parser as it is', () => {
    assert.equal(parseBaselineJsonLines(text).length, text.trim().split('\n').length);
  });

  it('holds learned, alerted, approved and pending entries of every hunt, with their triage fields', () => {
    const entries = parseBaselineJsonLines(text);
    for (const huntId of HUNT_IDS) {
      const statuses = new Set(entries.filter((e) => e.huntId === huntId).map((e) => e.status));
      assert.deepEqual([...statuses].sort(), ['alerted', 'approved', 'learned', 'pending'], huntId);
    }
    assert.ok(entries.filter((e) => e.status === 'alerted').every((e) => e.alertMessageId && e.alertedAt));
    assert.ok(entries.filter((e) => e.status === 'approved').every((e) => e.note && e.approvedBy && e.approvedAt));
    assert.ok(entries.some((e) => e.status === 'approved' && e.alertMessageId), 'an approved entry that was alerted before');
  });
});
