import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { BaselineEntry } from '../functions/core/baseline';

const text = readFileSync(new URL('fixtures/baseline-v1.jsonl', import.meta.url), 'utf8');

describe('the baseline written by the first release (test/fixtures/baseline-v1.jsonl)', () => {
  // As the previous release wrote it: its two hunts, v1 fingerprints, no digests (see test/baseline-migration.test.ts).
  const entries = text.trim().split('\n').map((line) => JSON.parse(line) as BaselineEntry);

  it('holds learned, alerted, approved and pending entries of every hunt of that release, with their triage fields', () => {
    for (const huntId of ['dispatcher-child-process', 'dispatcher-script-write']) {
      const statuses = new Set(entries.filter((e) => e.huntId === huntId).map((e) => e.status));
      assert.deepEqual([...statuses].sort(), ['alerted', 'approved', 'learned', 'pending'], huntId);
    }
    assert.ok(entries.filter((e) => e.status === 'alerted').every((e) => e.alertMessageId && e.alertedAt));
    assert.ok(entries.filter((e) => e.status === 'approved').every((e) => e.note && e.approvedBy && e.approvedAt));
    assert.ok(entries.some((e) => e.status === 'approved' && e.alertMessageId), 'an approved entry that was alerted before');
  });
});
