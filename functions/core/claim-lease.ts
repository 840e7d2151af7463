import type { Claim } from './baseline';
import { ConfigurationError } from './errors';

/** Clocks of two hosts may disagree by this much: a claim outlives its holder's deadline by at least as much. */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/** The lease when none is configured and the run has no deadline of its own (the Lambda timeout is 10 minutes). */
export const DEFAULT_CLAIM_LEASE_MS = 20 * 60_000;

export interface LeaseTerms {
  /** Epoch ms after which the run starts no publish: the Lambda's end, or the deadline a CLI run states. */
  readonly deadline: number;
  /** When this run's claims lapse, so that another run may take them over. */
  readonly claim: Claim;
}

/**
 * A run's claims must outlive the run, or another run takes them over while it still publishes. The lease
 * therefore follows the holder's deadline: given a deadline, the claim lasts until it plus the clock-skew
 * allowance; a configured lease shorter than that is refused rather than written already too short.
 */
export function leaseTerms(runId: string, startedAt: Date, deadline: number | undefined, claimLeaseMs: number | undefined): LeaseTerms {
  const start = startedAt.getTime();
  const lease = claimLeaseMs ?? (deadline !== undefined ? deadline - start + CLOCK_SKEW_ALLOWANCE_MS : DEFAULT_CLAIM_LEASE_MS);
  const end = deadline ?? start + lease - CLOCK_SKEW_ALLOWANCE_MS;
  if (start + lease < end + CLOCK_SKEW_ALLOWANCE_MS) {
    throw new ConfigurationError(
      'claimLeaseMs',
      `a claim lease of ${Math.round(lease / 1_000)} s is shorter than the run's ${Math.round((end - start) / 1_000)} s to its deadline plus ` +
        `${CLOCK_SKEW_ALLOWANCE_MS / 1_000} s of clock skew: another run could alert the same findings while this one still publishes`,
    );
  }
  return { deadline: end, claim: { runId, expiresAt: new Date(start + lease).toISOString() } };
}
