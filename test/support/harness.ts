import type { AlertReport } from '../../functions/core/alert-report';
import { fingerprintOf, identityDigestsOf, type Finding } from '../../functions/core/finding';
import { maskInterfaceNames } from '../../functions/core/hunts/interface-names';
import { indicatorsIn } from '../../functions/core/severity/indicators';
import { HUNTS, huntById } from '../../functions/core/hunts';
import type { HuntDefinition, HuntId } from '../../functions/core/hunts/hunt-definition';
import type { HuntRows } from '../../functions/core/esql-result';
import type { HuntRunner, Notifier } from '../../functions/core/ports';
import type { RunLog } from '../../functions/core/nightly-run';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A finding as a hunt would return it; identity fields left out are null. */
export function finding(huntId: HuntId, identity: Record<string, string | null>, over: Partial<Finding> = {}): Finding {
  const hunt = huntById(huntId)!;
  const full = Object.fromEntries(hunt.identityFields.map((f) => [f, identity[f] ?? null]));
  const read = (fields: readonly string[]) => fields.map((f) => full[f]).filter((v): v is string => typeof v === 'string');
  return {
    huntId,
    fingerprint: fingerprintOf(hunt, full),
    identity: full,
    identityDigests: identityDigestsOf(hunt, full),
    eventCount: 1,
    agentCount: 1,
    firstSeen: '2026-11-20T02:00:00.000Z',
    lastSeen: '2026-11-24T02:00:00.000Z',
    hostNames: ['web-01'],
    agentIds: ['agent-01'],
    context: {},
    indicators: indicatorsIn({ commandLines: read(hunt.severityInputs.commandLines), executables: read(hunt.severityInputs.executables) }),
    ...over,
  };
}

/** A write of `path` by `writer` on one agent (its own finding), as the write hunt returns it. */
export const writeFinding = (path: string, writer: string | null = '/usr/bin/bash', over: Partial<Finding> = {}) => {
  const hunt = huntById('dispatcher-script-write')!;
  const agentId = over.agentIds?.[0] ?? 'agent-01';
  return finding('dispatcher-script-write', { 'file.path': path, 'process.executable': writer, agent: agentId }, {
    coveredBy: fingerprintOf(hunt, { 'file.path': path, 'process.executable': writer, agent: null, 'file.hash.sha256': null }),
    ...over,
  });
};

/** A content (hash) of `path`, recorded quietly with the writes in `quietWith` when they are new. */
export const contentFinding = (path: string, hash: string, over: Partial<Finding> = {}) =>
  finding('dispatcher-script-write', { 'file.path': path, 'file.hash.sha256': hash }, over);

/** A process started by a dispatcher script; the command line is masked as the query masks it. */
export const childFinding = (parentScript: string, executable: string, commandLine: string, over: Partial<Finding> = {}) =>
  finding('dispatcher-script-child', { parent_script: parentScript, 'process.executable': executable, masked_command_line: maskInterfaceNames(commandLine) }, over);

/** A run of a dispatcher script by nm-dispatcher. */
export const runFinding = (script: string, over: Partial<Finding> = {}) => finding('dispatcher-script-run', { script }, over);

/** Returns the findings set for each hunt; a hunt can be made to fail or to wait for a signal. */
export class ScriptedRunner implements HuntRunner {
  findings: Finding[] = [];
  failures = new Map<string, Error>();
  /** Hunts whose index patterns match nothing. */
  withoutData = new Set<string>();
  /** Hunts whose answer Elasticsearch marks is_partial. */
  partial = new Set<string>();
  /** Rare groups past the cap, per hunt, for answers cut at the row cap. */
  rowsCut = new Map<string, number>();
  warnings = new Map<string, string[]>();
  gate?: Promise<void>;
  calls = 0;

  async run(hunt: HuntDefinition): Promise<HuntRows> {
    this.calls++;
    if (this.gate) await this.gate;
    const failure = this.failures.get(hunt.id);
    if (failure) throw failure;
    if (this.withoutData.has(hunt.id)) return { findings: [], rows: 0, truncated: false, partial: false, noData: true, warnings: [] };
    const findings = this.findings.filter((f) => f.huntId === hunt.id);
    const cut = this.rowsCut.get(hunt.id);
    return { findings, rows: findings.length, truncated: cut !== undefined, ...(cut !== undefined ? { rowsCut: cut } : {}), partial: this.partial.has(hunt.id), noData: false, warnings: this.warnings.get(hunt.id) ?? [] };
  }
}

/** Records every report; can fail the next publishes. */
export class RecordingNotifier implements Notifier {
  reports: AlertReport[] = [];
  failNext = 0;
  private sequence = 0;

  async publish(report: AlertReport): Promise<string> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SNS is unavailable (injected)');
    }
    this.reports.push(report);
    return `message-${++this.sequence}`;
  }

  /** Fingerprints alerted, across all reports, with repetitions. */
  alertedFingerprints(): string[] {
    return this.reports.flatMap((r) => (r.kind === 'new-findings' ? r.alerts.map((a) => a.entry.fingerprint) : []));
  }
}

export class Clock {
  constructor(public current = new Date('2026-11-25T02:00:00.000Z')) {}
  now = () => new Date(this.current);
  advanceHours(hours: number) {
    this.current = new Date(this.current.getTime() + hours * 3_600_000);
  }
}

export const silentLog: RunLog = { info() {}, warn() {}, error() {} };

export function capturingLog(lines: string[]): RunLog {
  const write = (level: string) => (message: string, details?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...details }));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

/** Counts the DynamoDB commands a client sends, by name. */
export function countCommands(client: DynamoDBClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: `count-commands-${Math.random()}` },
  );
  return counts;
}

export { HUNTS };
