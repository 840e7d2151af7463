import type { OperatingSystem } from './operating-systems';
import type { Random } from './random';

/** Actions NetworkManager passes as a script's second argument. */
export type DispatcherAction =
  | 'pre-up'
  | 'up'
  | 'pre-down'
  | 'down'
  | 'vpn-pre-up'
  | 'vpn-up'
  | 'vpn-pre-down'
  | 'vpn-down'
  | 'hostname'
  | 'dhcp4-change'
  | 'dhcp6-change'
  | 'connectivity-change';

/** A program a script starts: one exec, then what it execs in place (`nohup setsid bash …`) and its own children. */
export interface Command {
  readonly executable: string;
  readonly args: readonly string[];
  /** The image this process execs next, keeping its pid and its parent. */
  readonly execs?: Command;
  readonly children?: readonly Command[];
}

export interface Shebang {
  /** As written after `#!`: `/bin/sh`, `/usr/bin/env`… */
  readonly interpreter: string;
  /** `-e` of `#!/bin/sh -e`; `python3` of `#!/usr/bin/env python3`. */
  readonly args?: readonly string[];
}

export interface ScriptContext {
  readonly hostName: string;
  readonly os: OperatingSystem;
  /** Per-host constants a custom script embeds (a route, a server address). */
  readonly random: Random;
}

export interface DispatcherScript {
  readonly path: string;
  readonly shebang: Shebang;
  /** What one invocation starts; interface names appear where real scripts pass them on. */
  readonly run: (iface: string, action: DispatcherAction, atMs: number) => readonly Command[];
  /** Replaces the script's process instead of starting children (`exec payload`). */
  readonly execsInPlace?: (iface: string, action: DispatcherAction) => Command | undefined;
}

export const DISPATCHER_ROOTS = ['/etc/NetworkManager/dispatcher.d', '/usr/lib/NetworkManager/dispatcher.d'] as const;

/** Which invocations reach a script, by the folder it lives in (NetworkManager-dispatcher(8)). */
export function isTriggeredBy(path: string, action: DispatcherAction): boolean {
  if (path.includes('/dispatcher.d/pre-up.d/')) return action === 'pre-up' || action === 'vpn-pre-up';
  if (path.includes('/dispatcher.d/pre-down.d/')) return action === 'pre-down' || action === 'vpn-pre-down';
  return !action.includes('pre-');
}

/** The interface argument: "none" for hostname, empty for connectivity-change. */
export function interfaceArgument(iface: string, action: DispatcherAction): string {
  if (action === 'hostname') return 'none';
  if (action === 'connectivity-change') return '';
  return iface;
}

const cmd = (executable: string, ...args: string[]): Command => ({ executable, args });
const isUp = (a: DispatcherAction) => a === 'up' || a === 'vpn-up';
const isDown = (a: DispatcherAction) => a === 'down' || a === 'vpn-down';
const isTunnel = (iface: string) => /^(tun|wg)\d/.test(iface);
const sh: Shebang = { interpreter: '/bin/sh' };
const bash: Shebang = { interpreter: '/bin/bash' };
const envPython: Shebang = { interpreter: '/usr/bin/env', args: ['python3'] };

/** Scripts that distributions' packages install. */
export const stockScripts = (os: OperatingSystem) => ({
  ifupdown: {
    // network-manager on Debian and Ubuntu: runs ifupdown's hooks for NetworkManager connections.
    path: '/etc/NetworkManager/dispatcher.d/01-ifupdown',
    shebang: { interpreter: '/bin/sh', args: ['-e'] },
    run: (_iface, action) =>
      isUp(action)
        ? [{ ...cmd('/usr/bin/run-parts', 'run-parts', '/etc/network/if-up.d'), children: [cmd('/etc/network/if-up.d/ethtool', '/etc/network/if-up.d/ethtool')] }]
        : isDown(action)
          ? [cmd('/usr/bin/run-parts', 'run-parts', '/etc/network/if-post-down.d')]
          : [],
  },
  chronyOnOffline: {
    path: '/usr/lib/NetworkManager/dispatcher.d/20-chrony-onoffline',
    shebang: sh,
    run: (_iface, action) => (isUp(action) || isDown(action) || action === 'connectivity-change' ? [cmd('/usr/bin/chronyc', 'chronyc', 'onoffline')] : []),
  },
  chronyDhcp: {
    path: '/usr/lib/NetworkManager/dispatcher.d/20-chrony-dhcp',
    shebang: sh,
    run: (_iface, action) => (action === 'up' || action === 'dhcp4-change' || action === 'dhcp6-change' || action === 'down' ? [cmd('/usr/bin/chronyc', 'chronyc', 'reload', 'sources')] : []),
  },
  dhclient: {
    path: '/usr/lib/NetworkManager/dispatcher.d/11-dhclient',
    shebang: bash,
    run: (iface, action) =>
      os.family === 'debian' && (action === 'up' || action === 'dhcp4-change')
        ? [cmd('/usr/bin/run-parts', 'run-parts', `--arg=${iface}`, `--arg=${action}`, '/etc/dhcp/dhclient-exit-hooks.d')]
        : [],
  },
  iscsi: {
    path: '/usr/lib/NetworkManager/dispatcher.d/04-iscsi',
    shebang: sh,
    run: (_iface, action) => (isUp(action) ? [cmd('/usr/bin/systemctl', '/usr/bin/systemctl', '--no-block', 'reload-or-try-restart', 'iscsi.service')] : []),
  },
  cloudSetup: {
    path: '/usr/lib/NetworkManager/dispatcher.d/90-nm-cloud-setup.sh',
    shebang: sh,
    run: (_iface, action) => (action === 'up' || action === 'dhcp4-change' ? [cmd('/usr/bin/systemctl', '/usr/bin/systemctl', '--no-block', 'restart', 'nm-cloud-setup.service')] : []),
  },
  cloudSetupPreUp: {
    path: '/usr/lib/NetworkManager/dispatcher.d/pre-up.d/90-nm-cloud-setup.sh',
    shebang: sh,
    run: () => [cmd('/usr/bin/systemctl', '/usr/bin/systemctl', '--no-block', 'restart', 'nm-cloud-setup.service')],
  },
  winbind: {
    path: '/usr/lib/NetworkManager/dispatcher.d/30-winbind',
    shebang: sh,
    run: (_iface, action) => (isUp(action) ? [cmd('/usr/bin/smbcontrol', 'smbcontrol', 'winbind', 'online')] : isDown(action) ? [cmd('/usr/bin/smbcontrol', 'smbcontrol', 'winbind', 'offline')] : []),
  },
  tlp: {
    path: '/usr/lib/NetworkManager/dispatcher.d/99tlp-rdw-nm',
    shebang: sh,
    run: (_iface, action) => (action === 'up' || action === 'down' ? [cmd('/usr/bin/nmcli', 'nmcli', '-t', '-f', 'TYPE,STATE', 'device')] : []),
  },
}) satisfies Record<string, DispatcherScript>;

/** Scripts the organisation deploys with configuration management to groups of hosts. */
export const organisationScripts = {
  vpnRoutes: {
    path: '/etc/NetworkManager/dispatcher.d/99-vpn-routes',
    shebang: bash,
    run: (iface, action) =>
      isUp(action) && isTunnel(iface)
        ? [cmd('/usr/sbin/ip', 'ip', 'route', 'replace', '10.20.0.0/16', 'dev', iface, 'metric', '50'), cmd('/usr/bin/logger', 'logger', '-t', '99-vpn-routes', 'routes', 'for', iface, 'installed')]
        : [],
  },
  corpDns: {
    path: '/etc/NetworkManager/dispatcher.d/50-corp-dns.py',
    shebang: envPython,
    run: (iface, action) =>
      action === 'vpn-up'
        ? [cmd('/usr/bin/resolvectl', 'resolvectl', 'dns', iface, '10.8.0.53', '10.8.0.54'), cmd('/usr/bin/resolvectl', 'resolvectl', 'domain', iface, '~corp.example.com')]
        : action === 'vpn-down'
          ? [cmd('/usr/bin/resolvectl', 'resolvectl', 'revert', iface)]
          : [],
  },
  wiredWifiToggle: {
    path: '/etc/NetworkManager/dispatcher.d/70-wired-wifi-toggle.sh',
    shebang: bash,
    run: (iface, action) => (/^(enx|eth|enp)/.test(iface) && (action === 'up' || action === 'down') ? [cmd('/usr/bin/nmcli', 'nmcli', 'radio', 'wifi', action === 'up' ? 'off' : 'on')] : []),
  },
  ethtool: {
    path: '/etc/NetworkManager/dispatcher.d/pre-up.d/10-ethtool',
    shebang: sh,
    run: (iface) => (/^(en|eth)/.test(iface) ? [cmd('/usr/sbin/ethtool', 'ethtool', '-K', iface, 'gro', 'off', 'lro', 'off')] : []),
  },
  proxyEnv: {
    path: '/etc/NetworkManager/dispatcher.d/no-wait.d/90-proxy-pac',
    shebang: sh,
    run: (_iface, action) => (isUp(action) || isDown(action) || action === 'connectivity-change' ? [cmd('/usr/bin/systemctl', 'systemctl', 'try-restart', 'corp-proxy-pac.service')] : []),
  },
  flushCache: {
    path: '/etc/NetworkManager/dispatcher.d/pre-down.d/10-flush-dns',
    shebang: sh,
    run: () => [cmd('/usr/bin/resolvectl', 'resolvectl', 'flush-caches')],
  },
} satisfies Record<string, DispatcherScript>;

/**
 * One host's own script, written by an administrator for that host: the long tail of rare, benign rows.
 * Children depend only on the interface and on up/down, which every host sees before any replay night.
 */
export function customScript(context: ScriptContext, variant: number): DispatcherScript {
  const { hostName, random } = context;
  const octet = () => random.int(2, 254);
  // Administrators pick their own priority prefix, so the same idea lands at different paths.
  const prio = String(random.int(10, 98));
  const templates: (() => DispatcherScript)[] = [
    () => {
      const net = `172.${random.int(16, 31)}.${octet()}.0/24`;
      const via = `10.${octet()}.${octet()}.1`;
      return {
        path: `/etc/NetworkManager/dispatcher.d/99-${hostName}-routes`,
        shebang: bash,
        run: (iface, action) => (action === 'up' ? [cmd('/usr/sbin/ip', 'ip', 'route', 'add', net, 'via', via, 'dev', iface)] : []),
      };
    },
    () => {
      const mtu = String(random.pick([1380, 1400, 1420, 1450]));
      return { path: `/etc/NetworkManager/dispatcher.d/${prio}-mtu-fix`, shebang: sh, run: (iface, action) => (action === 'up' ? [cmd('/usr/sbin/ip', 'ip', 'link', 'set', 'dev', iface, 'mtu', mtu)] : []) };
    },
    () => ({ path: `/etc/NetworkManager/dispatcher.d/${prio}-nfs-remount`, shebang: sh, run: (_i, action) => (action === 'up' ? [cmd('/usr/bin/mount', 'mount', '-a', '-t', 'nfs4')] : []) }),
    () => {
      const zone = `${hostName}.dyn.example.net`;
      return {
        path: `/etc/NetworkManager/dispatcher.d/${prio}-dyndns`,
        shebang: sh,
        run: (_i, action) => (action === 'up' ? [cmd('/usr/bin/curl', 'curl', '-fsS', '-m', '10', `https://dyn.example.net/nic/update?hostname=${zone}`)] : []),
      };
    },
    () => ({ path: `/etc/NetworkManager/dispatcher.d/${prio}-wol`, shebang: sh, run: (iface, action) => (action === 'up' ? [cmd('/usr/sbin/ethtool', 'ethtool', '-s', iface, 'wol', 'g')] : []) }),
    () => ({
      path: `/etc/NetworkManager/dispatcher.d/pre-up.d/${prio}-iptables-restore`,
      shebang: sh,
      run: () => [cmd('/usr/sbin/iptables-restore', 'iptables-restore', '-n', '/etc/iptables/rules.v4')],
    }),
    () => ({
      path: `/etc/NetworkManager/dispatcher.d/${prio}-disable-ipv6`,
      shebang: sh,
      run: (iface, action) => (action === 'up' ? [cmd('/usr/sbin/sysctl', 'sysctl', '-q', '-w', `net.ipv6.conf.${iface}.disable_ipv6=1`)] : []),
    }),
    () => ({
      path: `/etc/NetworkManager/dispatcher.d/${prio}-timesync-kick`,
      shebang: bash,
      run: (_i, action) => (action === 'up' ? [cmd('/usr/bin/systemctl', 'systemctl', 'restart', 'systemd-timesyncd.service')] : []),
    }),
    () => {
      const share = `//files${random.int(1, 9)}.corp.example.com/${random.pick(['home', 'projects', 'scans'])}`;
      return {
        path: `/etc/NetworkManager/dispatcher.d/${prio}-mount-shares.py`,
        shebang: envPython,
        run: (_i, action) => (action === 'up' ? [cmd('/usr/bin/mount', 'mount', '-t', 'cifs', share, '/mnt/share', '-o', 'credentials=/root/.smbcred')] : action === 'down' ? [cmd('/usr/bin/umount', 'umount', '-l', '/mnt/share')] : []),
      };
    },
    () => ({
      path: `/etc/NetworkManager/dispatcher.d/${prio}-log-link`,
      shebang: sh,
      run: (iface, action) => (action === 'up' || action === 'down' ? [cmd('/usr/bin/logger', 'logger', '-p', 'daemon.info', '-t', 'nm-link', `link ${iface}`)] : []),
    }),
    () => {
      const ip = `10.${octet()}.${octet()}.${octet()}`;
      return {
        path: `/usr/lib/NetworkManager/dispatcher.d/50-${hostName}-arp`,
        shebang: bash,
        run: (iface, action) => (action === 'up' ? [cmd('/usr/sbin/arping', 'arping', '-c', '2', '-U', '-I', iface, ip)] : []),
      };
    },
    () => ({
      path: `/etc/NetworkManager/dispatcher.d/no-wait.d/${prio}-restart-vpnagent`,
      shebang: bash,
      run: (_i, action) => (action === 'up' ? [cmd('/usr/bin/systemctl', 'systemctl', 'restart', 'vpnagentd.service')] : []),
    }),
  ];
  return templates[variant % templates.length]!();
}

export const CUSTOM_SCRIPT_VARIANTS = 12;
