import type { BaselineEntry } from './baseline';
import { coveringFingerprints, planBaseline, type BaselinePlan } from './baseline-plan';
import { catchUpProblem } from './catch-up';
import { leaseTerms } from './claim-lease';
import { errorMessage } from './errors';
import type { HuntRows } from './esql-result';
import { ROW_CAP, type HuntDefinition } from './hunts/hunt-definition';
import type { BaselineStore, HuntRunner, Notifier } from './ports';
import type { Alert } from './alert-report';
import { alertsFor, claimedElsewhereProblem, plural, publishClaimed, type PublishOutcome } from './publish-claimed';
import type { HuntSummary, RunSummary } from './run-summary';

/** Progress and problems, for a JSON logger or a terminal. */
export interface RunLog {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface RunOptions {
  /** Lambda's request id (kept by its retries), or a CLI run's own id. */
  readonly runId: string;
  /** Record tonight's new findings as learned instead of alerting them: a deliberate CLI action, never an invocation flag. */
  readonly forcedLearning?: ForcedLearning;
  /** Print what would happen: no baseline writes, no publish. */
  readonly dryRun?: boolean;
  /** Epoch ms on the run's clock after which it starts no publish: the Lambda's end, or a deadline the CLI states. */
  readonly deadline?: number;
  /** How long claims last from the start of the run; must outlive the deadline (see leaseTerms). */
  readonly claimLeaseMs?: number;
  /** Sibling entries read to explain each new finding. */
  readonly siblingLimit?: number;
  /** Hunts the deployment turned off: not run, not learning; their pending entries are still published. */
  readonly disabledHunts?: readonly string[];
}

export interface ForcedLearning {
  /** Who forces it: named in the message. */
  readonly by: string;
  /** Shown every entry about to be learned, before anything is written; false writes nothing. */
  confirm(entries: readonly BaselineEntry[]): Promise<boolean>;
}

export interface RunDependencies {
  readonly hunts: readonly HuntDefinition[];
  readonly runner: HuntRunner;
  readonly store: BaselineStore;
  readonly notifier: Notifier;
  readonly clock: () => Date;
  readonly log: RunLog;
}

type HuntResult = { hunt: HuntDefinition; rows?: HuntRows; error?: string };

/**
 * One nightly run: hunts → plan against the baseline → claim new findings as pending →
 * publish one message → mark alerted → record what changed in known findings. A failed hunt does not stop the
 * others; the run then ends as failed, after publishing what it has. Every write is conditional on what the run
 * read, so that an analyst's approve, forget or import made meanwhile stands.
 */
export async function runNightlyHunt(deps: RunDependencies, options: RunOptions): Promise<RunSummary> {
  const { store, log, clock } = deps;
  const startedAt = clock();
  const lease = leaseTerms(options.runId, startedAt, options.deadline, options.claimLeaseMs);
  const problems: string[] = [];
  const disabled = new Set(options.disabledHunts ?? []);
  const enabled = deps.hunts.filter((h) => !disabled.has(h.id));
  const answered = await store.lastAnswered();
  // A hunt split from an earlier one inherits its state (last complete answer, learning) through its aliases.
  const inherited = <T>(hunt: HuntDefinition | undefined, has: (id: string) => T | undefined) => [hunt?.id ?? '', ...(hunt?.aliases ?? [])].map(has).find((v) => v !== undefined);
  const readSince = (huntId: string) => {
    const at = inherited(deps.hunts.find((h) => h.id === huntId), (id) => answered.get(id));
    return at !== undefined ? new Date(at) : undefined;
  };
  for (const hunt of enabled) {
    const problem = catchUpProblem(hunt.id, readSince(hunt.id), startedAt);
    if (problem) problems.push(problem);
  }
  const results = await runHunts({ ...deps, hunts: enabled }, problems, readSince);
  const findings = results.flatMap((r) => (r.rows ? r.rows.findings : []));

  const initialised = await store.initialisedHunts();
  const isInitialised = (hunt: HuntDefinition) => inherited(hunt, (id) => (initialised.has(id) ? true : undefined)) === true;
  const forced = options.forcedLearning;
  const learning = new Set(enabled.filter((h) => forced !== undefined || !isInitialised(h)).map((h) => h.id));
  const existing = await store.getMany(findings.map((f) => f.fingerprint));
  // Fleet-wide approvals are read only for findings the baseline does not know: reads stay proportional to what is new.
  const covers = await store.getMany(coveringFingerprints(findings, existing));
  for (const [fingerprint, entry] of covers) existing.set(fingerprint, entry);
  const pending = await store.listPending();
  const plan = planBaseline({ findings, existing, pending, hunts: deps.hunts, learning, now: startedAt, claim: lease.claim });
  log.info('baseline compared', { learning: [...learning], findings: findings.length, fresh: plan.fresh.length, quiet: plan.quiet.length, republish: plan.republish.length, known: plan.known.length, observed: plan.observed.length, claimedElsewhere: plan.claimedElsewhere.length });

  // Learning ends with a hunt's first complete answer, or one cut at the cap; never with a failed, partial or blind one.
  const learningEnds = new Set(results.filter((r) => learning.has(r.hunt.id) && !isInitialised(r.hunt) && r.rows && !r.rows.noData && !r.rows.partial).map((r) => r.hunt.id));
  let declined = false;
  const summarise = (outcome: Partial<PublishOutcome> & Pick<PublishOutcome, 'published' | 'claimedElsewhere'>): RunSummary =>
    buildSummary(deps, options, startedAt, results, plan, { learning, learningEnds, declined }, problems, outcome);

  if (options.dryRun) {
    const wouldClaim = [...plan.fresh, ...plan.republish];
    if (plan.claimedElsewhere.length > 0) problems.push(claimedElsewhereProblem(plan.claimedElsewhere));
    const summary = summarise({ published: [], claimedElsewhere: plan.claimedElsewhere });
    if (wouldClaim.length > 0) await deps.notifier.publish({ kind: 'new-findings', summary, alerts: await alertsFor(deps, wouldClaim, plan, options) });
    else if (plan.learned.length > 0) await deps.notifier.publish({ kind: 'baseline-initialised', summary });
    else if (summary.hunts.some((h) => h.truncated)) await deps.notifier.publish({ kind: 'problems', summary });
    return summary;
  }

  let learnedAlerts: Alert[] = [];
  if (forced) {
    if (!(await forced.confirm(plan.learned))) {
      declined = true;
      problems.push('Forced learning was not confirmed: nothing was written and nothing published.');
      return summarise({ published: [], claimedElsewhere: plan.claimedElsewhere });
    }
    learnedAlerts = await forcedLearningAlerts(deps, forced, plan, options, problems);
  }
  const existed = await store.createLearned([...plan.learned, ...plan.quiet]);
  if (existed.length > 0) log.info('learned entries written meanwhile by someone else: left as they are', { count: existed.length });
  if (learningEnds.size > 0) await store.markInitialised([...learningEnds]);
  for (const r of results) {
    if (learningEnds.has(r.hunt.id) && r.rows?.truncated) {
      const cut = r.rows.rowsCut !== undefined ? `${count(r.rows.rowsCut)} rare groups` : 'an unknown number of rare groups';
      problems.push(`${r.hunt.id} finished learning on an answer cut at the ${count(ROW_CAP)}-row cap: ${cut} past it were not learned and are alerted as new when they appear.`);
    }
  }
  const outcome = await publishClaimed(deps, options, {
    plan,
    lease,
    learnedAlerts,
    announceLearning: learningEnds.size > 0,
    // A cut answer is the one problem an analyst hears about even on a quiet night (BRIEF "Run outcomes").
    announceProblems: results.some((r) => r.rows?.truncated === true),
    problems,
    summarise: (published) => summarise({ published, claimedElsewhere: plan.claimedElsewhere }),
  });
  const changedMeanwhile = await store.recordObservations(plan.observed);
  if (changedMeanwhile.length > 0) log.info('entries approved, forgotten or imported during the run: their observation was not written', { count: changedMeanwhile.length });
  // Last, so that a run that dies before this point is caught up by the next one.
  await store.recordAnswered(results.filter((r) => r.rows && !r.rows.noData && !r.rows.partial).map((r) => r.hunt.id), startedAt);
  const summary = summarise(outcome);
  log.info('run finished', { summary });
  return summary;
}

/** Forced learning names what it learned in the message, as alerts that say they were not alerted. */
async function forcedLearningAlerts(deps: RunDependencies, forced: ForcedLearning, plan: BaselinePlan, options: RunOptions, problems: string[]): Promise<Alert[]> {
  if (plan.learned.length === 0) return [];
  problems.push(`Forced learning by ${forced.by} recorded ${plural(plan.learned.length, 'new finding')} as learned: each is listed in this message and is not alerted again; forget an entry to have it alerted when it next appears.`);
  const alerts = await alertsFor(deps, plan.learned, plan, options);
  return alerts.map((a) => ({ ...a, novelty: `recorded as learned by ${forced.by} (forced learning), not alerted; ${a.novelty}` }));
}

/** Warning texts listed per hunt in the message; all of them go to the logs. */
const MAX_WARNINGS_LISTED = 5;

const count = (n: number) => n.toLocaleString('en-US');

/** What a cut answer means and what to do, with how much was cut. */
function cutProblem(hunt: HuntDefinition, rows: HuntRows): string {
  const cut = rows.rowsCut ?? 0;
  return `${hunt.id}: the answer was cut at ${count(rows.rows)} of ${count(rows.rows + cut)} rare groups (${count(cut)} not compared tonight; the most recent activity was kept). Many rare rows can be decoys hiding a finding: look for hosts writing or running many distinct dispatcher scripts, then narrow the lookback or add exclusions.`;
}

async function runHunts(deps: RunDependencies, problems: string[], readSince: (huntId: string) => Date | undefined): Promise<HuntResult[]> {
  return Promise.all(
    deps.hunts.map(async (hunt) => {
      const since = readSince(hunt.id);
      deps.log.info('hunt started', { huntId: hunt.id, ...(since ? { readSince: since.toISOString() } : {}) });
      try {
        const rows = await deps.runner.run(hunt, since ? { readSince: since } : {});
        deps.log.info('hunt finished', { huntId: hunt.id, rows: rows.rows, findings: rows.findings.length, truncated: rows.truncated, ...(rows.rowsCut !== undefined ? { rowsCut: rows.rowsCut } : {}), partial: rows.partial, noData: rows.noData, warnings: rows.warnings.length });
        if (rows.truncated) problems.push(cutProblem(hunt, rows));
        for (const warning of rows.warnings.slice(0, MAX_WARNINGS_LISTED)) problems.push(`${hunt.id}: Elasticsearch warned: ${warning}`);
        if (rows.warnings.length > MAX_WARNINGS_LISTED) problems.push(`${hunt.id}: ${rows.warnings.length - MAX_WARNINGS_LISTED} more Elasticsearch warnings (see the logs).`);
        if (rows.warnings.length > 0) deps.log.warn('Elasticsearch warnings', { huntId: hunt.id, warnings: rows.warnings });
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

function buildSummary(
  deps: RunDependencies,
  options: RunOptions,
  startedAt: Date,
  results: HuntResult[],
  plan: BaselinePlan,
  state: { learning: ReadonlySet<string>; learningEnds: ReadonlySet<string>; declined: boolean },
  problems: string[],
  outcome: Partial<PublishOutcome> & Pick<PublishOutcome, 'published' | 'claimedElsewhere'>,
): RunSummary {
  const finishedAt = deps.clock();
  const published = new Set(outcome.published.map((e) => e.fingerprint));
  const byHunt = (entries: BaselineEntry[], huntId: string) => entries.filter((e) => e.huntId === huntId).length;
  const hunts: HuntSummary[] = results.map(({ hunt, rows, error }) => ({
    huntId: hunt.id,
    status: error !== undefined ? 'failed' : rows?.noData ? 'no-data' : 'ok',
    learning: state.learning.has(hunt.id),
    learningEnded: state.learningEnds.has(hunt.id) && !state.declined,
    rows: rows?.rows ?? 0,
    truncated: rows?.truncated ?? false,
    ...(rows?.rowsCut !== undefined ? { rowsCut: rows.rowsCut } : {}),
    warnings: rows?.warnings.length ?? 0,
    partial: rows?.partial ?? false,
    new: outcome.published.filter((e) => e.huntId === hunt.id).length,
    known: byHunt(plan.known, hunt.id),
    learned: byHunt([...plan.learned, ...plan.quiet], hunt.id),
    ...(error !== undefined ? { error } : {}),
  }));
  const disabled = new Set(options.disabledHunts ?? []);
  for (const hunt of deps.hunts.filter((h) => disabled.has(h.id))) {
    hunts.push({ huntId: hunt.id, status: 'disabled', learning: false, learningEnded: false, rows: 0, truncated: false, warnings: 0, partial: false, new: outcome.published.filter((e) => e.huntId === hunt.id).length, known: 0, learned: 0 });
  }
  const huntsFailed = hunts.filter((h) => h.status === 'failed').length;
  const unmarked = (outcome.mark?.failed.length ?? 0) + (outcome.mark?.takenOver.length ?? 0);
  // Partial results alert what they hold and fail the run, so that a degraded cluster is never a silent success.
  // A blind hunt (no index) does not fail it: its gauge alarms for as long as it stays blind.
  const failed = huntsFailed > 0 || hunts.some((h) => h.partial) || outcome.publishFailed === true || outcome.deadlinePassed === true || state.declined;
  return {
    runId: options.runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    outcome: failed ? 'failed' : 'succeeded',
    learning: state.learning.size > 0,
    dryRun: options.dryRun === true,
    hunts,
    totals: {
      findings: results.reduce((n, r) => n + (r.rows?.findings.length ?? 0), 0),
      new: plan.fresh.filter((e) => published.has(e.fingerprint)).length,
      republished: plan.republish.filter((e) => published.has(e.fingerprint)).length,
      known: plan.known.length,
      learned: plan.learned.length + plan.quiet.length,
      claimedElsewhere: outcome.claimedElsewhere.length,
      alerted: outcome.mark?.marked.length ?? 0,
      unmarked,
      huntsFailed,
      huntsBlind: hunts.filter((h) => h.status === 'no-data').length,
    },
    ...(outcome.messageId !== undefined ? { messageId: outcome.messageId } : {}),
    problems: [...problems],
  };
}
