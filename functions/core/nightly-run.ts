import type { BaselineEntry, Claim } from './baseline';
import { planBaseline, type BaselinePlan } from './baseline-plan';
import type { Alert, AlertReport } from './alert-report';
import { forEachLimited } from './concurrency';
import { errorMessage } from './errors';
import type { HuntRows } from './esql-result';
import type { HuntDefinition } from './hunts/hunt-definition';
import { explainNovelty } from './novelty';
import type { BaselineStore, HuntRunner, Notifier } from './ports';
import type { HuntSummary, RunSummary } from './run-summary';

/** Progress and problems, for a JSON logger or a terminal. */
export interface RunLog {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface RunOptions {
  readonly runId: string;
  /** Record everything as learned even when the baseline is not empty. */
  readonly forceLearning?: boolean;
  /** Print what would happen: no baseline writes, no publish. */
  readonly dryRun?: boolean;
  /** How long a run may hold pending entries before another run may alert them: longer than a run lasts. */
  readonly claimLeaseMs?: number;
  /** Sibling entries read to explain each new finding. */
  readonly siblingLimit?: number;
}

export interface RunDependencies {
  readonly hunts: readonly HuntDefinition[];
  readonly runner: HuntRunner;
  readonly store: BaselineStore;
  readonly notifier: Notifier;
  readonly clock: () => Date;
  readonly log: RunLog;
}

/** Longer than a run can last (the Lambda timeout is 10 minutes). */
export const DEFAULT_CLAIM_LEASE_MS = 20 * 60_000;

/**
 * One nightly run: hunts → plan against the baseline → claim new findings as pending →
 * publish one message → mark alerted → record known findings. A failed hunt does not stop the
 * others; the run then ends as failed, after publishing what it has.
 */
export async function runNightlyHunt(deps: RunDependencies, options: RunOptions): Promise<RunSummary> {
  const { store, log, clock } = deps;
  const startedAt = clock();
  const problems: string[] = [];
  const results = await runHunts(deps, problems);
  const findings = results.flatMap((r) => (r.rows ? r.rows.findings : []));

  const initialised = await store.initialisedHunts();
  const learning = new Set(deps.hunts.filter((h) => options.forceLearning === true || !initialised.has(h.id)).map((h) => h.id));
  const existing = await store.getMany(findings.map((f) => f.fingerprint));
  const pending = await store.listPending();
  const claim: Claim = { runId: options.runId, expiresAt: new Date(startedAt.getTime() + (options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS)).toISOString() };
  const plan = planBaseline({ findings, existing, pending, hunts: deps.hunts, learning, now: startedAt, claim });
  log.info('baseline compared', { learning: [...learning], findings: findings.length, fresh: plan.fresh.length, republish: plan.republish.length, known: plan.known.length, claimedElsewhere: plan.claimedElsewhere.length });

  const summarise = (extra: { alerted: number; messageId?: string; claimed: BaselineEntry[] }): RunSummary =>
    buildSummary(deps, options, startedAt, results, plan, learning, problems, extra);

  if (options.dryRun) {
    const claimed = [...plan.fresh, ...plan.republish];
    const report = claimed.length === 0 ? baselineReport(summarise({ alerted: 0, claimed })) : await alertReport(deps, claimed, plan, summarise({ alerted: 0, claimed }), options);
    if (claimed.length > 0 || plan.learned.length > 0) await deps.notifier.publish(report);
    return summarise({ alerted: 0, claimed });
  }

  await store.putMany(plan.learned);
  // A hunt has learned once it answered; one that failed or found no index keeps learning next run.
  const learnedNow = results.filter((r) => learning.has(r.hunt.id) && r.rows && !r.rows.noData && !initialised.has(r.hunt.id)).map((r) => r.hunt.id);
  if (learnedNow.length > 0) await store.markInitialised(learnedNow);
  const claimed = await claimAll(store, plan, startedAt);
  let alerted = 0;
  let messageId: string | undefined;
  if (claimed.length > 0 || plan.learned.length > 0) {
    const report = claimed.length > 0 ? await alertReport(deps, claimed, plan, summarise({ alerted: 0, claimed }), options) : baselineReport(summarise({ alerted: 0, claimed }));
    try {
      messageId = await deps.notifier.publish(report);
      log.info('notification published', { messageId, alerts: claimed.length });
    } catch (error) {
      problems.push(`Publishing the notification failed: ${errorMessage(error)}. ${claimed.length} new finding(s) stay pending and are re-published by the next run.`);
      log.error('publish failed', { error: errorMessage(error), pending: claimed.length });
      await store.releaseClaims(claimed.map((e) => e.fingerprint), options.runId).catch((releaseError: unknown) => {
        log.warn('could not release claims; they lapse at the end of the lease', { error: errorMessage(releaseError) });
      });
    }
    if (messageId !== undefined && claimed.length > 0) {
      const unmarked = await store.markAlerted(claimed.map((e) => e.fingerprint), options.runId, messageId, clock());
      alerted = claimed.length - unmarked.length;
      if (unmarked.length > 0) {
        problems.push(`${unmarked.length} alerted finding(s) could not be marked alerted; they may be published once more after their claim lapses.`);
      }
    }
  }
  await store.putMany(plan.known);
  const summary = summarise({ alerted, messageId, claimed });
  log.info('run finished', { summary });
  return summary;
}

async function runHunts(deps: RunDependencies, problems: string[]): Promise<{ hunt: HuntDefinition; rows?: HuntRows; error?: string }[]> {
  return Promise.all(
    deps.hunts.map(async (hunt) => {
      deps.log.info('hunt started', { huntId: hunt.id });
      try {
        const rows = await deps.runner.run(hunt);
        deps.log.info('hunt finished', { huntId: hunt.id, rows: rows.findings.length, truncated: rows.truncated, partial: rows.partial, noData: rows.noData });
        if (rows.truncated) problems.push(`${hunt.id} returned its row limit of ${hunt.rowLimit}: rarer rows are listed first, more common ones may be missing. Narrow the lookback or add exclusions.`);
        if (rows.partial) problems.push(`${hunt.id}: Elasticsearch returned partial results (is_partial): some shards or clusters did not answer.`);
        if (rows.noData) {
          problems.push(`${hunt.id} found no index matching ${hunt.indexPatterns.join(', ')} (or the extra patterns): no data from this source, so the hunt is blind. Check that Elastic Defend ships these events and that the credentials may see them.`);
          deps.log.warn('no index matched', { huntId: hunt.id });
        }
        return { hunt, rows };
      } catch (error) {
        const message = errorMessage(error);
        problems.push(`${hunt.id} failed: ${message}`);
        deps.log.error('hunt failed', { huntId: hunt.id, error: message });
        return { hunt, error: message };
      }
    }),
  );
}

/** Conditional writes, so that two overlapping runs never both alert one fingerprint. */
async function claimAll(store: BaselineStore, plan: BaselinePlan, now: Date): Promise<BaselineEntry[]> {
  const claimed: BaselineEntry[] = [];
  await forEachLimited(plan.fresh, 8, async (entry) => {
    if (await store.createPending(entry)) claimed.push(entry);
  });
  await forEachLimited(plan.republish, 8, async (entry) => {
    if (await store.claimPending(entry, now)) claimed.push(entry);
  });
  return claimed;
}

async function alertReport(deps: RunDependencies, claimed: BaselineEntry[], plan: BaselinePlan, summary: RunSummary, options: RunOptions): Promise<AlertReport> {
  const republished = new Set(plan.republish.map((e) => e.fingerprint));
  const siblingsByAnchor = new Map<string, BaselineEntry[]>();
  await forEachLimited([...new Set(claimed.map((e) => e.anchorKey))], 8, async (anchorKey) => {
    siblingsByAnchor.set(anchorKey, await deps.store.siblings(anchorKey, options.siblingLimit ?? 25));
  });
  const alerts: Alert[] = claimed.map((entry) => {
    const hunt = deps.hunts.find((h) => h.id === entry.huntId) as HuntDefinition;
    const siblings = (siblingsByAnchor.get(entry.anchorKey) ?? []).filter((s) => s.status !== 'pending');
    return { hunt, entry, novelty: explainNovelty(hunt, entry, siblings), republished: republished.has(entry.fingerprint) };
  });
  return { kind: 'new-findings', summary, alerts };
}

const baselineReport = (summary: RunSummary): AlertReport => ({ kind: 'baseline-initialised', summary });

function buildSummary(
  deps: RunDependencies,
  options: RunOptions,
  startedAt: Date,
  results: { hunt: HuntDefinition; rows?: HuntRows; error?: string }[],
  plan: BaselinePlan,
  learning: ReadonlySet<string>,
  problems: string[],
  extra: { alerted: number; messageId?: string; claimed: BaselineEntry[] },
): RunSummary {
  const finishedAt = deps.clock();
  const claimedIds = new Set(extra.claimed.map((e) => e.fingerprint));
  const byHunt = (entries: BaselineEntry[], huntId: string) => entries.filter((e) => e.huntId === huntId).length;
  const hunts: HuntSummary[] = results.map(({ hunt, rows, error }) => ({
    huntId: hunt.id,
    status: error !== undefined ? 'failed' : rows?.noData ? 'no-data' : 'ok',
    learning: learning.has(hunt.id),
    rows: rows?.findings.length ?? 0,
    truncated: rows?.truncated ?? false,
    partial: rows?.partial ?? false,
    new: extra.claimed.filter((e) => e.huntId === hunt.id).length,
    known: byHunt(plan.known, hunt.id),
    learned: byHunt(plan.learned, hunt.id),
    ...(error !== undefined ? { error } : {}),
  }));
  const huntsFailed = hunts.filter((h) => h.status === 'failed').length;
  // Partial results alert what they hold, and a hunt without data reports nothing: either way the run
  // fails, so that a degraded cluster or a missing data source is never a silent success.
  const failed = huntsFailed > 0 || hunts.some((h) => h.partial || h.status === 'no-data') || problems.some((p) => p.startsWith('Publishing') || p.includes('could not be marked'));
  return {
    runId: options.runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    outcome: failed ? 'failed' : 'succeeded',
    learning: learning.size > 0,
    dryRun: options.dryRun === true,
    hunts,
    totals: {
      findings: results.reduce((n, r) => n + (r.rows?.findings.length ?? 0), 0),
      new: plan.fresh.filter((e) => claimedIds.has(e.fingerprint)).length,
      republished: plan.republish.filter((e) => claimedIds.has(e.fingerprint)).length,
      known: plan.known.length,
      learned: plan.learned.length,
      claimedElsewhere: plan.claimedElsewhere.length,
      alerted: extra.alerted,
      huntsFailed,
    },
    ...(extra.messageId !== undefined ? { messageId: extra.messageId } : {}),
    problems: [...problems],
  };
}

