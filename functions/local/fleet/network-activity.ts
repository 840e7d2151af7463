import type { DispatcherAction } from './dispatcher-scripts';
import { vpnInterface, type Host } from './hosts';
import { dockerBridge, usbEthernet, veth } from './interfaces';
import { Random } from './random';
import { DAY_MS, HOUR_MS, churnDays, type Schedule } from './schedule';

/** One dispatcher invocation round: nm-dispatcher runs every script the action reaches. */
export interface Burst {
  readonly atMs: number;
  readonly iface: string;
  readonly action: DispatcherAction;
}

export interface HostDay {
  readonly seed: string | number;
  readonly host: Host;
  readonly day: number;
  readonly startMs: number;
  readonly schedule: Schedule;
}

const MINUTE = 60_000;
/** A time of day to the millisecond: whole minutes plus a random part of one. */
const minutes = (random: Random, from: number, to: number) => random.int(from, to) * MINUTE + random.int(0, MINUTE - 1);

/** The network changes of one host on one day, in time order. */
export function networkBursts(hostDay: HostDay, random: Random): Burst[] {
  const { host } = hostDay;
  const bursts = host.kind === 'laptop' ? laptopDay(hostDay, random) : host.kind === 'server' ? serverDay(hostDay, random) : containerHostDay(hostDay, random);
  const end = hostDay.startMs + DAY_MS;
  return bursts.filter((b) => b.atMs < end).sort((a, b) => a.atMs - b.atMs);
}

const weekday = (startMs: number) => {
  const d = new Date(startMs + 10 * HOUR_MS).getUTCDay();
  return d !== 0 && d !== 6;
};

/** A laptop on a dock rollout day may get a new USB Ethernet adapter, and keeps using it. */
export function dockAdapter(hostDay: HostDay): string | undefined {
  let adapter: string | undefined;
  for (const day of churnDays(hostDay.schedule, 'new-interfaces')) {
    if (day <= hostDay.day && new Random(hostDay.seed, 'dock', hostDay.host.index, day).chance(0.3)) adapter = usbEthernet(new Random(hostDay.seed, 'dock-adapter', hostDay.host.index, day));
  }
  return adapter;
}

/** Servers that joined the site-to-site VPN on a new-actions day (and stay on it). */
export function joinedVpn(hostDay: HostDay): boolean {
  if (hostDay.host.role === 'vpn-gw') return false;
  return churnDays(hostDay.schedule, 'new-actions').some((day) => day <= hostDay.day && new Random(hostDay.seed, 'vpn-join', hostDay.host.index, day).chance(0.2));
}

function laptopDay(hostDay: HostDay, random: Random): Burst[] {
  const { host, startMs } = hostDay;
  if (!random.chance(weekday(startMs) ? 0.92 : 0.3)) return [];
  const out: Burst[] = [];
  const dock = dockAdapter(hostDay);
  const adapters = dock ? [dock] : host.usbAdapters;
  const sessions = Math.min(3, 1 + random.poisson(0.6));
  for (let s = 0; s < sessions; s++) {
    let t = startMs + minutes(random, 4 * 60, 17 * 60);
    const step = () => (t += random.int(1, 90) * 1_000);
    const wlan = host.primaryInterface;
    out.push({ atMs: t, iface: wlan, action: 'pre-up' }, { atMs: step(), iface: wlan, action: 'up' }, { atMs: step(), iface: '', action: 'connectivity-change' });
    const docked = adapters.length > 0 && random.chance(0.5) ? random.pick(adapters) : undefined;
    if (docked) out.push({ atMs: step(), iface: docked, action: 'pre-up' }, { atMs: step(), iface: docked, action: 'up' }, { atMs: step(), iface: wlan, action: 'down' });
    const tunnel = host.vpn !== 'none' && random.chance(0.6) ? vpnInterface(host, random) : undefined;
    if (tunnel && host.vpn === 'openvpn') out.push({ atMs: step(), iface: tunnel, action: 'vpn-pre-up' }, { atMs: step(), iface: tunnel, action: 'vpn-up' });
    if (tunnel && host.vpn === 'wireguard') out.push({ atMs: step(), iface: tunnel, action: 'pre-up' }, { atMs: step(), iface: tunnel, action: 'up' });
    for (let r = random.poisson(0.8); r > 0; r--) out.push({ atMs: (t += minutes(random, 20, 90)), iface: docked ?? wlan, action: 'dhcp4-change' });
    t += minutes(random, 30, 300);
    if (tunnel && host.vpn === 'openvpn') out.push({ atMs: step(), iface: tunnel, action: 'vpn-pre-down' }, { atMs: step(), iface: tunnel, action: 'vpn-down' });
    if (tunnel && host.vpn === 'wireguard') out.push({ atMs: step(), iface: tunnel, action: 'pre-down' }, { atMs: step(), iface: tunnel, action: 'down' });
    if (docked) out.push({ atMs: step(), iface: docked, action: 'pre-down' }, { atMs: step(), iface: docked, action: 'down' });
    else out.push({ atMs: step(), iface: wlan, action: 'pre-down' }, { atMs: step(), iface: wlan, action: 'down' });
    out.push({ atMs: step(), iface: '', action: 'connectivity-change' });
  }
  if (random.chance(0.03)) out.push({ atMs: startMs + random.int(5, 20) * HOUR_MS, iface: 'none', action: 'hostname' });
  return out;
}

/**
 * Every server and container host reboots once for patches during the history, so each of its scripts
 * has run (down and up) before any replay night.
 */
export function patchRebootDay(hostDay: HostDay): number {
  // After every custom script is written (the first half of the history), before the replay.
  const h = hostDay.schedule.historyDays;
  return new Random(hostDay.seed, 'patch-reboot', hostDay.host.index).int(Math.min(h - 1, Math.ceil(h * 0.55)), Math.max(0, Math.floor(h * 0.85) - 1));
}

/** A clean reboot: the interface goes down, then up again, and the hostname is set. */
function reboot(atMs: number, nic: string, random: Random): Burst[] {
  let t = atMs;
  const out: Burst[] = [{ atMs: t, iface: nic, action: 'pre-down' }, { atMs: (t += 1_000), iface: nic, action: 'down' }, { atMs: (t += 1_000), iface: '', action: 'connectivity-change' }];
  t += random.int(40, 180) * 1_000;
  out.push({ atMs: t, iface: nic, action: 'pre-up' }, { atMs: (t += 2_000), iface: nic, action: 'up' }, { atMs: (t += 3_000), iface: '', action: 'connectivity-change' });
  if (random.chance(0.5)) out.push({ atMs: t + 4_000, iface: 'none', action: 'hostname' });
  return out;
}

function serverDay(hostDay: HostDay, random: Random): Burst[] {
  const { host, startMs } = hostDay;
  const out: Burst[] = [];
  const nic = host.primaryInterface;
  const at = () => startMs + minutes(random, 0, 24 * 60 - 1);
  if (host.usesDhcp) for (let r = random.int(1, 3); r > 0; r--) out.push({ atMs: at(), iface: nic, action: 'dhcp4-change' });
  if (random.chance(1 / 20) || hostDay.day === patchRebootDay(hostDay)) out.push(...reboot(at(), nic, random));
  if (host.role === 'vpn-gw') {
    for (let r = random.int(2, 5); r > 0; r--) {
      const tunnel = vpnInterface(host, random);
      const t = at();
      out.push({ atMs: t, iface: tunnel, action: 'vpn-up' }, { atMs: t + minutes(random, 5, 180), iface: tunnel, action: 'vpn-down' });
    }
  }
  if (joinedVpn(hostDay)) {
    const t = at();
    out.push({ atMs: t, iface: 'tun0', action: 'vpn-up' }, { atMs: t + minutes(random, 30, 240), iface: 'tun0', action: 'vpn-down' });
  }
  return out;
}

function containerHostDay(hostDay: HostDay, random: Random): Burst[] {
  const { host, startMs } = hostDay;
  const out: Burst[] = [];
  const at = () => startMs + minutes(random, 0, 24 * 60 - 1);
  if (host.usesDhcp) for (let r = random.int(1, 2); r > 0; r--) out.push({ atMs: at(), iface: host.primaryInterface, action: 'dhcp4-change' });
  if (random.chance(1 / 25) || hostDay.day === patchRebootDay(hostDay)) out.push(...reboot(at(), host.primaryInterface, random), { atMs: at(), iface: 'docker0', action: 'up' });
  const jobs = host.role === 'ci-runner' ? random.int(weekday(startMs) ? 3 : 0, weekday(startMs) ? 10 : 2) : random.int(1, 5);
  for (let j = 0; j < jobs; j++) {
    let t = at();
    // Docker's bridges are externally managed devices: NetworkManager dispatches their up and down.
    const bridge = random.chance(0.5) ? dockerBridge(random) : undefined;
    if (bridge) out.push({ atMs: t, iface: bridge, action: 'up' });
    let last = t;
    // Veths reach the dispatcher only where NetworkManager's rule marking them unmanaged is missing.
    if (host.dispatchesVeths) {
      const pair = veth(random);
      out.push({ atMs: (t += random.int(1, 20) * 1_000), iface: pair, action: 'up' });
      last = t + minutes(random, 1, 40);
      out.push({ atMs: last, iface: pair, action: 'down' });
    }
    if (bridge) out.push({ atMs: last + random.int(2, 600) * 1_000, iface: bridge, action: 'down' });
  }
  return out;
}
