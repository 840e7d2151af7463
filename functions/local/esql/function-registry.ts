import { CONDITIONAL_FUNCTIONS } from './conditional-functions';
import { CONVERSION_FUNCTIONS } from './conversion-functions';
import { DATE_FUNCTIONS } from './date-functions';
import type { ScalarFunction } from './function-helpers';
import { MV_FUNCTIONS } from './mv-functions';
import { STRING_FUNCTIONS } from './string-functions';

/** Every scalar function the evaluator implements, by upper-case name. Any other name is an error. */
export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map(
  Object.entries({ ...STRING_FUNCTIONS, ...MV_FUNCTIONS, ...CONDITIONAL_FUNCTIONS, ...CONVERSION_FUNCTIONS, ...DATE_FUNCTIONS }),
);

/** Aggregate functions, allowed only in STATS (implemented in aggregates.ts). */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set(['COUNT', 'COUNT_DISTINCT', 'MIN', 'MAX', 'VALUES', 'SUM', 'AVG']);

export { castFunction } from './conversion-functions';

/** Functions Elasticsearch has that this evaluator does not: an error that says so, not "Unknown function". */
export const UNIMPLEMENTED_FUNCTIONS: ReadonlySet<string> = new Set([
  'ABS', 'ACOS', 'ASIN', 'ATAN', 'ATAN2', 'BIT_LENGTH', 'BUCKET', 'BYTE_LENGTH', 'CATEGORIZE', 'CBRT', 'CEIL', 'CIDR_MATCH',
  'CONTAINS', 'COS', 'COSH', 'DATE_DIFF', 'DATE_EXTRACT', 'DATE_FORMAT', 'DATE_PARSE', 'E', 'EXP', 'FLOOR', 'FROM_BASE64',
  'GREATEST', 'HASH', 'HYPOT', 'IP_PREFIX', 'KQL', 'LEAST', 'LOG', 'LOG10', 'MATCH', 'MATCH_PHRASE', 'MD5', 'MEDIAN',
  'MEDIAN_ABSOLUTE_DEVIATION', 'MV_AVG', 'MV_CONTAINS', 'MV_MEDIAN', 'MV_MEDIAN_ABSOLUTE_DEVIATION', 'MV_PERCENTILE',
  'MV_PSERIES_WEIGHTED_SUM', 'MV_SUM', 'MV_ZIP', 'PERCENTILE', 'PI', 'POW', 'QSTR', 'REPEAT', 'REVERSE', 'ROUND',
  'ROUND_TO', 'SHA1', 'SHA256', 'SIGNUM', 'SIN', 'SINH', 'SPACE', 'SQRT', 'STD_DEV', 'TAN', 'TANH', 'TAU', 'TO_BASE64',
  'TO_DEGREES', 'TO_IP', 'TO_RADIANS', 'TO_UNSIGNED_LONG', 'TO_VERSION', 'TO_DATE_NANOS', 'TOP', 'WEIGHTED_AVG',
  'FIRST', 'LAST', 'SAMPLE', 'ST_CENTROID_AGG', 'ST_EXTENT_AGG', 'ST_DISTANCE', 'ST_INTERSECTS', 'ST_CONTAINS',
  'ST_WITHIN', 'ST_DISJOINT', 'ST_X', 'ST_Y', 'TO_GEOPOINT', 'TO_GEOSHAPE', 'TO_CARTESIANPOINT', 'TO_CARTESIANSHAPE', 'TERM',
]);
