import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionSecrets, type ElasticsearchConnection } from '../functions/adapters/elasticsearch-connection';
import { progressLog } from '../functions/cli/terminal';
import type { AlertReport } from '../functions/core/alert-report';
import { Redactor } from '../functions/core/redact';
import { RedactingNotifier } from '../functions/core/redacting-notifier';
import { childFinding } from './support/harness';
import { alertFor, newFindingsReport } from './support/reports';
import { safeRunLog } from '../functions/core/safe-log';

/** Everything a run's log receives, as CloudWatch would store it: one JSON record per line. */
function logThrough(connection: ElasticsearchConnection, write: (log: ReturnType<typeof safeRunLog>) => void): { lines: string[]; records: Record<string, unknown>[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, details: Record<string, unknown>) => lines.push(JSON.stringify({ level, message, ...details }));
  write(safeRunLog({ info: record('info'), warn: record('warn'), error: record('error') }, new Redactor(connectionSecrets(connection))));
  return { lines, records: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const NODE = 'https://es.example.com:9200';
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');

describe('log redaction walks the structure', () => {
  it('keeps a record whole when the password is `false`: booleans stay booleans, the word is redacted', () => {
    const { records } = logThrough({ node: NODE, username: 'hunt-reader', password: 'false' }, (log) =>
      log.info('hunt finished', { huntId: 'dispatcher-script-write', truncated: false, partial: false, summary: { learning: false, note: 'remembered false' } }),
    );
    assert.deepEqual(records[0], { level: 'info', message: 'hunt finished', huntId: 'dispatcher-script-write', truncated: false, partial: false, summary: { learning: false, note: 'remembered [REDACTED]' } });
  });

  it('redacts a password holding quotes and backslashes, raw and as JSON quotes it', () => {
    const password = 'a"b\\c-7Q';
    const { lines } = logThrough({ node: NODE, username: 'hunt-reader', password }, (log) =>
      log.error('hunt failed', { error: `Elasticsearch answered 500: {"request":{"password":${JSON.stringify(password)}}} and raw ${password}` }),
    );
    const text = lines.join('\n');
    for (const form of [password, JSON.stringify(password).slice(1, -1), JSON.stringify(JSON.stringify(password)).slice(1, -1)]) assert.ok(!text.includes(form), `${form} in ${text}`);
    assert.equal((text.match(/\[REDACTED\]/g) ?? []).length, 2);
  });

  for (const password of ['"', '\\', 'a"b\\c']) {
    it(`never breaks a record for the password ${JSON.stringify(password)}, and redacts it where it stands alone`, () => {
      const { records } = logThrough({ node: NODE, username: 'hunt-reader', password }, (log) => log.warn('retrying Elasticsearch', { attempt: 2, ok: false, error: `login ${password} refused` }));
      assert.deepEqual(records[0], { level: 'warn', message: 'retrying Elasticsearch', attempt: 2, ok: false, error: 'login [REDACTED] refused' });
    });
  }

  it('leaves keys and ordinary words alone: a password that is a common word is redacted only in values', () => {
    const { records } = logThrough({ node: NODE, username: 'hunt-reader', password: 'error' }, (log) => log.error('publish failed', { error: 'SNS said error 500', pending: 2 }));
    assert.deepEqual(records[0], { level: 'error', message: 'publish failed', error: 'SNS said [REDACTED] 500', pending: 2 });
  });

  it('redacts the user name as a whole token only, so `elastic` does not mangle `@elastic/elasticsearch`', () => {
    const { records } = logThrough({ node: NODE, username: 'elastic', password: 'changeme-8f3b' }, (log) =>
      log.error('hunt failed', { error: 'action [indices:data/read/esql] is unauthorized for user [elastic] (client @elastic/elasticsearch 9.4, user "elastic")' }),
    );
    assert.equal(records[0]!.error, 'action [indices:data/read/esql] is unauthorized for user [[REDACTED]] (client @elastic/elasticsearch 9.4, user "[REDACTED]")');
  });

  it('redacts `username:password` as Basic auth, base64 inside an error message', () => {
    const { lines } = logThrough({ node: NODE, username: 'elastic', password: 'false' }, (log) =>
      log.error('hunt failed', { error: `proxy rejected Authorization: Basic ${basic('elastic', 'false')}` }),
    );
    assert.ok(!lines[0]!.includes(basic('elastic', 'false')), lines[0]);
    assert.match(lines[0]!, /Basic \[REDACTED\]/);
  });

  it('redacts a secret inside longer base64, at any byte alignment, and in URL-safe base64', () => {
    const password = 'correct-horse-battery-staple-42';
    for (const prefix of ['', 'x', 'xy', 'token=']) {
      const blob = Buffer.from(`${prefix}${password}|tail`).toString('base64');
      const { lines } = logThrough({ node: NODE, username: 'hunt-reader', password }, (log) => log.warn('retrying Elasticsearch', { error: `echo ${blob} / ${blob.replace(/\+/g, '-').replace(/\//g, '_')}` }));
      const core = Buffer.from(password).toString('base64').slice(4, 20);
      assert.ok(!lines[0]!.includes(core) && /\[REDACTED\]/.test(lines[0]!), `${prefix}: ${lines[0]}`);
    }
  });

  it('redacts a URL-encoded password in a URL, in upper- and lower-case hex', () => {
    const password = 'p@ss word/&=+?#ü';
    const encoded = encodeURIComponent(password);
    const { lines } = logThrough({ node: NODE, username: 'hunt-reader', password }, (log) =>
      log.error('hunt failed', { error: `GET https://proxy.example/login?user=hunt-reader&password=${encoded} and ?p=${encoded.toLowerCase()} and form ${encoded.replace(/%20/g, '+')}` }),
    );
    assert.ok(!lines[0]!.includes(encoded) && !lines[0]!.includes(encoded.toLowerCase()), lines[0]);
    assert.equal((lines[0]!.match(/\[REDACTED\]/g) ?? []).length, 3);
  });

  it('redacts the API key, its decoded id:key and the key alone', () => {
    const apiKey = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');
    const { lines } = logThrough({ node: NODE, apiKey }, (log) => log.error('hunt failed', { error: `key ${apiKey}; decoded VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw; key alone ui2lp2axTNmsyakw9tvNnw` }));
    assert.ok(!/ui2lp2axTNmsyakw9tvNnw|VnVhQ2ZH/.test(lines[0]!), lines[0]);
  });

  it("redacts a node URL's query string and userinfo", () => {
    const secrets = new Redactor(connectionSecrets({ node: 'https://es.example.com:9200/?access_token=tok-93ab71f2', apiKey: 'aWQ6a2V5LXZhbHVlLTEyMzQ=' }));
    assert.equal(secrets.text('GET /_query?access_token=tok-93ab71f2'), 'GET /_query?[REDACTED]');
    assert.equal(secrets.text('token tok-93ab71f2 expired'), 'token [REDACTED] expired');
    const withUserinfo = new Redactor(connectionSecrets({ node: 'https://reader-bot:s3cr%2Fet@es.example.com', apiKey: 'aWQ6a2V5LXZhbHVlLTEyMzQ=' }));
    assert.equal(withUserinfo.text('user reader-bot with s3cr/et at es.example.com'), 'user [REDACTED] with [REDACTED] at es.example.com');
  });

  it('redacts credentials a Cloud id carries before its host', () => {
    const cloudId = `prod:${Buffer.from('cloud-user:cl0ud-pass@eu-west-1.aws.found.io$abcdef$ghijk').toString('base64')}`;
    const secrets = new Redactor(connectionSecrets({ cloudId, apiKey: 'aWQ6a2V5LXZhbHVlLTEyMzQ=' }));
    assert.equal(secrets.text(`cloud ${cloudId} pass cl0ud-pass`), 'cloud [REDACTED] pass [REDACTED]');
  });

  it('walks arrays, nested objects and errors, and survives cycles', () => {
    const secrets = new Redactor({ anywhere: ['hunter2-secret'], tokens: [] });
    const cyclic: Record<string, unknown> = { list: ['a hunter2-secret b', 3, true, null], error: new Error('bad hunter2-secret') };
    cyclic.self = cyclic;
    assert.deepEqual(secrets.value(cyclic), { list: ['a [REDACTED] b', 3, true, null], error: { name: 'Error', message: 'bad [REDACTED]' }, self: '[circular]' });
  });

  it('redacts and escapes the CLI progress log', () => {
    const written: string[] = [];
    progressLog({ write: (t) => written.push(t) }, new Redactor(connectionSecrets({ node: NODE, username: 'hunt-reader', password: 'false' }))).warn('retrying Elasticsearch\u202e', {
      error: 'password false rejected',
      ok: false,
    });
    assert.equal(written.join(''), 'WARN: retrying Elasticsearch\\u202e (error=password [REDACTED] rejected ok=false)\n');
  });

  it('keeps secrets out of the published message: problem lines and command lines, not fingerprints', async () => {
    const published: AlertReport[] = [];
    const notifier = new RedactingNotifier({ publish: async (report) => (published.push(report), 'mid') }, new Redactor(connectionSecrets({ node: NODE, username: 'elastic', password: 'changeme-8f3b' })));
    const alert = alertFor(childFinding('/etc/NetworkManager/dispatcher.d/50-sync', '/usr/bin/curl', 'curl -u elastic:changeme-8f3b https://es.example.com:9200'), 'new child /usr/bin/curl');
    await notifier.publish(newFindingsReport([alert], { problems: ['dispatcher-script-write failed: proxy said Basic ZWxhc3RpYzpjaGFuZ2VtZS04ZjNi'] }));
    const [report] = published as [Extract<AlertReport, { kind: 'new-findings' }>];
    assert.equal(report.alerts[0]!.entry.identity.masked_command_line, 'curl -u [REDACTED] https://es.example.com:9200');
    assert.equal(report.alerts[0]!.entry.fingerprint, alert.entry.fingerprint);
    assert.deepEqual(report.summary.problems, ['dispatcher-script-write failed: proxy said Basic [REDACTED]']);
  });
});
