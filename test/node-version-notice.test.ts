import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { condenseNodeVersionNotice } from '../functions/cli/node-version-notice';

const ROOT = new URL('..', import.meta.url).pathname;
const SDK_NOTICE = `NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)
versions published after the first week of January 2027
will require node >=22. You are running node v20.20.2.

More information can be found at: https://a.co/c895JFp`;

describe('the AWS SDK’s Node.js version notice', () => {
  it('is shown once, on one line, and every other warning still reaches Node', () => {
    const passedOn: unknown[][] = [];
    const target = { emitWarning: (...args: unknown[]) => void passedOn.push(args) } as unknown as Pick<NodeJS.Process, 'emitWarning'>;
    let err = '';
    condenseNodeVersionNotice({ write: (s) => void (err += s) }, target);
    target.emitWarning(SDK_NOTICE);
    target.emitWarning(SDK_NOTICE); // the second copy of the SDK's core module
    target.emitWarning('something else is deprecated', 'DeprecationWarning');
    target.emitWarning(Object.assign(new Error('will require node >=22'), { name: 'NodeVersionSupportWarning' }));
    assert.equal(err, 'note: The AWS SDK for JavaScript (v3) versions published after the first week of January 2027 will require node >=22. You are running node v20.20.2. More information can be found at: https://a.co/c895JFp\n');
    assert.deepEqual(passedOn, [['something else is deprecated', 'DeprecationWarning']]);
  });

  it('appears at most once in a CLI command that creates several AWS clients, other warnings intact', () => {
    // A real run creates Secrets Manager, SNS and DynamoDB clients; an unknown secret stops it after the first.
    const run = spawnSync('npm', ['run', '--silent', 'hunt', '--', 'run', '--dry-run', '--secret-id', 'nope', '--table', 't', '--region', 'eu-west-1'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9', NODE_OPTIONS: '--require ./test/support/emit-warning.cjs' },
    });
    const notices = run.stderr.split('\n').filter((line) => /node >=22/.test(line));
    assert.ok(notices.length <= 1, run.stderr);
    assert.ok(!run.stderr.includes('NodeVersionSupportWarning'), 'the notice is condensed, not Node’s multi-line warning');
    if (Number(process.versions.node.split('.')[0]) < 22) assert.equal(notices.length, 1, run.stderr);
    assert.match(run.stderr, /Warning: a warning from elsewhere/, 'other warnings are still printed');
  });
});
