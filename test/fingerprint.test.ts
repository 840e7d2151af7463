import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINGERPRINT_PATTERN, fingerprintOf } from '../functions/core/finding';
import { huntById } from '../functions/core/hunts';

const write = huntById('dispatcher-script-write')!;
const child = huntById('dispatcher-child-process')!;

describe('fingerprints', () => {
  it('are stable across runs and machines (pinned value)', () => {
    const fp = fingerprintOf(write, { 'file.path': '/etc/NetworkManager/dispatcher.d/99-x', 'process.executable': '/usr/bin/bash' });
    assert.match(fp, FINGERPRINT_PATTERN);
    // Changing the canonical encoding would re-alert every baseline entry: this value must never change.
    assert.equal(fp, '5a0965996a1189c15761d2d904dae9f8a5bf7f4d07a031f0d345ac417ffa6801');
    assert.equal(fp, fingerprintOf(write, { 'process.executable': '/usr/bin/bash', 'file.path': '/etc/NetworkManager/dispatcher.d/99-x' }));
  });

  it('cannot collide by moving text between fields', () => {
    const a = fingerprintOf(write, { 'file.path': '/etc/a', 'process.executable': 'b/c' });
    const b = fingerprintOf(write, { 'file.path': '/etc/ab', 'process.executable': '/c' });
    const c = fingerprintOf(write, { 'file.path': '/etc/a","b', 'process.executable': 'c' });
    assert.equal(new Set([a, b, c]).size, 3);
  });

  it('keeps a missing value distinct from the text "null" and from an empty string', () => {
    const values = [null, 'null', ''].map((v) => fingerprintOf(write, { 'file.path': '/etc/x', 'process.executable': v }));
    assert.equal(new Set(values).size, 3);
  });

  it('differs between hunts for the same values', () => {
    const identity = { 'file.path': '/x', 'process.parent.executable': '/x', 'process.executable': '/y', 'process.command_line': null };
    assert.notEqual(fingerprintOf(write, identity), fingerprintOf(child, identity));
  });

  it('hashes megabyte-long and non-ASCII values to the same 64 hex digits', () => {
    const long = `/etc/NetworkManager/dispatcher.d/${'é🙂\u202e'.repeat(300_000)}`;
    const fp = fingerprintOf(write, { 'file.path': long, 'process.executable': '\ud800lone' });
    assert.match(fp, FINGERPRINT_PATTERN);
    assert.notEqual(fp, fingerprintOf(write, { 'file.path': long, 'process.executable': '\udc00lone' }));
  });
});
