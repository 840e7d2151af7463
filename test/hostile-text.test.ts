import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPublishInput } from '../functions/core/render/publish-input';
import { inertText } from '../functions/core/render/inert-text';
import { slackCode } from '../functions/core/render/slack-text';
import { LinkifyIt } from 'linkify-it';
import { childFinding, writeFinding } from './support/harness';
import { alertFor, newFindingsReport } from './support/reports';

/** What an attacker can put in a path, a command line or a host name. */
const CORPUS: Record<string, string> = {
  slackBroadcast: '<!channel> <!here> <!everyone>',
  slackMention: '<@U024BE7LH> <#C024BE7LR>',
  slackLink: '<https://evil.example/|click here to approve>',
  backticks: '`rm -rf /` ``double``',
  codeFence: '```\nfenced\n```',
  markdownLink: '[click](https://evil.example/phish) ![img](http://evil.example/x.png)',
  newlines: 'line1\nFAKE LINE: approved by security\r\nline3\u2028sep\u2029para\u0085nel',
  ansi: '\u001b[31mRED\u001b[0m \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u009b31m',
  controls: '\u0000\u0001\u0007\u0008\u000b\u000c\u007f\u0080\u009f',
  bidi: 'invoice\u202ehs.exe\u202c \u2066isolate\u2069 \u200f\u200e\u061c',
  zeroWidth: 'ze\u200bro\u200cwi\u200ddth\u2060\ufeff\u00ad',
  loneSurrogates: 'a\ud800b\udc00c\udbff',
  mrkdwn: '*bold* _it_ ~strike~ > quote @channel @here',
  entities: '&lt;!channel&gt; &amp;',
  schemes: 'javascript:alert(1) data:text/html,x file:///etc/shadow ftp://evil.example HTTPS://EVIL.EXAMPLE ms-msdt:/id search-ms:query=x',
  tags: '01-ifupdown\u{e0001}\u{e0041}\u{e0070}\u{e007f}',
  variationSelectors: '01-ifupdown\ufe0f\u{e0100}\u180b',
  joiners: '01-if\u2060up\u200ddown\u034f\u115f\u3164\uffa0',
  spaces: 'rm\u00a0-rf\u3000/\u2007x',
  replacement: 'obj\ufffcect \ufffdreplaced',
  privateAndUnassigned: '\ue000\u{f0000}\u{10fffd}\ufdd0\uffff',
  schemeless: 'www.evil.example sh panix-dispatcher.sh ssh root@evil.example \\\\evil.example\\share //localhost/x 203.0.113.7',
  huge: `/etc/NetworkManager/dispatcher.d/${'A'.repeat(2_000_000)}`,
};
CORPUS.combined = Object.values(CORPUS).filter((v) => v.length < 10_000).join(' | ');

/** Code points no human channel may show raw (besides the newlines that separate lines): by class, not by range. */
const UNSAFE_OUTPUT = /(?!\n)[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\ufffc\ufffd]|(?! )\p{Zs}/u;
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });

function renderWith(value: string) {
  const alerts = [
    alertFor(writeFinding(`/etc/NetworkManager/dispatcher.d/${value}`, value, { hostNames: [value, 'web-01'], agentIds: [value] }), `path never seen ${value}`),
    alertFor(childFinding(`/etc/NetworkManager/dispatcher.d/${value}`, value, value, { hostNames: [value] }), `parent known with 1 other child, new child ${value}`),
  ];
  const input = renderPublishInput(newFindingsReport(alerts), { kibanaUrl: 'https://kibana.example.com' });
  const bodies = JSON.parse(input.Message) as { default: string; email: string; https: string };
  const slack = JSON.parse(bodies.https) as { content: { title: string; description: string; nextSteps: string[] } };
  return { input, bodies, slack, structured: JSON.parse(bodies.default) as unknown };
}

const benign = renderWith('benign-value');

describe('attacker-controlled text', () => {
  for (const [name, value] of Object.entries(CORPUS)) {
    it(`is inert and bounded in every channel: ${name}`, () => {
      const { input, bodies, slack } = renderWith(value);
      const slackText = [slack.content.title, slack.content.description, ...slack.content.nextSteps].join('\n');

      // Subject: ours only, printable ASCII, one line, at most 100 characters.
      assert.match(input.Subject, /^[\x20-\x7e]{1,100}$/);
      assert.equal(input.Subject, benign.input.Subject);

      // No fake lines: the report has exactly the shape it has for benign values.
      assert.equal(bodies.email.split('\n').length, benign.bodies.email.split('\n').length, 'email line count');
      assert.equal(slack.content.description.split('\n').length, benign.slack.content.description.split('\n').length, 'slack line count');

      // No control, bidi or zero-width character, no lone surrogate survives in human channels.
      assert.doesNotMatch(bodies.email, UNSAFE_OUTPUT);
      assert.doesNotMatch(slackText, UNSAFE_OUTPUT);

      // Slack: no control sequence (mention, broadcast, link) can be formed; values stay inside their code spans.
      assert.doesNotMatch(slackText, /[<>]/);
      for (const line of slack.content.description.split('\n')) {
        assert.equal((line.match(/`/g) ?? []).length % 2, 0, `unbalanced code span: ${line.slice(0, 80)}`);
      }
      // Links: attacker URLs are defanged everywhere a human reads; the only links are ours.
      const links = (text: string) => (linkify.match(text) ?? []).map((m) => m.raw).filter((l) => !/^https:\/\/(attack\.mitre\.org|kibana\.example\.com)\//.test(l));
      assert.deepEqual(links(bodies.email), []);
      assert.deepEqual(links(slackText), []);
      assert.doesNotMatch(bodies.email, /(?<!\[)javascript:/i);

      // JSON stays valid and the message small.
      assert.ok(Buffer.byteLength(input.Message) < 256 * 1024);
      assert.ok(bodies.email.length < 100_000 && slackText.length < 12_000, `${bodies.email.length} / ${slackText.length}`);
    });
  }

  it('shows what was there instead of silently dropping it', () => {
    assert.equal(inertText('a\nb\u202ec\u001b[0m', 100), 'a\\nb\\u202ec\\x1b[0m');
    assert.equal(inertText('curl https://203.0.113.7/x', 100), 'curl hxxps[://]203[.]0[.]113[.]7/x');
    assert.equal(inertText('01-ifupdown\u{e0041}\ufe0f\u2060', 100), '01-ifupdown\\u{e0041}\\ufe0f\\u2060');
    assert.equal(inertText('a\ud800b\u00a0c\ufffd', 100), 'a\\ud800b\\xa0c\\ufffd');
    assert.equal(slackCode('<!channel> `x`', 100), '`&lt;!channel&gt; \\x60x\\x60`');
    assert.match(inertText('x'.repeat(5_000), 100), /…\[5000 characters in all\]$/);
    assert.equal(inertText(null, 10), '(missing)');
  });

  it('breaks every link a mail client would make without a scheme, and names the scheme it breaks', () => {
    assert.equal(inertText('www.evil.example', 100), 'www[.]evil[.]example');
    assert.equal(inertText('sh panix-dispatcher.sh', 100), 'sh panix-dispatcher[.]sh');
    assert.equal(inertText('ssh root@evil.example', 100), 'ssh root[@]evil[.]example');
    assert.equal(inertText('\\\\fileserver\\share', 100), '[\\\\]fileserver\\share');
    assert.equal(inertText('ms-msdt:/id PCWDiagnostic', 100), 'ms-msdt[:]/id PCWDiagnostic');
    assert.equal(inertText('x //localhost/y', 100), 'x [//]localhost/y');
    // Paths keep their shape where no linkifier looks: a one-letter suffix is no top-level domain.
    assert.equal(inertText('/etc/NetworkManager/dispatcher.d/01-ifupdown', 100), '/etc/NetworkManager/dispatcher.d/01-ifupdown');
  });

  it('makes a script followed by TAG characters look different from the known script in every channel', () => {
    const known = '/etc/NetworkManager/dispatcher.d/01-ifupdown';
    const lookalike = `${known}\u{e0020}\u{e0041}\u{e007f}`;
    const render = (path: string) => {
      const input = renderPublishInput(newFindingsReport([alertFor(writeFinding(path, '/usr/bin/cp'), 'path never seen')]));
      const bodies = JSON.parse(input.Message) as { default: string; email: string; https: string };
      return { email: bodies.email, slack: (JSON.parse(bodies.https) as { content: { description: string } }).content.description, json: bodies.default };
    };
    const [a, b] = [render(known), render(lookalike)];
    const pathLine = (email: string) => email.split('\n').find((l) => l.startsWith('  file.path:'));
    assert.notEqual(pathLine(b.email), pathLine(a.email));
    assert.match(pathLine(b.email)!, /01-ifupdown\\u\{e0020\}\\u\{e0041\}\\u\{e007f\} {3}\[non-ASCII: U\+E0020 U\+E0041 U\+E007F\]$/);
    assert.match(b.slack, /01-ifupdown\\u\{e0020\}/);
    assert.doesNotMatch(b.email + b.slack + b.json, UNSAFE_OUTPUT);
    // The structured JSON keeps the exact value, escaped in its raw text.
    assert.match(b.json, /01-ifupdown\\udb40\\udc20\\udb40\\udc41\\udb40\\udc7f"/);
    const item = (JSON.parse(b.json) as { newFindings: { items: { identity: Record<string, string> }[] } }).newFindings.items[0]!;
    assert.equal(item.identity['file.path'], lookalike);
  });

  it('flags non-ASCII in paths, naming the code points: a homoglyph reads like the known script', () => {
    const homoglyph = '/etc/NetworkManager/dispatcher.d/01-ifupd\u043ewn';
    const input = renderPublishInput(newFindingsReport([alertFor(writeFinding(homoglyph, '/usr/bin/cp'), 'path never seen')]));
    const bodies = JSON.parse(input.Message) as { default: string; email: string; https: string };
    assert.match(bodies.email, /file\.path: \/etc\/NetworkManager\/dispatcher\.d\/01-ifupd\u043ewn {3}\[non-ASCII: U\+043E\]\n/);
    assert.match(bodies.email, /process\.executable: \/usr\/bin\/cp\n/);
    assert.match((JSON.parse(bodies.https) as { content: { description: string } }).content.description, /`\/etc\/NetworkManager\/dispatcher\.d\/01-ifupd\u043ewn` :warning: _\[non-ASCII: U\+043E\]_/);
  });

  it('keeps lone surrogates exact in the structured JSON, and its raw text ASCII where it matters', () => {
    const value = 'a\ud800b\u202ec\u2028d';
    const input = renderPublishInput(newFindingsReport([alertFor(writeFinding('/etc/NetworkManager/dispatcher.d/x', value), 'path never seen')]));
    const json = (JSON.parse(input.Message) as { default: string }).default;
    assert.ok(json.includes('a\\ud800b\\u202ec\\u2028d'), 'escaped in the raw text');
    const item = (JSON.parse(json) as { newFindings: { items: { identity: Record<string, string> }[] } }).newFindings.items[0]!;
    assert.equal(item.identity['process.executable'], value);
  });

  it('runs the osquery follow-up exactly as printed, embedding the path only when it is portable', () => {
    const sql = (path: string) => {
      const input = renderPublishInput(newFindingsReport([alertFor(writeFinding(path, '/usr/bin/cp'), 'path never seen')]));
      return (JSON.parse((JSON.parse(input.Message) as { default: string }).default) as { newFindings: { items: { osquery: string }[] } }).newFindings.items[0]!.osquery;
    };
    assert.match(sql('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh'), /WHERE f\.path = '\/etc\/NetworkManager\/dispatcher\.d\/panix-dispatcher\.sh';$/);
    for (const hostile of ["x' OR 1=1 --", 'a b', 'www.evil.example/x:y', 'x@evil.example', '01-ifupd\u043ewn', '../../../tmp/x', 'x\u{e0041}', 'x+evil.example']) {
      assert.match(sql(`/etc/NetworkManager/dispatcher.d/${hostile}`), /WHERE \(f\.path LIKE '\/etc\/NetworkManager\/dispatcher\.d\/%' OR f\.path LIKE '\/usr\/lib\/NetworkManager\/dispatcher\.d\/%'\);$/, hostile);
    }
  });
});
