import type { AlertReport } from '../alert-report';
import { truncate } from '../bounded-text';
import { osqueryFollowUp } from './follow-up';
import { highestSeverity, rarestFirst } from './report-view';

/** 2: three hunts (the process hunt was split), per-finding severity and indicators, context samples, cut answers. */
export const SCHEMA_VERSION = 2;

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
      hunts: s.hunts.map((h) => ({ huntId: h.huntId, status: h.status, rows: h.rows, truncated: h.truncated, ...(h.rowsCut !== undefined ? { rowsCut: h.rowsCut } : {}), warnings: h.warnings, partial: h.partial, new: h.new, known: h.known, learned: h.learned, ...(h.error ? { error: h.error } : {}) })),
      totals: s.totals,
      problems: s.problems,
    },
    newFindings: {
      total: alerts.length,
      listed: listed.length,
      omitted: alerts.length - listed.length,
      items: listed.map(({ hunt, entry, novelty, republished, severity, indicators }) => ({
        fingerprint: entry.fingerprint,
        huntId: hunt.id,
        severity,
        indicators: indicators.map((i) => ({ id: i.id, title: i.title })),
        riskScore: hunt.riskScore,
        mitre: [...hunt.tactics, ...hunt.techniques].map((m) => m.id),
        identity: Object.fromEntries(hunt.identityFields.map((f) => [f, value(entry.identity[f] ?? null)])),
        identityTruncated: entry.identityTruncated,
        novelty: value(novelty),
        context: Object.fromEntries(Object.entries(entry.context ?? {}).map(([name, values]) => [name, values.map((v) => value(v))])),
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
