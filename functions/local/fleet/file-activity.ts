import type { ProcessImage } from './event-factory';
import type { Random } from './random';
import type { Host, InstalledScript } from './hosts';
import type { HostDay } from './network-activity';
import { churnDays, type ChurnKind } from './schedule';
import {
  ansibleCopy,
  chefStage,
  dpkgUnpack,
  emacsEdit,
  modifyInPlace,
  puppetReplace,
  rpmUnpack,
  rsyncCopy,
  vimEdit,
  writeDirectly,
  type WriteContext,
} from './write-recipes';

const MINUTE = 60_000;
/** A time of day to the millisecond: whole minutes plus a random part of one. */
const minutes = (random: Random, from: number, to: number) => random.int(from, to) * MINUTE + random.int(0, MINUTE - 1);
const isChurnDay = (hostDay: HostDay, kind: ChurnKind) => churnDays(hostDay.schedule, kind).includes(hostDay.day);
const isHistory = (hostDay: HostDay) => hostDay.day < hostDay.schedule.historyDays;
const version = (hostDay: HostDay) => (isHistory(hostDay) ? 'v1' : 'v2');
const yyyymmdd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/** The day a custom script written during the history was written. */
export const writtenDay = (installed: InstalledScript, historyDays: number) =>
  installed.writtenDuringHistory === undefined ? undefined : Math.floor(installed.writtenDuringHistory * historyDays);

/** Writes to dispatcher folders (and a few near them) by the fleet's legitimate tools, on one host and day. */
export function benignWrites(hostDay: HostDay, w: WriteContext): void {
  const { host } = hostDay;
  const { factory } = w;
  const random = factory.random;
  const at = (fromHour: number, toHour: number) => hostDay.startMs + minutes(random, fromHour * 60, toHour * 60);

  for (const installed of host.scripts) {
    if (installed.origin !== 'custom') continue;
    const day = writtenDay(installed, hostDay.schedule.historyDays);
    if (day === hostDay.day) byHand(w, host, at(6, 18), installed.script.path, false);
    // Administrators revisit their scripts during the history; a replay night never edits one.
    else if (day !== undefined && hostDay.day > day && isHistory(hostDay) && random.chance(1 / 15)) byHand(w, host, at(6, 18), installed.script.path, true);
  }

  if (isChurnDay(hostDay, 'package-upgrade') && (isHistory(hostDay) || random.chance(0.6))) packageUpgrade(hostDay, w, at(3, 8));
  if (isChurnDay(hostDay, 'config-management')) configurationManagement(hostDay, w, at(1, 5));
  if (host.role === 'vpn-gw' && hostDay.day === hostDay.schedule.historyChurnDay['config-management']) {
    // The gateways' route script is copied by hand from the admin's checkout.
    const path = '/etc/NetworkManager/dispatcher.d/99-vpn-routes';
    writeDirectly(w, at(9, 17), path, factory.spawn('/usr/bin/cp', ['cp', '/root/netops/99-vpn-routes', path]), `${path}@gateway-v1`);
  }
  if (host.builders.length > 0) imageBuilds(hostDay, w);

  // The rare one-off: a backup copy, an rsync from a repository, a test file. History only.
  if (isHistory(hostDay) && random.chance(0.004)) oneOff(w, host, at(8, 20));

  // Writes near, but outside, the dispatcher folders.
  if (host.kind === 'laptop' && random.chance(0.6)) {
    const nm = factory.spawn('/usr/sbin/NetworkManager', ['/usr/sbin/NetworkManager', '--no-daemon']);
    w.out.push(factory.file(at(6, 20), 'modification', '/var/lib/NetworkManager/timestamps', nm, { contentId: `timestamps-${random.hex(8)}` }));
    if (random.chance(0.05)) w.out.push(factory.file(at(6, 20), 'creation', `/etc/NetworkManager/system-connections/${random.pick(['Hotel-Guest', 'eduroam', 'Airport_Free_WiFi', 'CoffeeBar'])}.nmconnection`, nm));
  }
}

/** An administrator writing a script with their editor or copying it in. */
function byHand(w: WriteContext, host: Host, atMs: number, path: string, existing: boolean): void {
  const { factory } = w;
  const content = `${path}@${host.name}-${factory.random.hex(6)}`;
  if (!existing && factory.random.chance(0.3)) {
    writeDirectly(w, atMs, path, factory.spawn('/usr/bin/cp', ['cp', `/home/admin/${path.slice(path.lastIndexOf('/') + 1)}`, path]), content);
    return;
  }
  if (host.editor === 'vim') vimEdit(w, atMs, path, factory.spawn(host.os.vim, ['vim', path], 'vim'), content, existing);
  else if (host.editor === 'emacs') emacsEdit(w, atMs, path, factory.spawn(host.os.family === 'debian' ? '/usr/bin/emacs-nox' : '/usr/bin/emacs', ['emacs', '-nw', path]), content, existing);
  else if (existing) modifyInPlace(w, atMs, path, factory.spawn('/usr/bin/nano', ['nano', path]), content);
  else writeDirectly(w, atMs, path, factory.spawn('/usr/bin/nano', ['nano', path]), content);
}

function packageUpgrade(hostDay: HostDay, w: WriteContext, atMs: number): void {
  const { host } = hostDay;
  const writer = host.os.packageWriter;
  const image = w.factory.spawn(writer.executable, writer.args, writer.name);
  let t = atMs;
  for (const installed of host.scripts) {
    if (installed.origin !== 'package') continue;
    const content = `${installed.script.path}@${host.os.id}-${version(hostDay)}`;
    t = (host.os.family === 'debian' ? dpkgUnpack : rpmUnpack)(w, t + w.factory.random.int(5, 200), installed.script.path, image, content);
  }
}

function configurationManagement(hostDay: HostDay, w: WriteContext, atMs: number): void {
  const { host, startMs } = hostDay;
  const { factory } = w;
  if (host.configManagement === 'none') return;
  const managed = host.scripts.filter((s) => s.origin === 'organisation' && !s.script.path.endsWith('/99-vpn-routes'));
  if (managed.length === 0) return;
  const epoch = Math.floor(atMs / 1000);
  const writer: ProcessImage =
    host.configManagement === 'ansible'
      ? factory.spawn(host.os.python, ['/usr/bin/python3', `/root/.ansible/tmp/ansible-tmp-${epoch}.${factory.random.int(1000, 9999)}-${factory.random.int(1000, 99999)}-${factory.random.int(1e13, 9e13)}/AnsiballZ_copy.py`])
      : host.configManagement === 'puppet'
        ? factory.spawn('/opt/puppetlabs/puppet/bin/ruby', ['/opt/puppetlabs/puppet/bin/ruby', '/opt/puppetlabs/puppet/bin/puppet', 'agent', '--no-daemonize', '--onetime'], 'puppet')
        : factory.spawn('/opt/chef/embedded/bin/ruby', ['/opt/chef/embedded/bin/ruby', '--disable-gems', '/usr/bin/chef-client', '--once'], 'chef-client');
  let t = atMs;
  for (const installed of managed) {
    // The same content in history and replay: a rerun that restores drift, not a new version.
    const content = `${installed.script.path}@managed-v1`;
    const path = installed.script.path;
    t += factory.random.int(200, 3_000);
    if (host.configManagement === 'ansible') t = ansibleCopy(w, t, path, writer, content);
    else if (host.configManagement === 'puppet') t = puppetReplace(w, t, path, writer, content, yyyymmdd(startMs));
    else t = chefStage(w, t, path, writer, content, yyyymmdd(startMs));
  }
}

/** Image builds on CI runners: base layers and RUN steps install network-manager, COPY adds a script. */
function imageBuilds(hostDay: HostDay, w: WriteContext): void {
  const { host, startMs } = hostDay;
  const { factory } = w;
  const random = factory.random;
  const wave = isChurnDay(hostDay, 'container-builds') ? 4 : 1;
  for (const builder of host.builders) {
    for (let b = random.poisson(1.2 * wave); b > 0; b--) {
      const atMs = startMs + minutes(random, 60, 23 * 60);
      const containerId = random.hex(64);
      const inBuild: WriteContext = { ...w, containerId };
      const dpkg = factory.spawn('/usr/bin/dpkg', ['/usr/bin/dpkg', '--status-fd', '26', '--no-triggers', '--unpack', '--auto-deconfigure', '/var/cache/apt/archives/network-manager_1.36.6-0ubuntu2.1_amd64.deb']);
      const copied = '/etc/NetworkManager/dispatcher.d/99-container-net';
      if (builder === 'kaniko') {
        const kaniko = factory.spawn('/kaniko/executor', ['/kaniko/executor', '--context=dir:///workspace', '--dockerfile=Dockerfile', `--destination=registry.example.com/ci/nm-test:${random.hex(8)}`]);
        const t = writeDirectly(inBuild, atMs, '/etc/NetworkManager/dispatcher.d/01-ifupdown', kaniko, '/etc/NetworkManager/dispatcher.d/01-ifupdown@ubuntu-22.04-v1');
        writeDirectly(inBuild, t + 800, copied, kaniko, `${copied}@ci-v1`);
      } else {
        const t = dpkgUnpack(inBuild, atMs, '/etc/NetworkManager/dispatcher.d/01-ifupdown', dpkg, '/etc/NetworkManager/dispatcher.d/01-ifupdown@ubuntu-22.04-v1');
        if (builder !== 'docker') {
          // podman and buildah copy files through their copier, a re-exec of themselves: /proc/self/exe.
          writeDirectly(w, t + 1_500, copied, factory.spawn('/proc/self/exe', ['/proc/self/exe'], builder), `${copied}@ci-v1`);
        }
      }
    }
  }
}

function oneOff(w: WriteContext, host: Host, atMs: number): void {
  const { factory } = w;
  const random = factory.random;
  const target = random.pick(host.scripts).script.path;
  const dir = target.slice(0, target.lastIndexOf('/'));
  const kind = random.pick(['backup', 'rsync', 'test', 'install'] as const);
  if (kind === 'backup') writeDirectly(w, atMs, `${target}.${random.pick(['bak', 'orig', 'old'])}`, factory.spawn('/usr/bin/cp', ['cp', '-a', target, `${target}.bak`]), `${target}@backup`);
  else if (kind === 'rsync') rsyncCopy(w, atMs, target, factory.spawn('/usr/bin/rsync', ['rsync', '-a', `/srv/netconf/${host.name}/`, `${dir}/`]), `${target}@${host.name}-rsync`);
  else if (kind === 'test') writeDirectly(w, atMs, `${dir}/test-${random.hex(4)}`, factory.spawn('/usr/bin/bash', ['-bash']), 'test');
  else writeDirectly(w, atMs, target, factory.spawn('/usr/bin/install', ['install', '-m', '0755', `/tmp/${host.name}.sh`, target]), `${target}@${host.name}-install`);
}
