import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LinkifyIt } from 'linkify-it';
import { entriesTable } from '../functions/cli/entries-table';
import { progressLog } from '../functions/cli/terminal';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { Redactor } from '../functions/core/redact';
import { inertText } from '../functions/core/render/inert-text';
import { renderPublishInput } from '../functions/core/render/publish-input';
import { slackCode } from '../functions/core/render/slack-text';
import { safeRunLog } from '../functions/core/safe-log';
import { childFinding, writeFinding } from './support/harness';
import { alertFor, newFindingsReport } from './support/reports';

/*
 * The invariant, by property: no human channel shows a code point of the invisible classes, and no
 * attacker value becomes a link. The oracle below is written class by class, independently of the
 * renderer's own pattern, and asks the runtime's Unicode tables (Node 20 and Node 24 know different
 * versions, so nothing here counts code points). A fixed seed keeps runs reproducible; a failure prints
 * the seed and the shrunk value, which then joins COUNTEREXAMPLES below as a regular test.
 */
const SEED = 20_261_125;

const INVISIBLE_CLASSES: readonly [string, RegExp][] = [
  ['Cc', /\p{Cc}/u],
  ['Cf', /\p{Cf}/u],
  ['Co', /\p{Co}/u],
  ['Cn', /\p{Cn}/u],
  ['Zl', /\p{Zl}/u],
  ['Zp', /\p{Zp}/u],
  ['lone surrogate', /\p{Cs}/u],
  ['Default_Ignorable_Code_Point', /\p{Default_Ignorable_Code_Point}/u],
  ['U+FFFC/U+FFFD', /[\ufffc\ufffd]/u],
  ['space other than U+0020', /(?! )\p{Zs}/u],
];

/** The first invisible code point in `text`, named by its class, or undefined. */
function invisibleIn(text: string): string | undefined {
  for (const char of text) {
    const hit = INVISIBLE_CLASSES.find(([, re]) => re.test(char));
    if (hit) return `${hit[0]} U+${(char.codePointAt(0) as number).toString(16).toUpperCase()} at ${text.indexOf(char)} in ${JSON.stringify(text.slice(0, 200))}`;
  }
  return undefined;
}

/**
 * The reference linkifier, as eager as linkify-it gets: fuzzy links, e-mails and IPs, plus rules for
 * what mail clients link beyond it: a few dangerous schemes, `www.` with any host, and UNC paths.
 */
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });
const tail = (start: RegExp) => ({ validate: (text: string, pos: number) => (start.test(text.slice(pos)) ? (/^[^\s\p{Z}\p{Cc}]+/u.exec(text.slice(pos))?.[0].length ?? 0) : 0) });
for (const scheme of ['javascript:', 'data:', 'file:', 'smb:', 'ssh:', 'tel:', 'sms:', 'ms-msdt:', 'search-ms:', 'vbscript:']) linkify.add(scheme, tail(/^\S/u));
linkify.add('www.', tail(/^[\p{L}\p{N}]/u)); // any host, known top-level domain or not
linkify.add('\\\\', tail(/^[\p{L}\p{N}?.]/u)); // \\server\share, \\?\UNC\…, \\.\pipe\…

const linksIn = (text: string): string[] => (linkify.match(text) ?? []).map((m) => m.raw);

// --- What an attacker writes: full Unicode, lone surrogates, invisible classes, and link material. ---
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const invisibleSample = fc
  .oneof(
    fc.integer({ min: 0xe0000, max: 0xe007f }), // TAG characters
    fc.integer({ min: 0xfe00, max: 0xfe0f }), // variation selectors
    fc.integer({ min: 0xe0100, max: 0xe01ef }),
    fc.integer({ min: 0x2000, max: 0x206f }), // spaces, zero-width, bidi, word joiner, invisible operators
    fc.integer({ min: 0x0000, max: 0x009f }), // C0, DEL, C1
    fc.integer({ min: 0xf0000, max: 0x10ffff }), // private use, noncharacters
    fc.constantFrom(0x00a0, 0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x180e, 0x3000, 0x3164, 0xfeff, 0xffa0, 0xfff9, 0xfffc, 0xfffd, 0xfdd0, 0x1bca0, 0x1d173),
  )
  .map((c) => String.fromCodePoint(c));
const linkMaterial = fc.constantFrom(
  'www', 'WWW', '.', '。', '．', 'com', 'sh', 'co', 'xn--p1ai', 'рф', 'evil', 'example', 'localhost', '203.0.113.7', '10.0.0.1', '1',
  'http', 'HTTPS', 'ftp', 'mailto', 'javascript', 'file', 'smb', 'ms-msdt', ':', '://', '//', '/', '\\', '\\\\', '@', 'user', 'root',
  ' ', '-', '_', '+', '$', '=', '|', '｜', '<', '>', '(', ')', '[', ']', '{', '}', "'", '"', '`', '&', '!', '?', '#', '%', ',', ';', '~', '*',
  '<!channel>', '<https://evil.example|x>', '\n', '\u202e', '\u200b', '\u{e0041}', '💩', 'é',
);
const hostile = fc
  .array(fc.oneof({ weight: 6, arbitrary: linkMaterial }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) }, { weight: 1, arbitrary: loneSurrogate }, { weight: 2, arbitrary: invisibleSample }), { maxLength: 24 })
  .map((parts) => parts.join(''));

/** Shrunk counterexamples found along the way, kept as regular tests. */
const COUNTEREXAMPLES: readonly string[] = [
  ')', // a linkifier ended the Kibana link at rison's `)`, leaving the rest of our link as plain text
  '10.0.0.110.0.0.1', // a dotted-quad rule defanged the first address and left `110.0.0.1` linkable
  '\\`', // Slack's `\x60` after an attacker backslash made `\\x60`, a UNC path
  '<!channel>\\`',
  '\\\u0000', // an attacker backslash before an escape: `\\x00` must not read as a UNC path either
];

const KIBANA = 'https://kibana.example.com';

function render(value: string) {
  const alerts = [
    alertFor(writeFinding(`/etc/NetworkManager/dispatcher.d/${value}`, value, { hostNames: [value], agentIds: [value] }), `path never seen ${value}`),
    alertFor(childFinding(`/etc/NetworkManager/dispatcher.d/${value}`, value, value, { hostNames: [value] }), value),
  ];
  const input = renderPublishInput(newFindingsReport(alerts, { problems: [`dispatcher-script-write failed: ${value}`] }), { kibanaUrl: KIBANA });
  const bodies = JSON.parse(input.Message) as { default: string; email: string; https: string };
  const slack = JSON.parse(bodies.https) as { content: { title: string; description: string; nextSteps: string[] } };
  return { input, bodies, slack: [slack.content.title, slack.content.description, ...slack.content.nextSteps].join('\n') };
}

/** Links in a rendered channel must be ours: ATT&CK pages, and the whole Kibana link we built. */
function foreignLinks(text: string): string[] {
  return (linkify.match(text) ?? [])
    .filter((m) => !(m.raw.startsWith('https://attack.mitre.org/') || (m.raw.startsWith(`${KIBANA}/app/discover#/?`) && /^\s*$/.test(text.slice(m.lastIndex).split('\n')[0] as string))))
    .map((m) => m.raw);
}

function assertInertChannel(name: string, text: string) {
  for (const line of text.split('\n')) {
    const invisible = invisibleIn(line);
    assert.equal(invisible, undefined, `${name}: ${invisible}`);
  }
  assert.deepEqual(foreignLinks(text), [], `${name} links an attacker value`);
}

function checkValue(value: string) {
  for (const max of [40, 300]) {
    for (const [name, shown] of [['inert text', inertText(value, max)], ['slack code', slackCode(value, max)]] as const) {
      assert.equal(invisibleIn(shown), undefined, `${name}: ${invisibleIn(shown)}`);
      assert.deepEqual(linksIn(shown), [], `${name} ${JSON.stringify(shown)} holds a link`);
    }
  }
}

function checkMessage(value: string) {
  const { input, bodies, slack } = render(value);
  assert.match(input.Subject, /^[\x20-\x7e]{1,100}$/);
  assertInertChannel('email', bodies.email);
  assertInertChannel('slack', slack);
  assert.doesNotMatch(slack, /[<>]/);
  // Structured JSON: raw text without an invisible code point, values decoded exactly.
  assert.equal(invisibleIn(bodies.default.replace(/\n/g, '')), undefined, `default: ${invisibleIn(bodies.default)}`);
  assert.equal(invisibleIn(bodies.https), undefined, `https: ${invisibleIn(bodies.https)}`);
  const structured = JSON.parse(bodies.default) as { newFindings: { items: { identity: Record<string, string | null> }[] } };
  const write = structured.newFindings.items.find((i) => 'file.path' in i.identity)!;
  assert.equal(write.identity['process.executable'], value);
}

function checkTerminalAndLogs(value: string) {
  const hunt = huntById('dispatcher-script-write')!;
  const table = entriesTable([entryFromFinding(hunt, writeFinding(`/etc/NetworkManager/dispatcher.d/${value}`, value), 'alerted', '2026-11-25T02:00:00.000Z')]);
  assertInertChannel('terminal table', table);
  const written: string[] = [];
  const cli = progressLog({ write: (text) => written.push(text) });
  cli.error(`hunt failed: ${value}`, { huntId: value, error: value, hosts: [value] });
  for (const line of written.join('').split('\n')) assert.equal(invisibleIn(line), undefined, `terminal log: ${invisibleIn(line)}`);
  const records: unknown[] = [];
  const record = (message: string, details: Record<string, unknown>) => records.push({ message, ...details });
  safeRunLog({ info: record, warn: record, error: record }, new Redactor()).error(`hunt failed: ${value}`, { error: value, nested: { hosts: [value] } });
  for (const text of collectStrings(records)) assert.equal(invisibleIn(text), undefined, `log record: ${invisibleIn(text)}`);
}

function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(collectStrings);
  return [];
}

describe('attacker text, by property', () => {
  it('no inert value holds an invisible code point or a link', () => {
    fc.assert(fc.property(hostile, checkValue), { seed: SEED, numRuns: 3_000, includeErrorInReport: true });
  });

  it('no channel of the SNS message shows an invisible code point or an attacker link; the JSON decodes exactly', () => {
    fc.assert(fc.property(hostile, checkMessage), { seed: SEED, numRuns: 300, includeErrorInReport: true });
  });

  it('the terminal and the logs show no invisible code point', () => {
    fc.assert(fc.property(hostile, checkTerminalAndLogs), { seed: SEED, numRuns: 500, includeErrorInReport: true });
  });

  for (const value of COUNTEREXAMPLES) {
    it(`counterexample ${JSON.stringify(value)}`, () => {
      checkValue(value);
      checkMessage(value);
      checkTerminalAndLogs(value);
    });
  }
});
