import { DynamoDbBaselineStore } from '../../adapters/dynamodb-baseline-store';
import { ElasticsearchHuntRunner, createElasticsearchClient } from '../../adapters/elasticsearch-hunt-runner';
import type { AlertReport } from '../../core/alert-report';
import { defaultHuntConfig, type HuntConfig } from '../../core/hunt-config';
import { HUNTS } from '../../core/hunts';
import type { HuntDefinition } from '../../core/hunts/hunt-definition';
import { runNightlyHunt, type RunLog } from '../../core/nightly-run';
import type { Notifier } from '../../core/ports';
import type { RunSummary } from '../../core/run-summary';
import { startEmbeddedDynamoDb } from '../embedded-dynamodb';
import { generateFleet, type Fleet, type FleetNight, type FleetOptions } from '../fleet';
import { startFleetCluster, type QueryRecord } from './fleet-cluster';

/** One published alert, as the replay checks it. */
export interface ReplayAlert {
  readonly huntId: string;
  readonly fingerprint: string;
  readonly identity: Readonly<Record<string, string | null>>;
  readonly novelty: string;
  readonly agentIds: readonly string[];
  readonly severity?: string;
}

/** What one nightly run of the replay saw and sent. */
export interface ReplayNight {
  readonly night: FleetNight;
  readonly summary: RunSummary;
  /** The message the run published, if any. */
  readonly report?: AlertReport;
  readonly alerts: readonly ReplayAlert[];
  readonly queries: readonly QueryRecord[];
  /** Wall time of the run minus the evaluator's share: what the handler itself cost. */
  readonly handlerMs: number;
}

export interface ReplayOptions {
  readonly fleet: FleetOptions;
  /** Regenerate events for every query instead of holding them: for fleets too large for memory. */
  readonly stream?: boolean;
  readonly hunts?: readonly HuntDefinition[];
  readonly config?: HuntConfig;
  /** Called after each night, e.g. to print progress. */
  readonly onNight?: (night: ReplayNight) => void;
  readonly log?: RunLog;
}

export interface Replay {
  readonly fleet: Fleet;
  readonly events: number;
  readonly nights: readonly ReplayNight[];
}

const quiet: RunLog = { info() {}, warn() {}, error() {} };

/**
 * Replays a generated fleet through the real nightly run: the learning run at the end of the history,
 * then one run per replay night, each against the events ingested by then, with the real Elasticsearch
 * client over HTTP, the real DynamoDB adapter on an embedded DynamoDB, and published reports captured.
 */
export async function replayFleet(options: ReplayOptions): Promise<Replay> {
  const fleet = generateFleet(options.fleet);
  const events = options.stream === true ? () => fleet.events() : [...fleet.events()];
  const hunts = options.hunts ?? HUNTS;
  const config = options.config ?? defaultHuntConfig();
  const db = await startEmbeddedDynamoDb();
  const cluster = await startFleetCluster(events);
  try {
    const store = new DynamoDbBaselineStore(db.client, await db.createTable());
    const runner = new ElasticsearchHuntRunner(createElasticsearchClient({ node: cluster.standIn.url, apiKey: 'cmVwbGF5OnJlcGxheQ==' }), config);
    const lastHistoryNight = fleet.nights.filter((n) => n.phase === 'history').at(-1);
    const runNights = [...(lastHistoryNight ? [lastHistoryNight] : []), ...fleet.nights.filter((n) => n.phase === 'replay')];
    const nights: ReplayNight[] = [];
    for (const night of runNights) {
      const runAt = new Date(night.runAt);
      cluster.setTime(runAt);
      let report: AlertReport | undefined;
      const notifier: Notifier = {
        publish: (published) => {
          report = published;
          return Promise.resolve(`replay-message-${night.day}`);
        },
      };
      const started = performance.now();
      const summary = await runNightlyHunt(
        { hunts, runner, store, notifier, clock: () => new Date(runAt.getTime() + (performance.now() - started)), log: options.log ?? quiet },
        { runId: `replay-${String(fleet.seed)}-${night.day}`, deadline: runAt.getTime() + 600_000 },
      );
      const wallMs = performance.now() - started;
      const queries = cluster.takeQueries();
      const result: ReplayNight = { night, summary, report, alerts: alertsOf(report), queries, handlerMs: wallMs - queries.reduce((sum, q) => sum + q.evaluatorMs, 0) };
      nights.push(result);
      options.onNight?.(result);
    }
    return { fleet, events: typeof events === 'function' ? countOf(events()) : events.length, nights };
  } finally {
    await cluster.close();
    await db.close();
  }
}

function countOf(events: Iterable<unknown>): number {
  let count = 0;
  for (const _ of events) count++;
  return count;
}

function alertsOf(report: AlertReport | undefined): ReplayAlert[] {
  if (report?.kind !== 'new-findings') return [];
  return report.alerts.map(({ hunt, entry, novelty }) => ({
    huntId: hunt.id,
    fingerprint: entry.fingerprint,
    identity: entry.identity,
    novelty,
    agentIds: entry.agentIds,
    ...('severity' in entry && typeof entry.severity === 'string' ? { severity: entry.severity } : {}),
  }));
}
