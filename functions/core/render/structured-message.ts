import type { AlertReport } from '../alert-report';
import { truncate } from '../bounded-text';
import { osqueryFollowUp } from './follow-up';
import { highestSeverity, rarestFirst } from './report-view';

export const SCHEMA_VERSION = 1;

export interface StructuredLimits {
  readonly maxAlerts: number;
  readonly maxValueChars: number;
}

export const STRUCTURED_LIMITS: StructuredLimits = { maxAlerts: 200, maxValueChars: 4_096 };

/**
 * The machine-readable message (`default`, hence SQS and Lambda subscribers): versioned, every
 * field a consumer needs, values exact up to `maxValueChars`, lone surrogates included. Serialise it
 * with `stringifyInert`: invisible code points travel as `\uXXXX` escapes, so the raw text is inert.
 */
export function renderStructuredMessage(report: AlertReport, limits: StructuredLimits = STRUCTURED_LIMITS) {
  const s = report.summary;
  const alerts = report.kind === 'new-findings' ? rarestFirst(report.alerts) : [];
  const listed = alerts.slice(0, limits.maxAlerts);
  const value = (text: string | null) => (text === null ? null : truncate(text, limits.maxValueChars).text);
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: report.kind,
    severity: highestSeverity(report),
    run: {
      runId: s.runId,
      startedAt: s.startedAt,
      outcome: s.outcome,
      learning: s.learning,
      hunts: s.hunts.map((h) => ({ huntId: h.huntId, status: h.status, rows: h.rows, truncated: h.truncated, partial: h.partial, new: h.new, known: h.known, learned: h.learned, ...(h.error ? { error: h.error } : {}) })),
      totals: s.totals,
      problems: s.problems,
    },
    newFindings: {
      total: alerts.length,
      listed: listed.length,
      omitted: alerts.length - listed.length,
      items: listed.map(({ hunt, entry, novelty, republished }) => ({
        fingerprint: entry.fingerprint,
        huntId: hunt.id,
        severity: hunt.severity,
        riskScore: hunt.riskScore,
        mitre: [...hunt.tactics, ...hunt.techniques].map((m) => m.id),
        identity: Object.fromEntries(hunt.identityFields.map((f) => [f, value(entry.identity[f] ?? null)])),
        identityTruncated: entry.identityTruncated,
        novelty: value(novelty),
        republished,
        eventCount: entry.eventCount,
        agentCount: entry.agentCount,
        firstSeen: entry.firstSeen,
        lastSeen: entry.lastSeen,
        hostNames: entry.hostNames,
        agentIds: entry.agentIds,
        osquery: osqueryFollowUp(hunt, entry),
      })),
    },
  };
}
