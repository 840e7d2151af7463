import type { HuntConfig } from './hunt-config';
import type { HuntDefinition } from './hunts/hunt-definition';

/** A named ES|QL parameter: `?name` in the query text, `{ name: value }` in the request. */
export type EsqlNamedParam = Record<string, string | number | boolean>;

/** Body of `POST /_query`: the query text plus everything variable, kept out of the text. */
export interface HuntRequest {
  readonly indexPatterns: readonly string[];
  readonly query: string;
  readonly params: EsqlNamedParam[];
  readonly filter: Record<string, unknown>;
}

export function buildHuntRequest(hunt: HuntDefinition, config: HuntConfig): HuntRequest {
  // Index patterns cannot be parameters in FROM; they are validated against a strict charset instead.
  const patterns = [...hunt.indexPatterns, ...config.extraIndexPatterns.filter((p) => !hunt.indexPatterns.includes(p))];
  const query = hunt.query.replace('{{indexPatterns}}', patterns.join(', '));
  const thresholds = config.thresholds[hunt.id];
  const params: EsqlNamedParam[] = [{ max_agent_count: thresholds.maxAgentCount }];
  if (query.includes('?max_event_count')) {
    params.push({ max_event_count: thresholds.maxEventCount ?? Number.MAX_SAFE_INTEGER });
  }
  return { indexPatterns: patterns, query, params, filter: buildFilter(hunt, config) };
}

function buildFilter(hunt: HuntDefinition, config: HuntConfig): Record<string, unknown> {
  const excluded = config.exclusions[hunt.id];
  const exact = excluded.filter((e) => !e.endsWith('*'));
  const prefixes = excluded.filter((e) => e.endsWith('*')).map((e) => e.slice(0, -1));
  // must_not keeps documents without the field: no three-valued surprise here.
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
