import { defaultHuntConfig } from '../core/hunt-config';
import { sampleKeyOf, sourceOf } from '../core/hunt-request';
import { HUNTS } from '../core/hunts';
import type { HuntDefinition } from '../core/hunts/hunt-definition';
import type { RecordedRequest, StandInReply } from './elasticsearch-stand-in';
import { esqlResponse } from './elasticsearch-stand-in';

/** One recorded rare group: its group columns, counts, first/last seen and samples, by column name. */
export type RecordedGroup = Record<string, unknown>;

/** Recorded rare groups per hunt for one night. */
export type RecordedNight = Partial<Record<string, RecordedGroup[]>>;

const TYPES: Record<string, string> = { event_count: 'long', agent_count: 'long', first_seen: 'date', last_seen: 'date', rare_groups: 'long' };

const reject = (reason: string): StandInReply => ({ status: 400, body: { error: { type: 'parsing_exception', reason }, status: 400 } });

/**
 * Answers the hunts' three kinds of `_query` from recorded rare groups: the rare groups with counts,
 * their number, and samples restricted to the `?kN` sample keys. It checks that each request is one
 * the hunts send (the text starts with a hunt's source as configured), so a change to a hunt fails
 * the demo instead of passing silently.
 */
export function answerFromRecordedGroups(request: RecordedRequest, night: RecordedNight): StandInReply {
  const config = defaultHuntConfig();
  const query = typeof request.body.query === 'string' ? request.body.query : '';
  const hunt = HUNTS.find((h) => query.startsWith(`${sourceOf(h, config)}\n`));
  if (request.method !== 'POST' || !request.path.startsWith('/_query') || !hunt) return reject('the demo stand-in only answers the hunts as configured');
  const groups = night[hunt.id] ?? [];
  if (/rare_groups = COUNT\(\*\)/.test(query)) return ok(['rare_groups'], [[groups.length]]);
  const samples = [...query.matchAll(/(\w+) = VALUES\(/g)].map((m) => m[1] as string);
  if (samples.length > 0) {
    const params = (request.body.params as Record<string, unknown>[] | undefined) ?? [];
    const keys = new Set(params.flatMap((p) => Object.entries(p)).filter(([name]) => /^k\d+$/.test(name)).map(([, value]) => value));
    const chosen = groups.filter((g) => keys.has(sampleKeyOf(hunt, valuesOf(hunt, g))));
    return ok([...hunt.groupBy, 'event_count', 'agent_count', ...samples], chosen.map((g) => [...valuesOf(hunt, g), g.event_count, g.agent_count, ...samples.map((s) => cell(g[s]))]));
  }
  const sorted = [...groups].sort((a, b) => String(b.last_seen).localeCompare(String(a.last_seen)));
  return ok([...hunt.groupBy, 'event_count', 'agent_count', 'first_seen', 'last_seen'], sorted.map((g) => [...valuesOf(hunt, g), g.event_count, g.agent_count, g.first_seen, g.last_seen]));
}

const valuesOf = (hunt: HuntDefinition, group: RecordedGroup) => hunt.groupBy.map((f) => (group[f] ?? null) as string | null);

/** VALUES() returns a scalar for one value, an array for several, null for none. */
const cell = (value: unknown) => (Array.isArray(value) ? (value.length === 0 ? null : value.length === 1 ? value[0] : value) : (value ?? null));

const ok = (columns: string[], values: unknown[][]): StandInReply => ({
  status: 200,
  body: esqlResponse(columns.map((name) => ({ name, type: TYPES[name] ?? 'keyword' })), values),
});
