import { entryFromFinding, observationChanged, withObservation, type BaselineEntry, type Claim } from './baseline';
import type { Finding } from './finding';
import type { HuntDefinition } from './hunts/hunt-definition';

/** What a run must write, decided without I/O. */
export interface BaselinePlan {
  /** Learning run: findings recorded quietly. */
  readonly learned: BaselineEntry[];
  /** Recorded quietly beside an alert that lists them: new contents of a path whose new write is alerted. */
  readonly quiet: BaselineEntry[];
  /** Never seen: to create as pending (conditional on absence), then alert. */
  readonly fresh: BaselineEntry[];
  /** Pending from an earlier run whose claim has lapsed, or from this run's own crashed attempt: to re-claim, then alert. */
  readonly republish: BaselineEntry[];
  /** Pending and still claimed by another live run: left to it. */
  readonly claimedElsewhere: BaselineEntry[];
  /** Already in the baseline (or covered by a fleet-wide approval): never alerted. */
  readonly known: BaselineEntry[];
  /** The known entries whose observation changed tonight: the only ones written. */
  readonly observed: BaselineEntry[];
}

export interface PlanInput {
  readonly findings: readonly Finding[];
  /** Entries for the findings' fingerprints, and the fleet-wide approvals that may cover new ones. */
  readonly existing: ReadonlyMap<string, BaselineEntry>;
  /** Every pending entry in the table, including ones no hunt returned tonight. */
  readonly pending: readonly BaselineEntry[];
  readonly hunts: readonly HuntDefinition[];
  /** Hunts whose baseline is still being learned: their new findings are recorded quietly. */
  readonly learning: ReadonlySet<string>;
  readonly now: Date;
  readonly claim: Claim;
}

/** Fleet-wide approvals that may cover findings the baseline does not know yet. */
export const coveringFingerprints = (findings: readonly Finding[], existing: ReadonlyMap<string, BaselineEntry>): string[] => [
  ...new Set(findings.filter((f) => f.coveredBy !== undefined && !existing.has(f.fingerprint)).map((f) => f.coveredBy as string)),
];

export function planBaseline(input: PlanInput): BaselinePlan {
  const now = input.now.toISOString();
  const plan: BaselinePlan = { learned: [], quiet: [], fresh: [], republish: [], claimedElsewhere: [], known: [], observed: [] };
  const pendingByFingerprint = new Map(input.pending.map((entry) => [entry.fingerprint, entry]));
  const known = new Map<string, { read: BaselineEntry; updated: BaselineEntry }>();
  // One observation per entry and run, even when several findings (agents of a fleet-wide approval) land on it.
  const observe = (entry: BaselineEntry, finding: Finding) => {
    const earlier = known.get(entry.fingerprint);
    const updated = earlier ? { ...withObservation(earlier.updated, finding, now), sightings: earlier.updated.sightings } : withObservation(entry, finding, now);
    known.set(entry.fingerprint, { read: earlier?.read ?? entry, updated });
  };
  const candidates: { finding: Finding; entry: BaselineEntry }[] = [];
  const seen = new Set<string>();
  for (const finding of input.findings) {
    if (seen.has(finding.fingerprint)) continue;
    seen.add(finding.fingerprint);
    const hunt = input.hunts.find((h) => h.id === finding.huntId);
    if (!hunt) throw new Error(`finding of unknown hunt ${finding.huntId}`);
    const entry = input.existing.get(finding.fingerprint) ?? pendingByFingerprint.get(finding.fingerprint);
    const cover = finding.coveredBy === undefined ? undefined : input.existing.get(finding.coveredBy);
    if (!entry && cover?.status === 'approved') {
      observe(cover, finding);
    } else if (!entry) {
      if (input.learning.has(hunt.id)) plan.learned.push(entryFromFinding(hunt, finding, 'learned', now));
      else candidates.push({ finding, entry: entryFromFinding(hunt, finding, 'pending', now, input.claim) });
    } else if (entry.status === 'pending') {
      sortPending(withObservation(entry, finding, now), input, plan);
    } else {
      observe(entry, finding);
    }
  }
  for (const entry of input.pending) {
    if (!seen.has(entry.fingerprint)) sortPending(entry, input, plan);
  }
  // A new content rides along with the alert of its new write, which lists it: one alert per write.
  const alerting = new Set([...candidates.map((c) => c.entry.fingerprint), ...plan.republish.map((e) => e.fingerprint), ...plan.claimedElsewhere.map((e) => e.fingerprint)]);
  for (const { finding, entry } of candidates) {
    if (finding.quietWith?.some((fp) => alerting.has(fp)) ?? false) {
      const { claim: _claim, ...quiet } = entry;
      plan.quiet.push({ ...quiet, status: 'learned' });
    } else plan.fresh.push(entry);
  }
  for (const { read, updated } of known.values()) {
    plan.known.push(updated);
    if (observationChanged(read, updated)) plan.observed.push(updated);
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
