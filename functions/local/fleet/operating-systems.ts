/** The Linux distributions of the generated fleet, with the paths that differ between them. */
export interface OperatingSystem {
  readonly id: string;
  readonly family: 'debian' | 'redhat';
  /** `host.os` as Elastic Defend reports it (without `type`, always "linux"). */
  readonly hostOs: { readonly name: string; readonly version: string; readonly platform: string; readonly family: string; readonly full: string; readonly kernel: string };
  /** Where the distribution installs nm-dispatcher. */
  readonly nmDispatcher: string;
  /** What `/bin/sh` resolves to. */
  readonly sh: string;
  readonly python: string;
  readonly vim: string;
  /** The process that writes package files, as the sensor reports it (dnf runs as python, named dnf). */
  readonly packageWriter: { readonly executable: string; readonly name: string; readonly args: readonly string[] };
}

const debianDpkg = (deb: string) => ({ executable: '/usr/bin/dpkg', name: 'dpkg', args: ['/usr/bin/dpkg', '--status-fd', '63', '--no-triggers', '--unpack', '--auto-deconfigure', deb] });

export const OPERATING_SYSTEMS = {
  ubuntu2204: {
    id: 'ubuntu-22.04',
    family: 'debian',
    hostOs: { name: 'Ubuntu', version: '22.04.5 LTS (Jammy Jellyfish)', platform: 'ubuntu', family: 'debian', full: 'Ubuntu 22.04.5', kernel: '5.15.0-126-generic #136-Ubuntu SMP Wed Nov 6 10:38:22 UTC 2024' },
    nmDispatcher: '/usr/lib/NetworkManager/nm-dispatcher',
    sh: '/usr/bin/dash',
    python: '/usr/bin/python3.10',
    vim: '/usr/bin/vim.basic',
    packageWriter: debianDpkg('/var/cache/apt/archives/network-manager_1.36.6-0ubuntu2.1_amd64.deb'),
  },
  ubuntu2404: {
    id: 'ubuntu-24.04',
    family: 'debian',
    hostOs: { name: 'Ubuntu', version: '24.04.1 LTS (Noble Numbat)', platform: 'ubuntu', family: 'debian', full: 'Ubuntu 24.04.1', kernel: '6.8.0-49-generic #49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024' },
    nmDispatcher: '/usr/lib/NetworkManager/nm-dispatcher',
    sh: '/usr/bin/dash',
    python: '/usr/bin/python3.12',
    vim: '/usr/bin/vim.basic',
    packageWriter: debianDpkg('/var/cache/apt/archives/network-manager_1.46.0-1ubuntu2.2_amd64.deb'),
  },
  debian12: {
    id: 'debian-12',
    family: 'debian',
    hostOs: { name: 'Debian GNU/Linux', version: '12 (bookworm)', platform: 'debian', family: 'debian', full: 'Debian GNU/Linux 12', kernel: '6.1.0-27-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)' },
    nmDispatcher: '/usr/lib/NetworkManager/nm-dispatcher',
    sh: '/usr/bin/dash',
    python: '/usr/bin/python3.11',
    vim: '/usr/bin/vim.basic',
    packageWriter: debianDpkg('/var/cache/apt/archives/network-manager_1.42.4-1_amd64.deb'),
  },
  rhel9: {
    id: 'rhel-9',
    family: 'redhat',
    hostOs: { name: 'Red Hat Enterprise Linux', version: '9.4 (Plow)', platform: 'rhel', family: 'redhat', full: 'Red Hat Enterprise Linux 9.4', kernel: '5.14.0-427.42.1.el9_4.x86_64 #1 SMP PREEMPT_DYNAMIC Fri Oct 18 14:35:40 EDT 2024' },
    nmDispatcher: '/usr/libexec/nm-dispatcher',
    sh: '/usr/bin/bash',
    python: '/usr/bin/python3.9',
    vim: '/usr/bin/vim',
    packageWriter: { executable: '/usr/bin/python3.9', name: 'dnf', args: ['/usr/bin/python3', '/usr/bin/dnf', '-y', 'upgrade', 'chrony'] },
  },
  rocky8: {
    id: 'rocky-8',
    family: 'redhat',
    hostOs: { name: 'Rocky Linux', version: '8.10 (Green Obsidian)', platform: 'rocky', family: 'redhat', full: 'Rocky Linux 8.10', kernel: '4.18.0-553.27.1.el8_10.x86_64 #1 SMP Wed Nov 6 14:29:02 UTC 2024' },
    nmDispatcher: '/usr/libexec/nm-dispatcher',
    sh: '/usr/bin/bash',
    python: '/usr/bin/python3.6',
    vim: '/usr/bin/vim',
    packageWriter: { executable: '/usr/libexec/platform-python', name: 'dnf', args: ['/usr/libexec/platform-python', '/usr/bin/dnf', '-y', 'upgrade', 'chrony'] },
  },
  fedora41: {
    id: 'fedora-41',
    family: 'redhat',
    hostOs: { name: 'Fedora Linux', version: '41 (Workstation Edition)', platform: 'fedora', family: 'redhat', full: 'Fedora Linux 41', kernel: '6.11.8-300.fc41.x86_64 #1 SMP PREEMPT_DYNAMIC Thu Nov 14 20:37:39 UTC 2024' },
    nmDispatcher: '/usr/libexec/nm-dispatcher',
    sh: '/usr/bin/bash',
    python: '/usr/bin/python3.13',
    vim: '/usr/bin/vim',
    // dnf5 is a C++ program linking librpm: it writes package files itself, under its own name.
    packageWriter: { executable: '/usr/bin/dnf5', name: 'dnf5', args: ['dnf5', '-y', 'upgrade', 'chrony'] },
  },
} as const satisfies Record<string, OperatingSystem>;

export type OperatingSystemKey = keyof typeof OPERATING_SYSTEMS;

/** The interpreter executable the kernel runs for a shebang, on this system. */
export function resolveInterpreter(os: OperatingSystem, interpreter: string): string {
  switch (interpreter) {
    case '/bin/sh':
    case '/usr/bin/sh':
      return os.sh;
    case '/bin/bash':
    case '/usr/bin/bash':
    case 'bash':
      return '/usr/bin/bash';
    case '/usr/bin/python3':
    case 'python3':
      return os.python;
    default:
      return interpreter;
  }
}
