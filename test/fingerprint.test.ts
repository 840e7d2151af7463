import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryFromFinding } from '../functions/core/baseline';
import { entryToJsonLine, parseBaselineJsonLines } from '../functions/core/baseline-jsonl';
import { FINGERPRINT_PATTERN, fingerprintFromDigests, fingerprintOf, identityDigestsOf } from '../functions/core/finding';
import { huntById } from '../functions/core/hunts';
import { childFinding } from './support/harness';

const write = huntById('dispatcher-script-write')!;
const child = huntById('dispatcher-script-child')!;
const run = huntById('dispatcher-script-run')!;
const pair = (path: string, writer: string | null) => ({ 'file.path': path, 'process.executable': writer, agent: 'agent-1', 'file.hash.sha256': null });

describe('fingerprints (v2)', () => {
  it('are stable across runs and machines (pinned value)', () => {
    const fp = fingerprintOf(write, pair('/etc/NetworkManager/dispatcher.d/99-x', '/usr/bin/bash'));
    assert.match(fp, FINGERPRINT_PATTERN);
    // Changing the canonical encoding would re-alert every baseline entry: this value must never change.
    assert.equal(fp, '647e527c951309922cfc2b24ac41c0d90497cb837a9ce8f19a1edabda01c3c8c');
    assert.equal(fp, fingerprintOf(write, { 'process.executable': '/usr/bin/bash', agent: 'agent-1', 'file.path': '/etc/NetworkManager/dispatcher.d/99-x', 'file.hash.sha256': null }));
  });

  it('are a hash of the version, the hunt and one digest per field, so an entry can prove its fingerprint', () => {
    const identity = pair('/etc/NetworkManager/dispatcher.d/99-x', '/usr/bin/bash');
    const digests = identityDigestsOf(write, identity);
    assert.equal(digests.length, write.identityFields.length);
    assert.equal(digests[3], null, 'a null value has no digest');
    assert.equal(fingerprintFromDigests(write.id, digests), fingerprintOf(write, identity));
  });

  it('cannot collide by moving text between fields', () => {
    const a = fingerprintOf(write, pair('/etc/a', 'b/c'));
    const b = fingerprintOf(write, pair('/etc/ab', '/c'));
    const c = fingerprintOf(write, pair('/etc/a","b', 'c'));
    assert.equal(new Set([a, b, c]).size, 3);
  });

  it('keeps a missing value distinct from the text "null" and from an empty string', () => {
    const values = [null, 'null', ''].map((v) => fingerprintOf(write, pair('/etc/x', v)));
    assert.equal(new Set(values).size, 3);
  });

  it('differs between hunts for the same values', () => {
    const identity = { script: '/x', parent_script: '/x', 'process.executable': '/y', masked_command_line: null, direct_executable: null, direct_command_line: null };
    assert.equal(new Set([fingerprintOf(child, identity), fingerprintOf(run, identity)]).size, 2);
  });

  it('hashes megabyte-long and non-ASCII values, lone surrogates kept apart, to 64 hex digits', () => {
    const long = `/etc/NetworkManager/dispatcher.d/${'é🙂\u202e'.repeat(300_000)}`;
    const fp = fingerprintOf(write, pair(long, '\ud800lone'));
    assert.match(fp, FINGERPRINT_PATTERN);
    assert.notEqual(fp, fingerprintOf(write, pair(long, '\udc00lone')));
  });

  it('stay provable from an entry whose display copies were cut, and expose a forged identity on import', () => {
    const long = childFinding('/etc/NetworkManager/dispatcher.d/50-x', '/usr/bin/curl', `curl ${'A'.repeat(10_000)}`);
    const entry = entryFromFinding(child, long, 'learned', '2026-11-25T02:00:00.000Z');
    assert.equal(entry.identityTruncated, true);
    const line = (e: object) => entryToJsonLine(e as typeof entry);
    assert.equal(parseBaselineJsonLines(line(entry), { allowCutIdentities: true })[0]!.fingerprint, long.fingerprint, 'the digests prove the fingerprint of the full values');
    const forged = { ...entry, identity: { ...entry.identity, 'process.executable': '/usr/bin/true' } };
    assert.throws(() => parseBaselineJsonLines(line(forged), { allowCutIdentities: true }), /identity field "process\.executable" does not match its digest/);
    assert.throws(() => parseBaselineJsonLines(line({ ...entry, fingerprint: 'f'.repeat(64) }), { allowCutIdentities: true }), /fingerprint does not match/);
    assert.throws(() => parseBaselineJsonLines(line({ ...entry, identityDigests: entry.identityDigests.map(() => 'a'.repeat(64)) }), { allowCutIdentities: true }), /fingerprint does not match/);
  });
});
