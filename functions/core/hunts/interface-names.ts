/**
 * Network interface names, recognised by the naming schemes of the Linux kernel and of systemd's
 * predictable interface names (systemd.net-naming-scheme(7)), plus the names container runtimes,
 * VPNs and libvirt give their devices. NetworkManager passes the interface to every dispatcher
 * script, so a script's children mention it; masking it keeps `dev tun0` and `dev tun1` one child.
 *
 * Each pattern is written in the regular-expression syntax Java (Elasticsearch's REPLACE) and
 * JavaScript read the same way: no inline flags, no `\s`, no possessive quantifiers, fixed-width
 * lookbehind only. Names are case-sensitive, as the kernel's are.
 */
export interface InterfaceNameScheme {
  readonly scheme: string;
  /** Regular expression source for one name (no anchors, no boundaries). */
  readonly pattern: string;
  /** Names of this scheme, each masked in every context the tests try. */
  readonly examples: readonly string[];
}

/** Optional systemd suffixes of PCI names: function, device port, physical port name, USB port chain, configuration, interface. */
const PCI_SUFFIX = '(?:f\\d+)?(?:d\\d+)?(?:n[a-z]?\\d+)?(?:u\\d+)*(?:c\\d+)?(?:i\\d+)?';
const MAC = '[0-9a-f]{12}';

export const INTERFACE_NAME_SCHEMES: readonly InterfaceNameScheme[] = [
  { scheme: 'kernel Ethernet ethN', pattern: 'eth\\d+', examples: ['eth0', 'eth1', 'eth17'] },
  { scheme: 'systemd onboard enoN, wloN, wwoN', pattern: '(?:en|wl|ww)o\\d+(?:d\\d+)?(?:n[a-z]?\\d+)?', examples: ['eno1', 'eno16777736', 'wlo1', 'eno1d1'] },
  { scheme: 'systemd hotplug slot ensN, wlsN', pattern: '(?:en|wl|ww)s\\d+' + PCI_SUFFIX, examples: ['ens3', 'ens160', 'ens1f0', 'ens2f1d1', 'ens1np0'] },
  { scheme: 'systemd PCI path enpXsY, wlpXsY, wwpXsY', pattern: '(?:en|wl|ww)p\\d+s\\d+' + PCI_SUFFIX, examples: ['enp0s3', 'enp3s0f1', 'wlp2s0', 'wlp0s20f3', 'wwp0s20f0u6i12', 'enp0s20f0u2', 'enp65s0f0np0'] },
  { scheme: 'systemd PCI path with domain enPXpYsZ', pattern: '(?:en|wl|ww)P\\d+p\\d+s\\d+' + PCI_SUFFIX, examples: ['enP1p0s3', 'enP4p65s0f1'] },
  { scheme: 'systemd MAC address enx, wlx, wwx', pattern: `(?:en|wl|ww)x${MAC}`, examples: ['enx00e04c68a1b2', 'wlx74da38f0c1d2'] },
  { scheme: 'kernel Wi-Fi wlanN', pattern: 'wlan\\d+', examples: ['wlan0', 'wlan1'] },
  { scheme: 'kernel mobile broadband wwanN', pattern: 'wwan\\d+', examples: ['wwan0'] },
  { scheme: 'TUN and TAP devices (OpenVPN and others) tunN, tapN', pattern: '(?:tun|tap)\\d+', examples: ['tun0', 'tun7', 'tap3'] },
  { scheme: 'WireGuard wgN', pattern: 'wg\\d+', examples: ['wg0', 'wg3'] },
  { scheme: 'PPP pppN', pattern: 'ppp\\d+', examples: ['ppp0'] },
  { scheme: 'Docker network bridge br-<12 hex>', pattern: `br-${MAC}`, examples: ['br-3f9a0c1d2e4b'] },
  { scheme: 'Docker and CNI veth pair veth<hex>', pattern: 'veth[0-9a-f]{4,16}', examples: ['vethc0ffee1', 'veth1a2b3c4', 'veth0a1b2c3d'] },
  { scheme: 'Docker default bridge dockerN', pattern: 'docker\\d+', examples: ['docker0'] },
  { scheme: 'libvirt bridge virbrN, virbrN-nic', pattern: 'virbr\\d+(?:-nic)?', examples: ['virbr0', 'virbr1-nic'] },
  { scheme: 'libvirt guest tap vnetN', pattern: 'vnet\\d+', examples: ['vnet0', 'vnet12'] },
];

/**
 * A name is masked only as a whole token: preceded by the start, blank space, a quote, `=`, `,`,
 * `;`, `(` or `%` (an IPv6 scope, `fe80::1%eth0`), and followed by the end, blank space, a quote,
 * `,`, `;`, `)`, `:` or `@` (`veth1a2b3c4@if5`). A VLAN suffix (`eth0.100`) belongs to the name.
 * So `/dev/tun0`, `/sys/class/net/eth0/address`, `eth0.example.com` and `http://tun0/` are never masked.
 */
const BLANK = ' \\t\\n\\r\\f\\x0B';
const BEFORE = `(?<![^${BLANK}"'=,;(%])`;
const AFTER = `(?![^${BLANK}"',;):@])`;

export const INTERFACE_MASK = '<interface>';

/** The regular expression that matches every interface name as a token (source, for REPLACE and for RegExp). */
export const INTERFACE_NAME_REGEX = `${BEFORE}(?:${INTERFACE_NAME_SCHEMES.map((s) => s.pattern).join('|')})(?:\\.\\d{1,4})?${AFTER}`;

const compiled = new RegExp(INTERFACE_NAME_REGEX, 'g');

/** What the query's `REPLACE(command_line, ?interface_name_regex, "<interface>")` computes. */
export function maskInterfaceNames(text: string): string {
  return text.replace(compiled, INTERFACE_MASK);
}
