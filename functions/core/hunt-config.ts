import { ConfigurationError } from './errors';
import { HUNTS, type HuntId } from './hunts';
import type { HuntDefinition, RarityThresholds } from './hunts/hunt-definition';

/** Everything a deployment may tune about the hunts. Validated once, then passed around as data. */
export interface HuntConfig {
  /** Days of events each hunt looks back over. @default 30 */
  readonly lookbackDays: number;
  /** Rarity thresholds per hunt. @default each hunt's defaultThresholds */
  readonly thresholds: Readonly<Record<HuntId, RarityThresholds>>;
  /** Executables (exact path, or a prefix ending in `*`) this deployment trusts, per hunt. @default none */
  readonly exclusions: Readonly<Record<HuntId, readonly string[]>>;
  /** Index patterns queried in addition to each hunt's own, e.g. the seed rule's `endgame-*`. @default none */
  readonly extraIndexPatterns: readonly string[];
  /** Hunts this deployment does not run; their pending entries are still published. @default none */
  readonly disabledHunts: readonly HuntId[];
}

/** The longest lookback a deployment may configure, and the furthest a hunt catches up after an outage. */
export const MAX_LOOKBACK_DAYS = 365;

const INDEX_PATTERN = /^[a-z0-9][a-z0-9_.*-]{0,254}$/;
const ABSOLUTE_PATH = /^\/[^\0\n\r]{0,4094}$/;

export const defaultHuntConfig = (): HuntConfig => parseHuntConfig({});

/** Validates untyped input (environment JSON, CLI flags, CDK context); errors name the offending key. */
export function parseHuntConfig(input: unknown): HuntConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigurationError('huntConfig', 'expected a JSON object');
  }
  const raw = input as Record<string, unknown>;
  const known = new Set(['lookbackDays', 'thresholds', 'exclusions', 'extraIndexPatterns', 'disabledHunts']);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw new ConfigurationError(key, `unknown key; expected one of ${[...known].join(', ')}`);
  }
  const lookbackDays = raw.lookbackDays ?? 30;
  if (!Number.isInteger(lookbackDays) || (lookbackDays as number) < 1 || (lookbackDays as number) > MAX_LOOKBACK_DAYS) {
    throw new ConfigurationError('lookbackDays', `expected a whole number of days from 1 to ${MAX_LOOKBACK_DAYS}, e.g. 30`);
  }
  const thresholdsInput = objectOrEmpty(raw.thresholds, 'thresholds');
  const exclusionsInput = objectOrEmpty(raw.exclusions, 'exclusions');
  for (const [section, input] of [['thresholds', thresholdsInput], ['exclusions', exclusionsInput]] as const) {
    for (const key of Object.keys(input)) {
      if (!HUNTS.some((hunt) => hunt.id === key)) {
        throw new ConfigurationError(`${section}.${key}`, `unknown hunt id; expected one of ${HUNTS.map((h) => h.id).join(', ')}`);
      }
    }
  }
  const thresholds = {} as Record<HuntId, RarityThresholds>;
  const exclusions = {} as Record<HuntId, readonly string[]>;
  for (const hunt of HUNTS) {
    thresholds[hunt.id] = parseThresholds(thresholdsInput[hunt.id], hunt, `thresholds.${hunt.id}`);
    exclusions[hunt.id] = stringList(exclusionsInput[hunt.id], `exclusions.${hunt.id}`, ABSOLUTE_PATH, 'an absolute path, optionally ending in *');
  }
  const extraIndexPatterns = stringList(raw.extraIndexPatterns, 'extraIndexPatterns', INDEX_PATTERN, 'an index pattern such as endgame-*');
  const disabledHunts = stringList(raw.disabledHunts, 'disabledHunts', /^[\w-]{1,64}$/, 'a hunt id');
  disabledHunts.forEach((id, index) => {
    if (!HUNTS.some((hunt) => hunt.id === id)) throw new ConfigurationError(`disabledHunts[${index}]`, `unknown hunt id "${id}"; expected one of ${HUNTS.map((h) => h.id).join(', ')}`);
  });
  if (disabledHunts.length === HUNTS.length) throw new ConfigurationError('disabledHunts', 'disables every hunt; remove the stack instead, or keep at least one hunt');
  return { lookbackDays: lookbackDays as number, thresholds, exclusions, extraIndexPatterns, disabledHunts: [...new Set(disabledHunts)] as HuntId[] };
}

function objectOrEmpty(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(field, 'expected an object keyed by hunt id');
  }
  return value as Record<string, unknown>;
}

/** The query parameter each threshold feeds: a hunt whose query lacks it does not use that threshold. */
const THRESHOLD_PARAMETERS = { maxAgentCount: '?max_agent_count', maxEventCount: '?max_event_count' } as const;

function parseThresholds(value: unknown, hunt: HuntDefinition, field: string): RarityThresholds {
  const defaults = hunt.defaultThresholds;
  const raw = objectOrEmpty(value, field);
  const count = (key: 'maxAgentCount' | 'maxEventCount', fallback: number | undefined) => {
    const v = raw[key] ?? fallback;
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 1_000_000) {
      throw new ConfigurationError(`${field}.${key}`, 'expected a whole number from 1 to 1000000');
    }
    return v as number;
  };
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(THRESHOLD_PARAMETERS, key)) throw new ConfigurationError(`${field}.${key}`, `unknown key; expected ${Object.keys(THRESHOLD_PARAMETERS).join(' or ')}`);
    const parameter = THRESHOLD_PARAMETERS[key as keyof typeof THRESHOLD_PARAMETERS];
    // A threshold the query never reads would be silently ignored: refuse it instead.
    if (!hunt.query.includes(parameter)) throw new ConfigurationError(`${field}.${key}`, `is not used by this hunt (its query has no ${parameter} filter); remove it`);
  }
  const maxAgentCount = count('maxAgentCount', defaults.maxAgentCount) as number;
  const maxEventCount = count('maxEventCount', defaults.maxEventCount);
  return maxEventCount === undefined ? { maxAgentCount } : { maxAgentCount, maxEventCount };
}

function stringList(value: unknown, field: string, pattern: RegExp, example: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 500) throw new ConfigurationError(field, 'expected a list of at most 500 strings');
  return value.map((item, index) => {
    if (typeof item !== 'string' || !pattern.test(item)) {
      throw new ConfigurationError(`${field}[${index}]`, `expected ${example}`);
    }
    return item;
  });
}
