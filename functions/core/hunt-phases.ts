import { UnknownColumnError, UnknownIndexError } from './errors';
import { parseGroupSamples, parseRareGroupCount, parseRareGroups, type GroupSamples, type HuntRows } from './esql-result';
import type { HuntConfig } from './hunt-config';
import { findingsFromGroups } from './hunt-findings';
import { SAMPLE_KEYS_PER_REQUEST, buildHuntRequest, buildRareGroupCountRequest, buildSampleRequest, sampleKeyOf, type HuntRequest } from './hunt-request';
import { ROW_CAP, type HuntDefinition } from './hunts/hunt-definition';

/** One `_query` answer: the body and the text of every `Warning` response header. */
export interface EsqlAnswer {
  readonly body: unknown;
  readonly warnings: readonly string[];
}

/** Sends one request (retries, async fallback and error translation are the caller's). */
export type EsqlExecute = (request: HuntRequest) => Promise<EsqlAnswer>;

/**
 * One hunt in up to three steps over the lookback window:
 * 1. every rare group with counts (at most ROW_CAP, most recent first), no samples;
 * 2. when the answer is full, how many rare groups there are in all (so a cut says how much);
 * 3. samples (VALUES) for the rare groups only, a few hundred sample keys per request.
 * An optional sample column no index maps is dropped and said so, never a failed hunt.
 */
export async function runHuntPhases(hunt: HuntDefinition, config: HuntConfig, execute: EsqlExecute): Promise<HuntRows> {
  const warnings = new Set<string>();
  const send = async (request: HuntRequest) => {
    const answer = await execute(request);
    for (const warning of answer.warnings) warnings.add(warning);
    return answer.body;
  };
  let first: unknown;
  try {
    first = await send(buildHuntRequest(hunt, config));
  } catch (error) {
    if (error instanceof UnknownIndexError) return { findings: [], rows: 0, truncated: false, partial: false, noData: true, warnings: [...warnings] };
    throw error;
  }
  const parsed = parseRareGroups(hunt, first);
  if (parsed.noData) return { findings: [], rows: 0, truncated: false, partial: parsed.partial, noData: true, warnings: [...warnings], ...took(parsed.tookMs) };
  let partial = parsed.partial;
  let rareGroups: number | undefined;
  if (parsed.groups.length >= ROW_CAP) rareGroups = parseRareGroupCount(hunt.id, await send(buildRareGroupCountRequest(hunt, config)));

  const samples = new Map<string, GroupSamples>();
  const omit = new Set<string>();
  const keys = [...new Set(parsed.groups.map((g) => sampleKeyOf(hunt, g.values)).filter((k): k is string => k !== null))];
  for (let i = 0; i < keys.length; i += SAMPLE_KEYS_PER_REQUEST) {
    const chunk = keys.slice(i, i + SAMPLE_KEYS_PER_REQUEST);
    for (;;) {
      try {
        const body = await send(buildSampleRequest(hunt, config, chunk, omit));
        const parsedSamples = parseGroupSamples(hunt, body, hunt.samples.filter((s) => !omit.has(s.name)).map((s) => s.name));
        partial ||= parsedSamples.partial;
        for (const [key, value] of parsedSamples.samples) samples.set(key, value);
        break;
      } catch (error) {
        const sample = error instanceof UnknownColumnError ? hunt.samples.find((s) => s.optional && s.column === error.column && !omit.has(s.name)) : undefined;
        if (!sample) throw error;
        omit.add(sample.name);
        warnings.add(`${hunt.id}: no index maps ${sample.column}, so tonight's findings carry no ${sample.name.replaceAll('_', ' ')}`);
      }
    }
  }
  const { findings, unsampled } = findingsFromGroups(hunt, parsed.groups, samples);
  if (unsampled > 0) warnings.add(`${hunt.id}: ${unsampled} rare group(s) changed between the two queries and are compared again next run`);
  const truncated = rareGroups !== undefined && rareGroups > parsed.groups.length;
  return {
    findings,
    rows: parsed.groups.length,
    truncated,
    ...(truncated ? { rowsCut: (rareGroups as number) - parsed.groups.length } : {}),
    partial,
    noData: false,
    warnings: [...warnings],
    ...took(parsed.tookMs),
  };
}

const took = (tookMs: number | undefined) => (tookMs === undefined ? {} : { tookMs });
