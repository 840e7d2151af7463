import type { Alert, AlertReport } from './alert-report';
import type { BaselineEntry } from './baseline';
import type { BaselinePlan } from './baseline-plan';
import type { LeaseTerms } from './claim-lease';
import { forEachLimited } from './concurrency';
import { errorMessage } from './errors';
import type { HuntDefinition } from './hunts/hunt-definition';
import { explainNovelty } from './novelty';
import { indicatorMatches, severityOf } from './severity/finding-severity';
import type { MarkResult } from './ports';
import type { RunDependencies, RunOptions } from './nightly-run';
import type { RunSummary } from './run-summary';

/** What the publishing step did, for the run summary. */
export interface PublishOutcome {
  /** Entries this run claimed and still held when it published. */
  readonly published: readonly BaselineEntry[];
  readonly messageId?: string;
  readonly publishFailed: boolean;
  readonly deadlinePassed: boolean;
  readonly mark?: MarkResult;
  /** New findings another live run claimed (found so when planning, or first to a conditional write). */
  readonly claimedElsewhere: readonly BaselineEntry[];
}

export interface PublishInput {
  readonly plan: BaselinePlan;
  readonly lease: LeaseTerms;
  /** Entries a forced learning recorded, named in the message. */
  readonly learnedAlerts: readonly Alert[];
  /** Send the learning summary even without new findings (a hunt finished learning). */
  readonly announceLearning: boolean;
  /** Send the problems even without new findings or learning (an answer cut at the row cap). */
  readonly announceProblems?: boolean;
  readonly problems: string[];
  /** The run summary as it stands, for the message. */
  readonly summarise: (published: readonly BaselineEntry[]) => RunSummary;
}

/**
 * Claims new findings (conditional writes), checks just before publishing that every claim is still this run's and
 * that the run is within its deadline, publishes one message, then marks what it published. Every failure between
 * claiming and publishing gives the claims back, so that a retry or the next run alerts them at once.
 */
export async function publishClaimed(deps: RunDependencies, options: RunOptions, input: PublishInput): Promise<PublishOutcome> {
  const { store, log, clock } = deps;
  const { plan, lease, problems } = input;
  const { claimed, lostRaces } = await claimAll(deps, options.runId, plan, clock());
  // A race lost to another run's claim; one lost to an analyst's forget, approve or import is theirs.
  const raced = lostRaces.length > 0 ? [...(await store.getMany(lostRaces.map((e) => e.fingerprint))).values()].filter((e) => e.status === 'pending') : [];
  const claimedElsewhere = [...plan.claimedElsewhere, ...raced];
  if (claimedElsewhere.length > 0) problems.push(claimedElsewhereProblem(claimedElsewhere));
  const release = async (reason: string) => {
    if (claimed.length === 0) return;
    await store.releaseClaims(claimed.map((e) => e.fingerprint), options.runId).catch((error: unknown) => {
      log.warn('could not release claims: a retry with the same request id takes them, any other run once they lapse', { reason, error: errorMessage(error), until: lease.claim.expiresAt });
    });
  };
  let published: BaselineEntry[];
  let report: AlertReport | undefined;
  try {
    const alerts = await alertsFor(deps, claimed, plan, options);
    // As late as possible before publishing: the claims may have changed hands while the run worked.
    published = await stillClaimed(deps, options.runId, claimed, problems);
    const summary = input.summarise(published);
    const listed = [...alerts.filter((a) => published.includes(a.entry)), ...input.learnedAlerts];
    if (listed.length > 0) report = { kind: 'new-findings', summary, alerts: listed };
    else if (input.announceLearning) report = { kind: 'baseline-initialised', summary };
    else if (input.announceProblems) report = { kind: 'problems', summary };
  } catch (error) {
    await release(errorMessage(error));
    throw error;
  }
  if (!report) return { published, publishFailed: false, deadlinePassed: false, claimedElsewhere };
  if (clock().getTime() >= lease.deadline) {
    // A CLI run on a laptop that slept: its claims may already be someone else's. Give back what is still its own.
    problems.push(`This run passed its deadline (${new Date(lease.deadline).toISOString()}) before publishing: it published nothing and released its claims, so that the next run alerts ${plural(published.length, 'new finding')}.`);
    await release('deadline passed');
    return { published: [], publishFailed: false, deadlinePassed: true, claimedElsewhere };
  }
  let messageId: string;
  try {
    messageId = await deps.notifier.publish(report);
    log.info('notification published', { messageId, alerts: published.length });
  } catch (error) {
    // SNS may have accepted the message and lost its answer: a re-sent copy beats a lost alert.
    problems.push(`Publishing the notification failed: ${errorMessage(error)}. ${plural(published.length, 'new finding')} stay pending and are re-published by the retry or the next run (marked re-sent).`);
    log.error('publish failed', { error: errorMessage(error), pending: published.length });
    await release('publish failed');
    return { published: [], publishFailed: true, deadlinePassed: false, claimedElsewhere };
  }
  if (published.length === 0) return { published, messageId, publishFailed: false, deadlinePassed: false, claimedElsewhere };
  const whyNew = new Map(report.kind === 'new-findings' ? report.alerts.map((a) => [a.entry.fingerprint, a.novelty] as const) : []);
  const mark = await store.markAlerted(published.map((e) => e.fingerprint), options.runId, messageId, clock(), whyNew);
  reportMarking(mark, problems, deps);
  return { published, messageId, publishFailed: false, deadlinePassed: false, mark, claimedElsewhere };
}

/** Conditional writes, so that two overlapping runs never both alert one fingerprint. On failure, gives back what it took. */
async function claimAll(deps: RunDependencies, runId: string, plan: BaselinePlan, now: Date): Promise<{ claimed: BaselineEntry[]; lostRaces: BaselineEntry[] }> {
  const { store } = deps;
  const claimed: BaselineEntry[] = [];
  const lostRaces: BaselineEntry[] = [];
  try {
    await forEachLimited(plan.fresh, 8, async (entry) => {
      (await store.createPending(entry) ? claimed : lostRaces).push(entry);
    });
    await forEachLimited(plan.republish, 8, async (entry) => {
      (await store.claimPending(entry, now) ? claimed : lostRaces).push(entry);
    });
  } catch (error) {
    if (claimed.length > 0) await store.releaseClaims(claimed.map((e) => e.fingerprint), runId).catch(() => undefined);
    throw error;
  }
  return { claimed, lostRaces };
}

export function claimedElsewhereProblem(entries: readonly BaselineEntry[]): string {
  const holders = [...new Set(entries.map((e) => (e.claim ? `${e.claim.runId} until ${e.claim.expiresAt}` : `now ${e.status}`)))].slice(0, 3);
  const n = entries.length;
  return `${plural(n, 'new finding')} ${n === 1 ? 'is' : 'are'} claimed by another run still in progress (${holders.join('; ')}): that run alerts ${n === 1 ? 'it' : 'them'}; if it fails, its retry or the next run does.`;
}

/** Re-reads the claimed entries: an analyst may have approved or forgotten them, another run taken them over. */
async function stillClaimed(deps: RunDependencies, runId: string, claimed: BaselineEntry[], problems: string[]): Promise<BaselineEntry[]> {
  if (claimed.length === 0) return [];
  const current = await deps.store.getMany(claimed.map((e) => e.fingerprint));
  const ours = claimed.filter((e) => {
    const now = current.get(e.fingerprint);
    return now?.status === 'pending' && now.claim?.runId === runId;
  });
  const takenOver = claimed.filter((e) => !ours.includes(e) && ['pending', 'alerted'].includes(current.get(e.fingerprint)?.status ?? ''));
  if (takenOver.length > 0) {
    problems.push(`${plural(takenOver.length, 'new finding')} claimed by this run ${takenOver.length === 1 ? 'was' : 'were'} taken over by another run before this one published (it outlived its claim): left to that run.`);
  }
  const byAnalyst = claimed.length - ours.length - takenOver.length;
  if (byAnalyst > 0) deps.log.info('entries approved or forgotten before publishing: not alerted', { count: byAnalyst });
  return ours;
}

function reportMarking(mark: MarkResult, problems: string[], deps: RunDependencies): void {
  if (mark.failed.length > 0) {
    problems.push(`${plural(mark.failed.length, 'published finding')} could not be marked alerted; they stay pending under this run's claim and are published once more after it lapses.`);
  }
  if (mark.takenOver.length > 0) {
    problems.push(`${plural(mark.takenOver.length, 'published finding')} had been taken over by another run after this run's claim lapsed; they may be published once more.`);
  }
  if (mark.changedByAnalyst.length > 0) deps.log.info('approved or forgotten while publishing: the analyst change stands', { count: mark.changedByAnalyst.length });
}

export async function alertsFor(deps: RunDependencies, claimed: BaselineEntry[], plan: BaselinePlan, options: RunOptions): Promise<Alert[]> {
  const republished = new Set(plan.republish.map((e) => e.fingerprint));
  const siblingsByAnchor = new Map<string, BaselineEntry[]>();
  await forEachLimited([...new Set(claimed.map((e) => e.anchorKey))], 8, async (anchorKey) => {
    siblingsByAnchor.set(anchorKey, await deps.store.siblings(anchorKey, options.siblingLimit ?? 25));
  });
  return claimed.map((entry) => {
    const hunt = deps.hunts.find((h) => h.id === entry.huntId) as HuntDefinition;
    const siblings = (siblingsByAnchor.get(entry.anchorKey) ?? []).filter((s) => s.status !== 'pending');
    return {
      hunt,
      entry,
      novelty: explainNovelty(hunt, entry, siblings),
      republished: republished.has(entry.fingerprint),
      severity: severityOf(hunt, entry.indicators),
      indicators: indicatorMatches(entry.indicators),
    };
  });
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
