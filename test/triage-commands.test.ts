import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { triageCommand } from '../functions/core/render/triage-command';

const ROOT = new URL('..', import.meta.url).pathname;

describe('the CLI commands we print', () => {
  it('go through the checkout’s own npm script, never npx, anywhere in the repository', () => {
    // `npx <name>` outside the checkout asks the registry for that name: whoever claims it runs code on analysts' machines.
    const tracked = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    const offenders = tracked.filter((file) => !file.endsWith('package-lock.json') && /npx\s+nm-dispatcher-hunt/.test(safeRead(`${ROOT}${file}`)));
    assert.deepEqual(offenders, []);
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin?: unknown; scripts: Record<string, string> };
    assert.equal(pkg.bin, undefined, 'no bin entry: npx has nothing of ours to find');
    assert.equal(pkg.scripts.hunt, 'tsx functions/cli/main.ts');
  });

  it('carry the function’s table and region, or the local folder, and only values that need no quoting', () => {
    assert.equal(triageCommand('baseline list', { table: 'NmDispatcherHunt-BaselineTable1-ABC', region: 'eu-west-1' }), 'npm run hunt -- baseline list --table NmDispatcherHunt-BaselineTable1-ABC --region eu-west-1');
    assert.equal(triageCommand('baseline list', { table: 'demo', local: 'demo-baseline', region: 'eu-west-1' }), 'npm run hunt -- baseline list --table demo --local demo-baseline');
    assert.equal(triageCommand('baseline list', { region: 'us-gov-west-1' }), 'npm run hunt -- baseline list --region us-gov-west-1');
    // Nothing a shell would read differently enters a command: better no option than one that runs something else.
    assert.equal(triageCommand('baseline list', { table: 'x; rm -rf ~', region: 'eu-west-1 $(id)', local: '../a b' }), 'npm run hunt -- baseline list');
    assert.equal(triageCommand('baseline list'), 'npm run hunt -- baseline list');
  });
});

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
