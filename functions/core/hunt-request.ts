import type { HuntConfig } from './hunt-config';
import { SCRIPT_DERIVATION_PARAMS } from './hunts/dispatcher-scripts';
import { ROW_CAP, type HuntDefinition } from './hunts/hunt-definition';
import { INTERFACE_NAME_REGEX } from './hunts/interface-names';

/** A named ES|QL parameter: `?name` in the query text, `{ name: value }` in the request. */
export type EsqlNamedParam = Record<string, string | number | boolean>;

/** Body of `POST /_query`: the query text plus everything variable, kept out of the text. */
export interface HuntRequest {
  readonly indexPatterns: readonly string[];
  readonly query: string;
  readonly params: EsqlNamedParam[];
  readonly filter: Record<string, unknown>;
}

/** Rare groups come back most recent first, so that a cut keeps the newest activity. */
const ORDER = 'SORT last_seen DESC, event_count ASC, agent_count ASC';

/** IN-list size of one samples request. */
export const SAMPLE_KEYS_PER_REQUEST = 500;

/**
 * Phase 1: every rare group with its counts and first/last seen, no samples (VALUES over every
 * group is what makes ES|QL slow on 8.x). At most ROW_CAP rows, the most recent first.
 */
export function buildHuntRequest(hunt: HuntDefinition, config: HuntConfig): HuntRequest {
  const query = [
    sourceOf(hunt, config),
    '| STATS event_count = COUNT(*), agent_count = COUNT_DISTINCT(agent.id),',
    '    first_seen = MIN(@timestamp), last_seen = MAX(@timestamp)',
    `  BY ${hunt.groupBy.join(', ')}`,
    `| WHERE ${hunt.rarity}`,
    `| ${ORDER}`,
    `| LIMIT ${ROW_CAP}`,
  ].join('\n');
  return request(hunt, config, query);
}

/** How many rare groups there are in all: asked only when phase 1 came back full. */
export function buildRareGroupCountRequest(hunt: HuntDefinition, config: HuntConfig): HuntRequest {
  const query = [
    sourceOf(hunt, config),
    '| STATS event_count = COUNT(*), agent_count = COUNT_DISTINCT(agent.id)',
    `  BY ${hunt.groupBy.join(', ')}`,
    `| WHERE ${hunt.rarity}`,
    '| STATS rare_groups = COUNT(*)',
  ].join('\n');
  return request(hunt, config, query);
}

/**
 * Phase 2: samples for the rare groups only. The same events and rarity as phase 1, restricted
 * to the rare groups' sample keys (`?k0`, `?k1`, …), so VALUES runs over those groups alone.
 * `omit` drops optional sample columns that no index maps.
 */
export function buildSampleRequest(hunt: HuntDefinition, config: HuntConfig, keys: readonly string[], omit: ReadonlySet<string> = new Set()): HuntRequest {
  if (keys.length === 0 || keys.length > SAMPLE_KEYS_PER_REQUEST) throw new Error(`a samples request takes 1 to ${SAMPLE_KEYS_PER_REQUEST} keys, not ${keys.length}`);
  const samples = hunt.samples.filter((s) => !omit.has(s.name));
  const query = [
    sourceOf(hunt, config),
    `| WHERE ${sampleKeyExpression(hunt)} IN (${keys.map((_, i) => `?k${i}`).join(', ')})`,
    '| STATS event_count = COUNT(*), agent_count = COUNT_DISTINCT(agent.id),',
    `    ${samples.map((s) => `${s.name} = VALUES(${s.column})`).join(', ')}`,
    `  BY ${hunt.groupBy.join(', ')}`,
    `| WHERE ${hunt.rarity}`,
    `| LIMIT ${ROW_CAP}`,
  ].join('\n');
  const base = request(hunt, config, query);
  return { ...base, params: [...base.params, ...keys.map((key, i) => ({ [`k${i}`]: key }))] };
}

const sampleKeyExpression = (hunt: HuntDefinition) =>
  hunt.sampleKeyFields.length === 1 ? (hunt.sampleKeyFields[0] as string) : `COALESCE(${hunt.sampleKeyFields.join(', ')})`;

/** What `sampleKeyExpression` is for a group: its first non-null sample key field. */
export function sampleKeyOf(hunt: HuntDefinition, values: readonly (string | null)[]): string | null {
  for (const field of hunt.sampleKeyFields) {
    const value = values[hunt.groupBy.indexOf(field)] ?? null;
    if (value !== null) return value;
  }
  return null;
}

/** The events and derived columns of a hunt, with the deployment's index patterns. */
export function sourceOf(hunt: HuntDefinition, config: HuntConfig): string {
  return hunt.source.replace('{{indexPatterns}}', indexPatternsOf(hunt, config).join(', '));
}

// Index patterns cannot be parameters in FROM; they are validated against a strict charset instead.
const indexPatternsOf = (hunt: HuntDefinition, config: HuntConfig) => [...hunt.indexPatterns, ...config.extraIndexPatterns.filter((p) => !hunt.indexPatterns.includes(p))];

/** Every named parameter a hunt may use; a request carries those its text refers to. */
function parameterValues(hunt: HuntDefinition, config: HuntConfig): EsqlNamedParam {
  const thresholds = config.thresholds[hunt.id];
  return {
    max_agent_count: thresholds.maxAgentCount,
    max_event_count: thresholds.maxEventCount ?? Number.MAX_SAFE_INTEGER,
    interface_name_regex: INTERFACE_NAME_REGEX,
    ...SCRIPT_DERIVATION_PARAMS,
  };
}

function request(hunt: HuntDefinition, config: HuntConfig, query: string): HuntRequest {
  const params = Object.entries(parameterValues(hunt, config))
    .filter(([name]) => new RegExp(`\\?${name}\\b`).test(query))
    .map(([name, value]) => ({ [name]: value }));
  return { indexPatterns: indexPatternsOf(hunt, config), query, params, filter: buildFilter(hunt, config) };
}

/**
 * The lookback window, relative to the cluster's clock (`now-30d`); a deployment's exclusions as
 * must_not, which keeps documents without the field. The phases of one hunt run seconds apart, so
 * a group at the window's edge may change between them: it is then compared again the next night.
 */
function buildFilter(hunt: HuntDefinition, config: HuntConfig): Record<string, unknown> {
  const excluded = config.exclusions[hunt.id];
  const exact = excluded.filter((e) => !e.endsWith('*'));
  const prefixes = excluded.filter((e) => e.endsWith('*')).map((e) => e.slice(0, -1));
  const mustNot = [
    ...(exact.length > 0 ? [{ terms: { [hunt.exclusionField]: exact } }] : []),
    ...prefixes.map((prefix) => ({ prefix: { [hunt.exclusionField]: prefix } })),
  ];
  return {
    bool: {
      filter: [{ range: { '@timestamp': { gte: `now-${config.lookbackDays}d` } } }],
      ...(mustNot.length > 0 ? { must_not: mustNot } : {}),
    },
  };
}
