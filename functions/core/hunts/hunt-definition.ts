/** A hunt is data: reviewed like code, validated by tests, rendered into docs and alerts. */

export type HuntId = 'dispatcher-child-process' | 'dispatcher-script-write';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface MitreReference {
  readonly id: string;
  readonly name: string;
  readonly url: string;
}

/** Where a hunt comes from, so reviewers can diff it against the Elastic originals. */
export interface Provenance {
  readonly huntUuid: string;
  readonly ruleId?: string;
  readonly source: string;
  /** Every deliberate difference from the seed documents, one sentence each. */
  readonly differences: readonly string[];
}

/**
 * How a new finding is explained against the baseline: findings that share the
 * anchor (a dispatcher path, a dispatcher script) are siblings; the variant says what differs.
 */
export interface NoveltyAxes {
  readonly anchorField: string;
  readonly anchorLabel: string;
  readonly variantField: string;
  readonly variantLabel: string;
}

/**
 * How a field must be mapped for the hunt's query to read it as the hunt means: as a keyword (`keyword`,
 * `constant_keyword` or `wildcard`: ES|QL reads all three as keyword) or as a date. `doctor` checks each against
 * the cluster's mappings (`_field_caps`).
 */
export type ExpectedFieldType = 'keyword' | 'date';

/** The mapping types that satisfy each expected type. */
export const MAPPING_TYPES: Readonly<Record<ExpectedFieldType, readonly string[]>> = {
  keyword: ['keyword', 'constant_keyword', 'wildcard'],
  date: ['date', 'date_nanos'],
};

export interface RarityThresholds {
  /** Keep rows seen on at most this many distinct agents. */
  readonly maxAgentCount: number;
  /** Keep rows seen fewer than this many times (absent: no event-count filter). */
  readonly maxEventCount?: number;
}

export interface HuntDefinition {
  readonly id: HuntId;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly riskScore: number;
  readonly tactics: readonly MitreReference[];
  readonly techniques: readonly MitreReference[];
  readonly provenance: Provenance;
  /** Index patterns queried by default. */
  readonly indexPatterns: readonly string[];
  /** Seed-rule index patterns a deployment may opt into. */
  readonly optionalIndexPatterns: readonly string[];
  /**
   * ES|QL text. `{{indexPatterns}}` is replaced by validated patterns; every other
   * variable reaches Elasticsearch as a named parameter or through the request filter.
   */
  readonly query: string;
  /** Columns that identify a finding; their values feed the fingerprint, in this order. */
  readonly identityFields: readonly string[];
  /** Field a deployment's extra exclusions apply to (exact path or `prefix*`). */
  readonly exclusionField: string;
  readonly novelty: NoveltyAxes;
  readonly defaultThresholds: RarityThresholds;
  /** The query's LIMIT: a result of exactly this many rows may be truncated. */
  readonly rowLimit: number;
  /** Field to restrict for the follow-up osquery query: a path under a dispatcher directory. */
  readonly osqueryPathField: string;
  /** Every event field the query and its request filter read, with the mapping it needs (see ExpectedFieldType). */
  readonly fieldTypes: Readonly<Record<string, ExpectedFieldType>>;
}

/** Columns every hunt returns besides its identity fields. */
export const STATS_COLUMNS = ['event_count', 'agent_count', 'first_seen', 'last_seen', 'host_names', 'agent_ids'] as const;

/** NetworkManager runs scripts from both trees (and their pre-up.d, pre-down.d, no-wait.d folders). */
export const DISPATCHER_DIRECTORIES = ['/etc/NetworkManager/dispatcher.d/', '/usr/lib/NetworkManager/dispatcher.d/'] as const;

/** Upper bound of host names and agent ids returned per row. */
export const SAMPLE_SIZE = 10;

export const mitre = (id: string, name: string): MitreReference => ({
  id,
  name,
  url: id.startsWith('TA')
    ? `https://attack.mitre.org/tactics/${id}/`
    : `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
});
