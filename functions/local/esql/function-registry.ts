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
