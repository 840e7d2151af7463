import { CUSTOM_SCRIPT_VARIANTS, customScript, organisationScripts, stockScripts, type DispatcherScript } from './dispatcher-scripts';
import { openVpnTunnel, macWithVendor, serverNic, usbEthernet, wifi, wireGuard } from './interfaces';
import { OPERATING_SYSTEMS, type OperatingSystem, type OperatingSystemKey } from './operating-systems';
import { Random } from './random';

export type HostKind = 'laptop' | 'server' | 'container-host';

/**
 * How the sensor reports a script started through its shebang. `script`: the exec event's executable is
 * the script and its children's parent executable too. `interpreter`: the executable is the interpreter
 * (/usr/bin/dash, /usr/bin/python3.11) with the script in its arguments, and so is the children's parent.
 */
export type ScriptShape = 'script' | 'interpreter';

export type ConfigManagement = 'ansible' | 'puppet' | 'chef' | 'none';
export type ImageBuilder = 'docker' | 'kaniko' | 'podman' | 'buildah';
export type Editor = 'vim' | 'nano' | 'emacs';

export interface InstalledScript {
  readonly script: DispatcherScript;
  /** When its file was written, as a fraction of the history days; absent: before the window. */
  readonly writtenDuringHistory?: number;
  /** Who deploys it: configuration management rewrites it now and then; custom scripts are written by hand. */
  readonly origin: 'package' | 'organisation' | 'custom';
}

export interface Host {
  readonly index: number;
  readonly name: string;
  readonly kind: HostKind;
  readonly role: string;
  readonly agentId: string;
  readonly os: OperatingSystem;
  readonly shape: ScriptShape;
  readonly scripts: readonly InstalledScript[];
  /** Wi-Fi for laptops, the wired NIC for servers and container hosts. */
  readonly primaryInterface: string;
  /** USB Ethernet adapters a laptop owner plugs in (docks, dongles). */
  readonly usbAdapters: readonly string[];
  readonly vpn: 'openvpn' | 'wireguard' | 'none';
  readonly usesDhcp: boolean;
  readonly configManagement: ConfigManagement;
  readonly editor: Editor;
  readonly builders: readonly ImageBuilder[];
  /** Container hosts whose NetworkManager dispatches docker's veths too (no unmanaged-devices rule for them). */
  readonly dispatchesVeths: boolean;
  /** Laptops whose events reach the cluster days late when they come back from travel. */
  readonly travels: boolean;
  /** Event fields shared by every event of the host (frozen: never mutate an event's source). */
  readonly fields: {
    readonly agent: Readonly<Record<string, unknown>>;
    readonly host: Readonly<Record<string, unknown>>;
    readonly elastic: Readonly<Record<string, unknown>>;
  };
}

const pickOs = (random: Random, choices: readonly (readonly [OperatingSystemKey, number])[]) => OPERATING_SYSTEMS[random.weighted(choices)];
const FIRST_NAMES = ['adam', 'bea', 'chen', 'dana', 'eli', 'fatima', 'goran', 'hana', 'ivan', 'jo', 'kofi', 'lena', 'mia', 'nils', 'omar', 'priya', 'quinn', 'rosa', 'sven', 'tara', 'uma', 'vik', 'wen', 'yusuf', 'zoe'];

/** Host `index` of a fleet: depends only on (seed, index), so a larger fleet extends a smaller one. */
export function createHost(seed: string | number, index: number): Host {
  const random = new Random(seed, 'host', index);
  // The first hosts pin the roles every fleet needs: two VPN gateways and container hosts of each builder.
  const pinned: Record<number, [HostKind, string]> = { 1: ['server', 'vpn-gw'], 2: ['server', 'vpn-gw'], 3: ['container-host', 'ci-runner'], 4: ['container-host', 'ci-runner'] };
  const kind: HostKind = pinned[index]?.[0] ?? random.weighted([['laptop', 50], ['server', 35], ['container-host', 15]] as const);
  const role =
    pinned[index]?.[1] ??
    (kind === 'laptop'
      ? 'laptop'
      : kind === 'server'
        ? random.weighted([['web', 30], ['db', 15], ['app', 30], ['mail', 8], ['vpn-gw', 3], ['file', 14]] as const)
        : random.weighted([['ci-runner', 60], ['k8s-node', 40]] as const));
  const os =
    kind === 'laptop'
      ? pickOs(random, [['ubuntu2204', 40], ['ubuntu2404', 35], ['fedora41', 25]])
      : kind === 'server'
        ? pickOs(random, [['ubuntu2204', 30], ['debian12', 20], ['rhel9', 30], ['rocky8', 20]])
        : pickOs(random, [['ubuntu2204', 50], ['ubuntu2404', 20], ['rhel9', 30]]);
  const serial = String(index).padStart(4, '0');
  const name = kind === 'laptop' ? `lt-${random.pick(FIRST_NAMES)}-${serial}` : `${role}-${serial}`;
  const agentId = random.uuid();
  const primaryInterface = kind === 'laptop' ? wifi(random) : serverNic(random);
  const usbAdapters = kind === 'laptop' ? Array.from({ length: random.weighted([[0, 30], [1, 50], [2, 20]] as const) }, () => usbEthernet(random)) : [];
  const vpn = kind === 'laptop' ? random.weighted([['openvpn', 55], ['wireguard', 25], ['none', 20]] as const) : role === 'vpn-gw' ? 'openvpn' : 'none';
  const context = { hostName: name, os, random };
  const scripts = installScripts(random, kind, role, os, vpn, context);
  const configManagement: ConfigManagement =
    kind === 'laptop' ? random.weighted([['ansible', 30], ['none', 70]] as const) : random.weighted([['ansible', 50], ['puppet', 25], ['chef', 10], ['none', 15]] as const);
  const builders: ImageBuilder[] = kind !== 'container-host' ? [] : index === 3 ? ['kaniko', 'docker'] : index === 4 ? ['podman', 'buildah'] : [random.pick(['docker', 'kaniko', 'podman', 'buildah'] as const)];
  const mac = macWithVendor(random);
  const ip = kind === 'laptop' ? `192.168.${random.int(0, 20)}.${random.int(2, 250)}` : `10.${random.int(0, 40)}.${random.int(0, 255)}.${random.int(2, 250)}`;
  const hostOs = { type: 'linux', ...os.hostOs, Ext: { variant: os.hostOs.name } };
  const fields = deepFreeze({
    agent: { id: agentId, type: 'endpoint', version: '8.17.4' },
    host: { name, hostname: name, id: random.hex(32), architecture: 'x86_64', os: hostOs, ip: [ip], mac: [mac.replace(/:/g, '-').toUpperCase()] },
    elastic: { agent: { id: agentId } },
  });
  return {
    index,
    name,
    kind,
    role,
    agentId,
    os,
    shape: random.chance(0.5) ? 'script' : 'interpreter',
    scripts,
    primaryInterface,
    usbAdapters,
    vpn,
    usesDhcp: kind !== 'server' || random.chance(0.6),
    configManagement,
    editor: random.weighted([['vim', 65], ['nano', 30], ['emacs', 5]] as const),
    builders,
    dispatchesVeths: kind === 'container-host' && random.chance(0.4),
    travels: kind === 'laptop' && random.chance(0.15),
    fields,
  };
}

function installScripts(random: Random, kind: HostKind, role: string, os: OperatingSystem, vpn: string, context: Parameters<typeof customScript>[0]): InstalledScript[] {
  const stock = stockScripts(os);
  const out: InstalledScript[] = [];
  const add = (script: DispatcherScript, origin: InstalledScript['origin'], probability = 1) => {
    if (random.chance(probability)) out.push({ script, origin });
  };
  if (os.family === 'debian') {
    add(stock.ifupdown, 'package');
    add(stock.chronyOnOffline, 'package', 0.6);
    if (kind === 'server') add(stock.chronyDhcp, 'package', 0.5);
    if (kind === 'server') add(stock.dhclient, 'package', 0.4);
    if (kind === 'laptop') add(stock.tlp, 'package', 0.5);
  } else {
    add(stock.chronyDhcp, 'package', 0.8);
    add(stock.chronyOnOffline, 'package', 0.8);
    if (kind !== 'laptop') add(stock.dhclient, 'package', 0.3);
    if (kind === 'server') add(stock.iscsi, 'package', 0.25);
    if (kind === 'server' && random.chance(0.4)) {
      add(stock.cloudSetup, 'package');
      add(stock.cloudSetupPreUp, 'package');
    }
    if (kind === 'server') add(stock.winbind, 'package', 0.05);
    if (kind === 'laptop') add(stock.tlp, 'package', 0.3);
  }
  const org = organisationScripts;
  if (role === 'vpn-gw') add(org.vpnRoutes, 'organisation');
  if (kind === 'laptop') {
    if (vpn === 'openvpn') add(org.corpDns, 'organisation', 0.7);
    add(org.wiredWifiToggle, 'organisation', 0.6);
    add(org.proxyEnv, 'organisation', 0.4);
  } else {
    add(org.ethtool, 'organisation', 0.3);
    add(org.flushCache, 'organisation', 0.2);
  }
  if (random.chance(0.4)) {
    const count = random.chance(0.25) ? 2 : 1;
    const first = random.int(0, CUSTOM_SCRIPT_VARIANTS - 1);
    for (let i = 0; i < count; i++) {
      const script = customScript(context, first + i * 5);
      // Half of them were written within the window (by hand, on a history day), half are older.
      out.push({ script, origin: 'custom', ...(random.chance(0.5) ? { writtenDuringHistory: random.float() * 0.5 } : {}) });
    }
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const vpnInterface = (host: Host, random: Random) => (host.vpn === 'wireguard' ? wireGuard(random) : openVpnTunnel(random));
