import { entryFromFinding, observationChanged, withObservation, type BaselineEntry, type Claim } from './baseline';
import type { Finding } from './finding';
import type { HuntDefinition } from './hunts/hunt-definition';

/** What a run must write, decided without I/O. */
export interface BaselinePlan {
  /** Learning run: findings recorded quietly. */
  readonly learned: BaselineEntry[];
  /** Never seen: to create as pending (conditional on absence), then alert. */
  readonly fresh: BaselineEntry[];
  /** Pending from an earlier run whose claim has lapsed, or from this run's own crashed attempt: to re-claim, then alert. */
  readonly republish: BaselineEntry[];
  /** Pending and still claimed by another live run: left to it. */
  readonly claimedElsewhere: BaselineEntry[];
  /** Already in the baseline: never alerted. */
  readonly known: BaselineEntry[];
  /** The known entries whose observation changed tonight: the only ones written. */
  readonly observed: BaselineEntry[];
}

export interface PlanInput {
  readonly findings: readonly Finding[];
  /** Entries for the findings' fingerprints. */
  readonly existing: ReadonlyMap<string, BaselineEntry>;
  /** Every pending entry in the table, including ones no hunt returned tonight. */
  readonly pending: readonly BaselineEntry[];
  readonly hunts: readonly HuntDefinition[];
  /** Hunts whose baseline is still being learned: their new findings are recorded quietly. */
  readonly learning: ReadonlySet<string>;
  readonly now: Date;
  readonly claim: Claim;
}

export function planBaseline(input: PlanInput): BaselinePlan {
  const now = input.now.toISOString();
  const plan: BaselinePlan = { learned: [], fresh: [], republish: [], claimedElsewhere: [], known: [], observed: [] };
  const pendingByFingerprint = new Map(input.pending.map((entry) => [entry.fingerprint, entry]));
  const seen = new Set<string>();
  for (const finding of input.findings) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    const hunt = input.hunts.find((h) => h.id === finding.huntId);
    if (!hunt) throw new Error(`finding of unknown hunt ${finding.huntId}`);
    const entry = input.existing.get(finding.fingerprint) ?? pendingByFingerprint.get(finding.fingerprint);
    if (!entry) {
      if (input.learning.has(hunt.id)) plan.learned.push(entryFromFinding(hunt, finding, 'learned', now));
      else plan.fresh.push(entryFromFinding(hunt, finding, 'pending', now, input.claim));
    } else if (entry.status === 'pending') {
      sortPending(withObservation(entry, finding, now), input, plan);
    } else {
      const updated = withObservation(entry, finding, now);
      plan.known.push(updated);
      if (observationChanged(entry, updated)) plan.observed.push(updated);
    }
  }
  for (const entry of input.pending) {
    if (!seen.has(entry.fingerprint)) sortPending(entry, input, plan);
  }
  return plan;
}

function sortPending(entry: BaselineEntry, input: PlanInput, plan: BaselinePlan): void {
  const lapsed = !entry.claim || Date.parse(entry.claim.expiresAt) <= input.now.getTime();
  // Lambda retries a failed invocation with the same request id: what that id claimed is this run's own.
  const own = entry.claim?.runId === input.claim.runId;
  if (lapsed || own) plan.republish.push({ ...entry, claim: input.claim });
  else plan.claimedElsewhere.push(entry);
}
