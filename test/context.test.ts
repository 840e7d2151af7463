import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { CONTEXT_KEYS, ContextError, editDistance, stackNameFromContext } from '../lib/context';
import { NmDispatcherHuntStack } from '../lib/nm-dispatcher-hunt-stack';
import { BASE_CONTEXT } from './support/synth-stack';

/** Builds the stack from context without synthesizing: validation happens in the constructor. */
function build(context: Record<string, unknown>) {
  const app = new App({ context: { ...BASE_CONTEXT, ...context }, outdir: mkdtempSync(join(tmpdir(), 'nmdh-ctx-')) });
  return new NmDispatcherHuntStack(app, 'NmDispatcherHunt');
}

function problemsOf(context: Record<string, unknown>): readonly string[] {
  try {
    build(context);
  } catch (error) {
    assert.ok(error instanceof ContextError, String(error));
    for (const line of error.problems) assert.doesNotMatch(line, /\n/);
    assert.equal(error.message, error.problems.join('\n'));
    return error.problems;
  }
  assert.fail('synth should have failed');
}

describe('a bad context value fails synth with one line naming the key, the problem and an example', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a missing secret', { 'nmDispatcherHunt:esSecret': undefined }, /^Context "nmDispatcherHunt:esSecret" is required.*Example: npx cdk deploy -c nmDispatcherHunt:esSecret='nm-dispatcher-hunt\/elasticsearch'$/],
    ['a partial secret ARN', { 'nmDispatcherHunt:esSecret': 'arn:aws:secretsmanager:eu-west-1:111122223333:secret' }, /esSecret" must be a secret name or a complete secret ARN/],
    ['a bad secret key ARN', { 'nmDispatcherHunt:esSecretKmsKeyArn': 'alias/my-key' }, /esSecretKmsKeyArn" is not valid\. Example: .*key\/1234abcd/],
    ['a bad email', { 'nmDispatcherHunt:alertEmails': 'soc@example.com,not-an-email' }, /alertEmails" has an invalid entry "not-an-email"\. Example: npx cdk deploy -c nmDispatcherHunt:alertEmails=/],
    ['half a Slack setup', { 'nmDispatcherHunt:slackWorkspaceId': 'T0123ABCD' }, /slackChannelId" must be given together/],
    ['a bad Slack channel id', { 'nmDispatcherHunt:slackWorkspaceId': 'T0123ABCD', 'nmDispatcherHunt:slackChannelId': '#alerts' }, /slackChannelId" is not valid\. Example: .*C0123ABCD/],
    ['no notification target', { 'nmDispatcherHunt:alertEmails': undefined }, /alertEmails" is not set and no Slack channel is either, so alerts and alarms would reach nobody; .* -c nmDispatcherHunt:subscribersOutsideStack=true\. Example:/],
    ['an acknowledgement that is not a boolean', { 'nmDispatcherHunt:alertEmails': undefined, 'nmDispatcherHunt:subscribersOutsideStack': 'yes' }, /subscribersOutsideStack" must be true or false/],
    ['a lookback beyond a year', { 'nmDispatcherHunt:lookbackDays': 400 }, /lookbackDays" is invalid: .*1 to 365/],
    ['a lookback that is not a number', { 'nmDispatcherHunt:lookbackDays': 'thirty' }, /lookbackDays" must be a whole number of days/],
    ['thresholds that are not JSON', { 'nmDispatcherHunt:thresholds': '{oops' }, /thresholds" is not valid JSON/],
    ['a threshold the hunt does not use', { 'nmDispatcherHunt:thresholds': '{"dispatcher-script-write":{"maxEventCount":5}}' }, /thresholds" is invalid: .*"thresholds\.dispatcher-script-write\.maxEventCount": is not used by this hunt \(its query has no \?max_event_count filter\)/],
    ['an unknown threshold', { 'nmDispatcherHunt:thresholds': '{"dispatcher-child-process":{"maxHosts":2}}' }, /thresholds" is invalid: .*unknown key; expected maxAgentCount or maxEventCount/],
    ['an unknown hunt in exclusions', { 'nmDispatcherHunt:exclusions': '{"typo":["/x"]}' }, /exclusions" is invalid: .*unknown hunt id/],
    ['an injecting index pattern', { 'nmDispatcherHunt:extraIndexPatterns': 'endgame-*|LIMIT' }, /extraIndexPatterns" is invalid/],
    ['a bad time zone', { 'nmDispatcherHunt:scheduleTimeZone': 'Mars/Olympus' }, /scheduleTimeZone" is not an IANA time zone/],
    ['a schedule that is no expression', { 'nmDispatcherHunt:scheduleExpression': 'every night' }, /scheduleExpression" is not usable: "every night" is not cron\(\.\.\.\), rate\(\.\.\.\) or at\(\.\.\.\)\. Example: npx cdk deploy -c nmDispatcherHunt:scheduleExpression='cron\(0 2 \* \* \? \*\)'$/],
    ['a five-field Unix cron', { 'nmDispatcherHunt:scheduleExpression': 'cron(0 2 * * *)' }, /scheduleExpression" is not usable: cron\(0 2 \* \* \*\) must have six fields/],
    ['minutes and hours out of range', { 'nmDispatcherHunt:scheduleExpression': 'cron(99 99 * * ? *)' }, /scheduleExpression" is not usable: minutes field "99" has 99, outside 0-59/],
    ['a weekly schedule', { 'nmDispatcherHunt:scheduleExpression': 'cron(0 2 ? * MON *)' }, /scheduleExpression" is not usable: .*170 h, more than the 168 h a CloudWatch alarm can evaluate/],
    ['a one-shot schedule', { 'nmDispatcherHunt:scheduleExpression': 'at(2027-01-01T02:00:00)' }, /scheduleExpression" is not usable: at\(2027-01-01T02:00:00\) runs once/],
    ['subnets without a VPC', { 'nmDispatcherHunt:subnetIds': 'subnet-0123456789abcdef0' }, /vpcId" must be given together/],
    ['a bad stack name', { 'nmDispatcherHunt:stackName': '1-hunt_prod' }, /stackName" must start with a letter and hold only letters, digits and hyphens/],
    ['a misspelt key', { 'nmDispatcherHunt:alertEmail': 'soc@example.com' }, /^Context "nmDispatcherHunt:alertEmail" is not a key this app reads; did you mean "nmDispatcherHunt:alertEmails"\? Example: npx cdk deploy -c nmDispatcherHunt:alertEmails='soc@example.com,oncall@example.com'$/],
    ['a key in the wrong case', { 'nmdispatcherhunt:kibanaurl': 'https://kibana.example.com' }, /"nmdispatcherhunt:kibanaurl" is not a key this app reads; did you mean "nmDispatcherHunt:kibanaUrl"\?/],
    ['a misspelt prefix', { 'nmDispatchHunt:esSecret': 'other' }, /"nmDispatchHunt:esSecret" is not a key this app reads; did you mean "nmDispatcherHunt:esSecret"\?/],
    ['a key far from any', { 'nmDispatcherHunt:notifyEveryone': 'true' }, /"nmDispatcherHunt:notifyEveryone" is not a key this app reads; the keys are listed in README.md, "Context"\. Example:/],
  ];
  for (const [name, context, message] of cases) {
    it(`fails on ${name}`, () => {
      const problems = problemsOf(context);
      assert.equal(problems.length, 1, problems.join('\n'));
      assert.match(problems[0] as string, message);
    });
  }

  it('reports every problem at once, one line each', () => {
    const problems = problemsOf({ 'nmDispatcherHunt:alertEmail': 'x@example.com', 'nmDispatcherHunt:alertEmails': undefined, 'nmDispatcherHunt:lookbackDays': 0, 'nmDispatcherHunt:scheduleExpression': 'cron(0 2 * * *)' });
    assert.deepEqual(problems.map((p) => /^Context "([^"]+)"/.exec(p)?.[1]), ['nmDispatcherHunt:alertEmail', 'nmDispatcherHunt:alertEmails', 'nmDispatcherHunt:lookbackDays', 'nmDispatcherHunt:scheduleExpression']);
    for (const problem of problems) assert.match(problem, /Example: npx cdk deploy -c nmDispatcherHunt:\w+='[^']+'$/);
  });

  it('leaves keys of other tools alone', () => {
    assert.doesNotThrow(() => build({ '@aws-cdk/core:newStyleStackSynthesis': true, 'aws:cdk:enable-path-metadata': true, 'cli-telemetry': false }));
  });
});

describe('context that is fine', () => {
  it('accepts Slack alone, or subscribers acknowledged to live outside the stack, as the notification target', () => {
    assert.doesNotThrow(() => build({ 'nmDispatcherHunt:alertEmails': undefined, 'nmDispatcherHunt:slackWorkspaceId': 'T0123ABCD', 'nmDispatcherHunt:slackChannelId': 'C0123ABCD' }));
    assert.doesNotThrow(() => build({ 'nmDispatcherHunt:alertEmails': undefined, 'nmDispatcherHunt:subscribersOutsideStack': 'true' }));
  });

  it('accepts a threshold the hunt uses', () => {
    assert.doesNotThrow(() => build({ 'nmDispatcherHunt:thresholds': '{"dispatcher-child-process":{"maxEventCount":20},"dispatcher-script-write":{"maxAgentCount":2}}' }));
  });

  it('names the stack from context, or the default when it is absent or invalid (then synth fails on it)', () => {
    assert.equal(stackNameFromContext({ 'nmDispatcherHunt:stackName': 'NmDispatcherHunt-prod' }), 'NmDispatcherHunt-prod');
    assert.equal(stackNameFromContext({}), 'NmDispatcherHunt');
    assert.equal(stackNameFromContext({ 'nmDispatcherHunt:stackName': 'bad name' }), 'NmDispatcherHunt');
  });

  it('documents every key it reads in the README', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const { key } of Object.values(CONTEXT_KEYS)) assert.match(readme, new RegExp(`\\| \`${key}\` \\|`), key);
  });

  it('measures edit distance as insertions, deletions and substitutions', () => {
    assert.equal(editDistance('alertEmail', 'alertEmails'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
});

describe('npx cdk synth with bad context', () => {
  it('exits non-zero and prints one line per problem, without a stack trace', () => {
    const root = new URL('..', import.meta.url).pathname;
    const env = { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', CDK_DISABLE_CLI_TELEMETRY: 'true' };
    const result = spawnSync('npx', ['cdk', 'synth', '-q', '-o', mkdtempSync(join(tmpdir(), 'nmdh-bad-')),
      '-c', 'nmDispatcherHunt:esSecret=nm-dispatcher-hunt/elasticsearch',
      '-c', 'nmDispatcherHunt:alertEmail=soc@example.com',
      '-c', 'nmDispatcherHunt:scheduleExpression=cron(0 2 * * *)',
      '-c', 'nmDispatcherHunt:lookbackDays=400',
    ], { cwd: root, env, encoding: 'utf8' });
    assert.notEqual(result.status, 0);
    const output = result.stderr + result.stdout;
    const lines = output.split('\n').filter((line) => line.startsWith('Context "'));
    assert.equal(lines.length, 4, output);
    assert.match(output, /^Context "nmDispatcherHunt:alertEmail" is not a key this app reads; did you mean "nmDispatcherHunt:alertEmails"\?/m);
    assert.match(output, /^Context "nmDispatcherHunt:alertEmails" is not set and no Slack channel is either/m);
    assert.match(output, /^Context "nmDispatcherHunt:lookbackDays" is invalid: /m);
    assert.match(output, /^Context "nmDispatcherHunt:scheduleExpression" is not usable: cron\(0 2 \* \* \*\) must have six fields/m);
    assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
    assert.doesNotMatch(output, /ContextError/);
  });
});
