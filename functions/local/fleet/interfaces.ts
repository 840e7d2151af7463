import type { Random } from './random';

/**
 * Interface names as the kernel and systemd name them. They vary per host and, for USB adapters,
 * tunnels, bridges and veths, per night: context for a dispatcher script, never its identity.
 */

/** USB Ethernet adapters are named after their MAC address. */
export const usbEthernet = (random: Random) => `enx${macWithVendor(random).replace(/:/g, '')}`;

export const macWithVendor = (random: Random) => {
  const vendor = random.pick(['00:e0:4c', '8c:ae:4c', 'f4:4d:ad', 'a0:ce:c8', '00:24:9b', '3c:18:a0']);
  const rest = random.hex(6);
  return `${vendor}:${rest.slice(0, 2)}:${rest.slice(2, 4)}:${rest.slice(4, 6)}`;
};

export const wifi = (random: Random) => random.pick(['wlp0s20f3', 'wlp2s0', 'wlp3s0', 'wlp1s0', 'wlo1']);

export const serverNic = (random: Random) => random.pick(['ens5', 'eth0', 'enp3s0', 'ens192', 'eno1', 'enp1s0f0']);

/** OpenVPN picks the first free tunN: usually tun0, tun1 while a stale tunnel lingers. */
export const openVpnTunnel = (random: Random) => `tun${random.weighted([[0, 80], [1, 15], [2, 5]] as const)}`;

export const wireGuard = (random: Random) => `wg${random.weighted([[0, 90], [1, 10]] as const)}`;

/** Docker names veths `veth` + 7 hex digits and user-defined networks `br-` + 12 hex digits. */
export const veth = (random: Random) => `veth${random.hex(7)}`;
export const dockerBridge = (random: Random) => `br-${random.hex(12)}`;
