/** A hunt is data: reviewed like code, validated by tests, rendered into docs and alerts. */

export type HuntId = 'dispatcher-script-run' | 'dispatcher-script-child' | 'dispatcher-script-write';

/** Ids of earlier releases, still accepted wherever a hunt id is public. */
export type LegacyHuntId = 'dispatcher-child-process';

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

/**
 * Novelty by host and by content (the write hunt): each rare group expands into one finding per
 * agent that wrote it and one per content hash, each with its own fingerprint.
 */
export interface HostAndContentNovelty {
  /** Identity field holding the agent of a per-agent finding (null on a content or fleet-wide entry). */
  readonly agentField: string;
  /** Identity field holding the content hash of a content finding. */
  readonly contentField: string;
  /** Identity fields a content finding keeps (the others are null): the path. */
  readonly contentIdentity: readonly string[];
  /** Sample column with `agent id <separator> host name` pairs: the group's complete agent set. */
  readonly agentHostsSample: string;
  /** Sample column with the content hashes of the group. */
  readonly contentSample: string;
}

/** Which columns (identity or sample) the severity indicators read. */
export interface SeverityInputs {
  readonly commandLines: readonly string[];
  readonly executables: readonly string[];
}

/** A sample column computed only for rare groups, as `name = VALUES(column)`. */
export interface SampleColumn {
  readonly name: string;
  readonly column: string;
  /** Dropped (and said so) when no index maps the field, instead of failing the hunt. */
  readonly optional?: boolean;
}

export interface HuntDefinition {
  readonly id: HuntId;
  /** Earlier ids whose configuration, learning state and subscriptions this hunt inherits. */
  readonly aliases: readonly LegacyHuntId[];
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
   * ES|QL from FROM up to (not including) STATS: which events, and the derived columns the groups
   * are made of. `{{indexPatterns}}` is replaced by validated patterns; every other variable reaches
   * Elasticsearch as a named parameter or through the request filter.
   */
  readonly source: string;
  /** STATS … BY columns: one group per distinct combination. */
  readonly groupBy: readonly string[];
  /** Condition on event_count and agent_count that makes a group rare. */
  readonly rarity: string;
  /**
   * Group columns whose first non-null value (COALESCE) phase 2 restricts to the rare groups'
   * values with IN: a cheap filter that lets VALUES run over the rare groups alone.
   */
  readonly sampleKeyFields: readonly string[];
  /** Per-group samples, computed only for rare groups. */
  readonly samples: readonly SampleColumn[];
  /** Fields that identify a finding; their values' digests feed the fingerprint, in this order. */
  readonly identityFields: readonly string[];
  /** What each identity field means, for the README. */
  readonly identityNotes: Readonly<Record<string, string>>;
  /** Field a deployment's extra exclusions apply to (exact path or `prefix*`). */
  readonly exclusionField: string;
  readonly novelty: NoveltyAxes;
  readonly hostAndContent?: HostAndContentNovelty;
  readonly severityInputs: SeverityInputs;
  readonly defaultThresholds: RarityThresholds;
  /** Field to restrict for the follow-up osquery query: a path under a dispatcher directory. */
  readonly osqueryPathField: string;
  /** Every event field the query and its request filter read, with the mapping it needs (see ExpectedFieldType). */
  readonly fieldTypes: Readonly<Record<string, ExpectedFieldType>>;
  /**
   * How Kibana finds a finding's events: per identity field, the event fields holding its exact
   * value (any of them). Derived values (masked command lines) have none.
   */
  readonly kibanaFields: Readonly<Record<string, readonly string[]>>;
}

/** Columns every hunt's rare-group query returns besides its group columns. */
export const STATS_COLUMNS = ['event_count', 'agent_count', 'first_seen', 'last_seen'] as const;

/** ES|QL returns at most this many rows (esql.query.result_truncation_max_size): no rare row below it is lost. */
export const ROW_CAP = 10_000;

/** NetworkManager runs scripts from both trees (and their pre-up.d, pre-down.d, no-wait.d folders). */
export const DISPATCHER_DIRECTORIES = ['/etc/NetworkManager/dispatcher.d/', '/usr/lib/NetworkManager/dispatcher.d/'] as const;

/** Upper bound of host names, agent ids and other samples kept per finding; also the highest maxAgentCount. */
export const SAMPLE_SIZE = 10;

export const mitre = (id: string, name: string): MitreReference => ({
  id,
  name,
  url: id.startsWith('TA')
    ? `https://attack.mitre.org/tactics/${id}/`
    : `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
});
