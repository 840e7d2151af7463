import type { HuntDefinition, Severity } from '../hunts/hunt-definition';
import { SEVERITY_INDICATORS, type IndicatorMatch } from './indicators';

export const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER.indexOf(a) >= SEVERITY_ORDER.indexOf(b) ? a : b);

/** The indicators an entry recorded, with their titles; ids no longer in the data are shown as they are. */
export function indicatorMatches(ids: readonly string[] | undefined): IndicatorMatch[] {
  return (ids ?? []).map((id) => ({ id, title: SEVERITY_INDICATORS.find((i) => i.id === id)?.title ?? id }));
}

/** A finding is the hunt's severity, or high when its content shows any indicator. */
export function severityOf(hunt: Pick<HuntDefinition, 'severity'>, indicatorIds: readonly string[] | undefined): Severity {
  return (indicatorIds ?? []).length > 0 ? maxSeverity(hunt.severity, 'high') : hunt.severity;
}
