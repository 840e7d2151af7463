import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { huntById } from '../functions/core/hunts';
import { keeps, type Doc } from './support/hunt-evaluation';

const writeQuery = buildHuntRequest(huntById('dispatcher-script-write')!, defaultHuntConfig());
const childQuery = buildHuntRequest(huntById('dispatcher-child-process')!, defaultHuntConfig());
const seedRule = JSON.parse(readFileSync(new URL('fixtures/seed-rule-exclusions.json', import.meta.url), 'utf8')) as { excludedExecutables: string[] };

const write = (over: Record<string, string | undefined>): Doc => ({
  'host.os.type': 'linux',
  'event.type': 'creation',
  'file.path': '/etc/NetworkManager/dispatcher.d/99-evil',
  'file.name': '99-evil',
  'process.name': 'bash',
  'process.executable': '/usr/bin/bash',
  ...over,
});

describe('dispatcher-script-write, evaluated whole by the local ES|QL evaluator', () => {
  it('keeps extensionless scripts and events with missing fields', () => {
    assert.equal(keeps(writeQuery, write({})), true, 'extensionless script');
    assert.equal(keeps(writeQuery, write({ 'process.executable': undefined, 'process.name': undefined })), true, 'no process fields');
    assert.equal(keeps(writeQuery, write({ 'file.name': undefined })), true, 'no file.name');
    assert.equal(keeps(writeQuery, write({ 'file.extension': 'sh', 'file.path': '/etc/NetworkManager/dispatcher.d/evil.sh' })), true);
  });

  it('covers both dispatcher trees and their subfolders, creation and change', () => {
    for (const path of ['/usr/lib/NetworkManager/dispatcher.d/50-x', '/etc/NetworkManager/dispatcher.d/pre-up.d/x', '/usr/lib/NetworkManager/dispatcher.d/no-wait.d/x', '/etc/NetworkManager/dispatcher.d/pre-down.d/x']) {
      assert.equal(keeps(writeQuery, write({ 'file.path': path })), true, path);
    }
    assert.equal(keeps(writeQuery, write({ 'event.type': 'change' })), true);
    assert.equal(keeps(writeQuery, write({ 'event.type': 'deletion' })), false);
    assert.equal(keeps(writeQuery, write({ 'host.os.type': 'windows' })), false);
    assert.equal(keeps(writeQuery, write({ 'file.path': '/etc/NetworkManager/conf.d/x' })), false);
  });

  it("drops every legitimate writer of the seed rule, and nothing an attacker chooses by name alone", () => {
    for (const executable of seedRule.excludedExecutables.filter((e) => !e.includes('*'))) {
      assert.equal(keeps(writeQuery, write({ 'process.executable': executable })), false, executable);
    }
    for (const executable of ['/nix/store/abc-ansible/bin/python3', '/var/lib/dpkg/info/nm.postinst', '/tmp/vmis.123/install', '/snap/core/1/usr/bin/x', '/dev/fd/3', '/usr/lib/virtualbox/VBoxManage']) {
      assert.equal(keeps(writeQuery, write({ 'process.executable': executable })), false, executable);
    }
    assert.equal(keeps(writeQuery, write({ 'process.name': 'dpkg', 'process.executable': '/usr/sbin/dpkg' })), false, 'dpkg in a system directory');
    assert.equal(keeps(writeQuery, write({ 'process.name': 'dpkg', 'process.executable': '/tmp/dpkg' })), true, 'a binary named dpkg in /tmp');
  });

  it("drops editors' swap files and sed's temporary files, not sed's final write", () => {
    for (const extension of ['swp', 'swpx', 'swx', 'dpkg-remove', 'dpkg-new']) {
      assert.equal(keeps(writeQuery, write({ 'file.extension': extension })), false, extension);
    }
    assert.equal(keeps(writeQuery, write({ 'process.name': 'sed', 'process.executable': '/usr/bin/sed', 'file.name': 'sedAbC123' })), false);
    assert.equal(keeps(writeQuery, write({ 'process.name': 'sed', 'process.executable': '/usr/bin/sed', 'file.name': 'panix-dispatcher.sh' })), true);
  });

  const seedPath = new URL('../../shared/seeds/hunt-persistence-via-networkmanager-dispatcher-script.md', import.meta.url);
  it('fixes what the seed query gets wrong: it drops every extensionless script', { skip: !existsSync(seedPath) && 'seed documents not beside the repository' }, () => {
    const seedQuery = [...readFileSync(seedPath, 'utf8').matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!)[1]!;
    const seedDoc = write({ 'event.type': 'creation' });
    // The seed's stray `sql` line is a Markdown artefact, not ES|QL (product brief).
    const seedWhere = { query: seedQuery.replace(/^sql\n/, '') };
    assert.equal(keeps(seedWhere, { ...seedDoc, 'file.extension': 'sh' }), true, 'the seed keeps a script with an extension');
    assert.equal(keeps(seedWhere, seedDoc), false, 'the seed loses the extensionless script');
    assert.equal(keeps(writeQuery, seedDoc), true, 'this hunt keeps it');
  });
});

describe('dispatcher-child-process, evaluated whole by the local ES|QL evaluator', () => {
  const child = (over: Record<string, string | undefined>): Doc => ({
    'host.os.type': 'linux',
    'event.type': 'start',
    'event.action': 'exec',
    'process.parent.name': 'panix-dispatcher.sh',
    'process.parent.executable': '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh',
    ...over,
  });

  it('keeps children of nm-dispatcher and of scripts in either tree, even when one parent field is missing', () => {
    assert.equal(keeps(childQuery, child({})), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.name': undefined })), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.executable': '/usr/lib/NetworkManager/dispatcher.d/11-dhclient' })), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.name': 'nm-dispatcher', 'process.parent.executable': undefined })), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.name': 'bash', 'process.parent.executable': '/usr/bin/bash' })), false);
    assert.equal(keeps(childQuery, child({ 'event.action': 'fork' })), false);
  });
});
