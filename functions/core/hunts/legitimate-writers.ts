/**
 * Writers the Elastic rule "NetworkManager Dispatcher Script Creation"
 * (86aa8579-1526-4dff-97cd-3635eb0e0545) treats as legitimate, deduplicated.
 * The rule lists some entries twice and `/dev/fd/*` among exact paths; the
 * wildcard lives in EXCLUDED_WRITER_PREFIXES instead.
 */
export const EXCLUDED_WRITER_EXECUTABLES = [
  '/bin/dpkg', '/usr/bin/dpkg', '/bin/dockerd', '/usr/bin/dockerd', '/usr/sbin/dockerd', '/bin/microdnf',
  '/usr/bin/microdnf', '/bin/rpm', '/usr/bin/rpm', '/bin/snapd', '/usr/bin/snapd', '/bin/yum', '/usr/bin/yum',
  '/bin/dnf', '/usr/bin/dnf', '/bin/podman', '/usr/bin/podman', '/bin/dnf-automatic', '/usr/bin/dnf-automatic',
  '/bin/pacman', '/usr/bin/pacman', '/usr/bin/dpkg-divert', '/bin/dpkg-divert', '/sbin/apk', '/usr/sbin/apk',
  '/usr/local/sbin/apk', '/usr/bin/apt', '/usr/sbin/pacman', '/usr/bin/puppet',
  '/bin/puppet', '/opt/puppetlabs/puppet/bin/puppet', '/usr/bin/chef-client', '/bin/chef-client',
  '/bin/autossl_check', '/usr/bin/autossl_check', '/proc/self/exe', '/usr/bin/pamac-daemon',
  '/bin/pamac-daemon', '/usr/lib/snapd/snapd', '/usr/local/bin/dockerd', '/usr/bin/crio', '/usr/sbin/crond',
  '/opt/puppetlabs/puppet/bin/ruby', '/usr/libexec/platform-python', '/kaniko/kaniko-executor',
  '/bin/install', '/usr/lib/systemd/systemd',
  '/usr/sbin/sshd', '/usr/bin/gitlab-runner', '/opt/gitlab/embedded/bin/ruby', '/usr/sbin/gdm', '/usr/bin/install',
  '/usr/local/manageengine/uems_agent/bin/dcregister', '/usr/local/bin/pacman',
] as const;

/** Executable prefixes the rule excludes with `like~ "…*"`. */
export const EXCLUDED_WRITER_PREFIXES = [
  '/nix/store/', '/var/lib/dpkg/', '/tmp/vmis.', '/snap/', '/dev/fd/', '/usr/lib/virtualbox/',
] as const;

/** Editor swap files and package-manager temporaries (the rule's list plus the seed hunt's `dpkg-new`). */
export const EXCLUDED_FILE_EXTENSIONS = ['swp', 'swpx', 'swx', 'dpkg-remove', 'dpkg-new'] as const;

/** Package managers the seed hunt excludes by process name. */
export const EXCLUDED_WRITER_NAMES = ['dnf', 'yum', 'dpkg'] as const;

/** A process name is chosen by whoever starts the process: trust it only for binaries in system directories. */
export const SYSTEM_BINARY_PREFIXES = ['/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/'] as const;
