import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPublishInput } from '../functions/core/render/publish-input';
import { inertText } from '../functions/core/render/inert-text';
import { slackCode } from '../functions/core/render/slack-text';
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
  schemes: 'javascript:alert(1) data:text/html,x file:///etc/shadow ftp://evil.example HTTPS://EVIL.EXAMPLE',
  huge: `/etc/NetworkManager/dispatcher.d/${'A'.repeat(2_000_000)}`,
};
CORPUS.combined = Object.values(CORPUS).filter((v) => v.length < 10_000).join(' | ');

const UNSAFE_OUTPUT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

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
      // Links: attacker URLs are defanged everywhere a human reads.
      assert.doesNotMatch(bodies.email, /https?:\/\/evil/i);
      assert.doesNotMatch(slackText, /https?:\/\/evil/i);
      assert.doesNotMatch(bodies.email, /(?<!\[)javascript:/i);

      // JSON stays valid and the message small.
      assert.ok(Buffer.byteLength(input.Message) < 256 * 1024);
      assert.ok(bodies.email.length < 100_000 && slackText.length < 12_000, `${bodies.email.length} / ${slackText.length}`);
    });
  }

  it('shows what was there instead of silently dropping it', () => {
    assert.equal(inertText('a\nb\u202ec\u001b[0m', 100), 'a\\nb\\u202ec\\x1b[0m');
    assert.equal(inertText('curl https://203.0.113.7/x', 100), 'curl hxxps://203.0.113.7/x');
    assert.equal(slackCode('<!channel> `x`', 100), '`&lt;!channel&gt; \\x60x\\x60`');
    assert.match(inertText('x'.repeat(5_000), 100), /…\[5000 characters in all\]$/);
    assert.equal(inertText(null, 10), '(missing)');
  });
});
