import type { Expr } from './ast';
import type { Compiled } from './compiled';
import type { VerificationFailures } from './errors';
import { accepts, esType } from './type-check';
import type { SourceText } from './warnings';
import { cell, compareScalars, inLongRange, valuesOf, type DataType, type Scalar, type Value } from './values';

/** One group's running state for one aggregate. */
export interface Aggregator {
  add(value: Value): void;
  result(): Value;
}

export interface AggregateSpec {
  readonly type: DataType;
  /** The argument, evaluated per input row; absent for COUNT(*). */
  readonly arg: Compiled | undefined;
  create(): Aggregator;
}

/**
 * The aggregate functions (docs: "STATS aggregation functions"). Each sees every value of a
 * multi-valued argument: COUNT(x) counts values, MIN/MAX/VALUES/COUNT_DISTINCT look at all of
 * them; nulls are skipped. COUNT(*) counts rows.
 */
export function aggregateSpec(call: Extract<Expr, { kind: 'call' }>, args: Compiled[], src: SourceText, failures: VerificationFailures): AggregateSpec | undefined {
  const name = call.name;
  const expectArgs = (min: number, max: number) => {
    if (args.length < min || args.length > max) {
      failures.add(src, `error building [${name.toLowerCase()}]: expects ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, found ${args.length}`);
      return false;
    }
    return true;
  };
  const arg = args[0];
  const typed = (cls: 'comparable' | 'numeric' | 'any') => {
    if (arg && !accepts(arg.type, cls)) {
      failures.add(src, `argument of [${src.text}] must be [${cls === 'comparable' ? 'boolean, date, ip, string or numeric except unsigned_long or counter types' : cls === 'numeric' ? 'numeric except unsigned_long or counter types' : 'any type except counter types'}], found value [${arg.src.text}] type [${esType(arg.type)}]`);
      return false;
    }
    return true;
  };
  if (call.star && name !== 'COUNT') {
    failures.add(src, `[*] is only allowed in COUNT(*), not in [${src.text}]`);
    return undefined;
  }
  switch (name) {
    case 'COUNT':
      if (call.star || args.length === 0) return { type: 'long', arg: undefined, create: () => counter((_v, n) => n + 1) };
      if (!expectArgs(1, 1) || !typed('any')) return undefined;
      return { type: 'long', arg, create: () => counter((v, n) => n + (v === null ? 0 : Array.isArray(v) ? v.length : 1)) };
    case 'COUNT_DISTINCT':
      if (!expectArgs(1, 2) || !typed('any')) return undefined;
      return { type: 'long', arg, create: () => distinctCounter() };
    case 'MIN':
    case 'MAX':
      if (!expectArgs(1, 1) || !typed('comparable')) return undefined;
      return { type: (arg as Compiled).type === 'text' ? 'keyword' : (arg as Compiled).type, arg, create: () => extreme(name === 'MIN' ? -1 : 1) };
    case 'VALUES':
      if (!expectArgs(1, 1) || !typed('any')) return undefined;
      return { type: (arg as Compiled).type === 'text' ? 'keyword' : (arg as Compiled).type, arg, create: () => distinctValues() };
    case 'SUM':
      if (!expectArgs(1, 1) || !typed('numeric')) return undefined;
      return { type: (arg as Compiled).type === 'double' ? 'double' : 'long', arg, create: () => sum() };
    case 'AVG':
      if (!expectArgs(1, 1) || !typed('numeric')) return undefined;
      return { type: 'double', arg, create: () => average() };
    default:
      failures.add(src, `Unknown function [${name.toLowerCase()}]`);
      return undefined;
  }
}

function counter(step: (value: Value, n: number) => number): Aggregator {
  let n = 0;
  return {
    add: (v) => {
      n = step(v, n);
    },
    result: () => n,
  };
}

/** Calls `f` for each value of a cell without allocating for the common single value. */
function each(v: Value, f: (x: Scalar) => void): void {
  if (v === null) return;
  if (Array.isArray(v)) for (const x of v) f(x);
  else f(v);
}

function distinctCounter(): Aggregator {
  const seen = new Set<Scalar>();
  const add = (x: Scalar) => seen.add(x);
  return {
    add: (v) => each(v, add),
    result: () => seen.size,
  };
}

function extreme(direction: 1 | -1): Aggregator {
  let best: Scalar | undefined;
  const add = (x: Scalar) => {
    if (best === undefined || compareScalars(x, best) * direction > 0) best = x;
  };
  return {
    add: (v) => each(v, add),
    result: () => best ?? null,
  };
}

/** VALUES: every distinct value; the docs promise no order (this keeps first-seen order). */
function distinctValues(): Aggregator {
  const seen = new Set<Scalar>();
  const add = (x: Scalar) => seen.add(x);
  return {
    add: (v) => each(v, add),
    result: () => cell([...seen]),
  };
}

function sum(): Aggregator {
  let total: number | null = null;
  return {
    add: (v) => {
      for (const x of valuesOf(v)) total = (total ?? 0) + (x as number);
    },
    result: () => (total !== null && !inLongRange(total) ? null : total),
  };
}

function average(): Aggregator {
  let total = 0;
  let n = 0;
  return {
    add: (v) => {
      for (const x of valuesOf(v)) {
        total += x as number;
        n++;
      }
    },
    result: () => (n === 0 ? null : total / n),
  };
}
