import type { Expr } from './ast';
import { constant, EvaluationFailure, guarded, planningContext, singleValues, type Compiled, type EvalContext, type Row } from './compiled';
import { parsingError, unsupported, type VerificationFailures } from './errors';
import { compileLike, type StringMatcher } from './like-pattern';
import { compileLuceneRegex } from './lucene-regex';
import { SCALAR_FUNCTIONS, AGGREGATE_NAMES, UNIMPLEMENTED_FUNCTIONS, castFunction } from './function-registry';
import { parseSpan, spanFromUnit } from './spans';
import { esType, widen } from './type-check';
import { SINGLE_VALUE_FAILURE, type SourceText } from './warnings';
import {
  addSpan,
  compareScalars,
  DatePeriod,
  isInteger32,
  isNumeric,
  isString,
  inLongRange,
  parseDate,
  TimeDuration,
  type DataType,
  type Scalar,
  type Value,
} from './values';

export interface Params {
  readonly named: ReadonlyMap<string, unknown>;
  readonly positional: readonly unknown[];
}

/** What names mean where an expression is compiled. */
export interface Scope {
  readonly failures: VerificationFailures;
  readonly params: Params;
  /** A column of the current table, or undefined when there is none of that name. */
  resolveField(name: string, src: SourceText): Compiled | undefined;
  /** Inside STATS: turns an aggregate call into a reference to its per-group result. */
  readonly aggregate?: (call: Extract<Expr, { kind: 'call' }>, scope: Scope) => Compiled;
}

/** A placeholder after a recorded failure, so analysis can go on and report every problem at once. */
const broken = (src: SourceText): Compiled => constant(null, 'null', src);

export function compileExpr(expr: Expr, scope: Scope): Compiled {
  switch (expr.kind) {
    case 'literal':
      return constant(expr.value, expr.type, expr.src);
    case 'param':
      return compileParam(expr, scope);
    case 'field': {
      const found = scope.resolveField(expr.name, expr.src);
      if (found) return found;
      scope.failures.add(expr.src, `Unknown column [${expr.name}]`);
      return broken(expr.src);
    }
    case 'list': {
      const items = expr.items.map((i) => compileExpr(i, scope));
      const types = new Set(items.map((i) => i.type).filter((t) => t !== 'null'));
      if (types.size > 1) scope.failures.add(expr.src, `multi-value literal of mixed types [${[...types].join(', ')}]`);
      const values = items.flatMap((i) => {
        const v = i.eval([], planningContext());
        return v === null ? [] : Array.isArray(v) ? v : [v];
      });
      return constant(values.length === 0 ? null : values.length === 1 ? (values[0] as Scalar) : values, [...types][0] ?? 'null', expr.src);
    }
    case 'span':
      return compileSpan(expr, scope);
    case 'neg':
      return compileNegation(compileExpr(expr.arg, scope), expr.src, scope);
    case 'not':
      return compileNot(compileExpr(expr.arg, scope), expr.src, scope);
    case 'logic':
      return compileLogic(expr.op, compileExpr(expr.left, scope), compileExpr(expr.right, scope), expr.src, scope);
    case 'arith':
      return compileArithmetic(expr.op, compileExpr(expr.left, scope), compileExpr(expr.right, scope), expr.src, scope);
    case 'compare':
      return compileComparison(expr.op, compileExpr(expr.left, scope), compileExpr(expr.right, scope), expr.src, scope);
    case 'in':
      return compileIn(compileExpr(expr.value, scope), expr.list.map((e) => compileExpr(e, scope)), expr.negated, expr.src, scope);
    case 'like':
      return compileLikeExpr(expr, scope);
    case 'isNull': {
      const value = compileExpr(expr.value, scope);
      const negated = expr.negated;
      return { type: 'boolean', src: expr.src, foldable: value.foldable, eval: (row, ctx) => (value.eval(row, ctx) === null) !== negated };
    }
    case 'cast': {
      const fn = castFunction(expr.to);
      if (!fn) throw unsupported(expr.src, `the cast ::${expr.to}`);
      return fn(compileExpr(expr.value, scope), expr.src, scope.failures);
    }
    case 'call': {
      if (AGGREGATE_NAMES.has(expr.name)) {
        if (scope.aggregate) return scope.aggregate(expr, scope);
        scope.failures.add(expr.src, `aggregate function [${expr.src.text}] not allowed outside STATS command`);
        return broken(expr.src);
      }
      const fn = SCALAR_FUNCTIONS.get(expr.name);
      if (!fn && UNIMPLEMENTED_FUNCTIONS.has(expr.name)) throw unsupported(expr.src, `the function ${expr.name}`);
      if (!fn) {
        scope.failures.add(expr.src, `Unknown function [${expr.name.toLowerCase()}]`);
        return broken(expr.src);
      }
      if (expr.star) {
        scope.failures.add(expr.src, `[*] is only allowed in COUNT(*), not in [${expr.src.text}]`);
        return broken(expr.src);
      }
      const [min, max] = fn.arity;
      if (expr.args.length < min || expr.args.length > max) {
        const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        scope.failures.add(expr.src, `error building [${expr.name.toLowerCase()}]: expects ${expected} argument${max === 1 ? '' : 's'}, found ${expr.args.length}`);
        return broken(expr.src);
      }
      const args = expr.args.map((a) => compileExpr(a, scope));
      return fn.compile(args, expr.src, scope.failures) ?? broken(expr.src);
    }
  }
}

/** Evaluates a foldable expression once, at planning time (LIKE patterns, LIMIT, casts of constants). */
export function fold(c: Compiled, ctx: EvalContext): Value {
  return c.eval([], ctx);
}

function compileParam(expr: Extract<Expr, { kind: 'param' }>, scope: Scope): Compiled {
  let value: unknown;
  if (expr.name !== undefined) {
    if (!scope.params.named.has(expr.name)) {
      throw parsingError(expr.src, `Unknown query parameter [${expr.name}]${scope.params.named.size ? `, did you mean any of [${[...scope.params.named.keys()].join(', ')}]?` : ''}`);
    }
    value = scope.params.named.get(expr.name);
  } else {
    const index = (expr.position ?? 1) - 1;
    if (index < 0 || index >= scope.params.positional.length) throw parsingError(expr.src, `No parameter is defined for position ${index + 1}, did you mean any position between 1 and ${scope.params.positional.length}?`);
    value = scope.params.positional[index];
  }
  if (value === null) return constant(null, 'null', expr.src);
  if (typeof value === 'boolean') return constant(value, 'boolean', expr.src);
  if (typeof value === 'string') return constant(value, 'keyword', expr.src);
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return constant(value, isInteger32(value) ? 'integer' : 'long', expr.src);
    return constant(value, 'double', expr.src);
  }
  throw unsupported(expr.src, 'a parameter that is not a string, number, boolean or null');
}

function compileSpan(expr: Extract<Expr, { kind: 'span' }>, scope: Scope): Compiled {
  const amount = compileExpr(expr.amount, scope);
  const n = amount.eval([], planningContext());
  if (typeof n !== 'number' || !Number.isInteger(n)) throw parsingError(expr.src, `a time span needs an integer amount, found [${expr.amount.src.text}]`);
  const span = spanFromUnit(n, expr.unit);
  if (!span) throw parsingError(expr.src, `Unexpected temporal unit: '${expr.unit}'`);
  return constant(span, span instanceof DatePeriod ? 'date_period' : 'time_duration', expr.src);
}

function fail(scope: Scope, src: SourceText, message: string): Compiled {
  scope.failures.add(src, message);
  return broken(src);
}

function compileNegation(arg: Compiled, src: SourceText, scope: Scope): Compiled {
  if (arg.type === 'date_period' || arg.type === 'time_duration') {
    return { type: arg.type, src, foldable: arg.foldable, eval: (row, ctx) => {
      const v = arg.eval(row, ctx);
      if (v instanceof DatePeriod) return new DatePeriod(-v.months, -v.days);
      if (v instanceof TimeDuration) return new TimeDuration(-v.ms);
      return null;
    } };
  }
  if (!isNumeric(arg.type) && arg.type !== 'null') return fail(scope, src, `argument of [${src.text}] must be [numeric, date_period or time_duration], found value [${arg.src.text}] type [${esType(arg.type)}]`);
  const type = arg.type;
  return {
    type,
    src,
    foldable: arg.foldable,
    eval: (row, ctx) => {
      const v = singleValues([arg], row, ctx, src);
      if (v === null) return null;
      return guarded(src, ctx, () => checkRange(-(v[0] as number), type));
    },
  };
}

function checkRange(n: number, type: DataType): number {
  if (type === 'integer' && !isInteger32(n)) throw new EvaluationFailure('java.lang.ArithmeticException: integer overflow');
  if (type === 'long' && !inLongRange(n)) throw new EvaluationFailure('java.lang.ArithmeticException: long overflow');
  if (type === 'double' && !Number.isFinite(n)) throw new EvaluationFailure(`java.lang.ArithmeticException: not a finite double number: ${n}`);
  return n;
}

function booleanOperand(c: Compiled, scope: Scope, src: SourceText, position: string): boolean {
  if (c.type === 'boolean' || c.type === 'null') return true;
  scope.failures.add(src, `${position}argument of [${src.text}] must be [boolean], found value [${c.src.text}] type [${esType(c.type)}]`);
  return false;
}

/** A boolean operand of NOT/AND/OR: a multi-value is a single-value failure. */
function booleanValue(c: Compiled, row: Row, ctx: EvalContext, src: SourceText): boolean | null {
  const v = c.eval(row, ctx);
  if (Array.isArray(v)) {
    ctx.warnings.fail(src, SINGLE_VALUE_FAILURE);
    return null;
  }
  return v as boolean | null;
}

function compileNot(arg: Compiled, src: SourceText, scope: Scope): Compiled {
  if (!booleanOperand(arg, scope, src, '')) return broken(src);
  return { type: 'boolean', src, foldable: arg.foldable, eval: (row, ctx) => {
    const v = booleanValue(arg, row, ctx, src);
    return v === null ? null : !v;
  } };
}

/** Three-valued AND/OR (docs: "Logical operators"); both sides are always computed, as in Elasticsearch's block evaluation. */
function compileLogic(op: 'AND' | 'OR', left: Compiled, right: Compiled, src: SourceText, scope: Scope): Compiled {
  const ok = booleanOperand(left, scope, src, 'first ') && booleanOperand(right, scope, src, 'second ');
  if (!ok) return broken(src);
  const foldable = left.foldable && right.foldable;
  if (op === 'AND') {
    return { type: 'boolean', src, foldable, eval: (row, ctx) => {
      const l = booleanValue(left, row, ctx, src);
      const r = booleanValue(right, row, ctx, src);
      if (l === false || r === false) return false;
      return l === null || r === null ? null : true;
    } };
  }
  return { type: 'boolean', src, foldable, eval: (row, ctx) => {
    const l = booleanValue(left, row, ctx, src);
    const r = booleanValue(right, row, ctx, src);
    if (l === true || r === true) return true;
    return l === null || r === null ? null : false;
  } };
}

function compileArithmetic(op: '+' | '-' | '*' | '/' | '%', left: Compiled, right: Compiled, src: SourceText, scope: Scope): Compiled {
  const foldable = left.foldable && right.foldable;
  const l = left.type;
  const r = right.type;
  if (l === 'null' || r === 'null') return constant(null, l === 'null' ? (r === 'null' ? 'null' : r) : l, src);
  const isSpan = (t: DataType) => t === 'date_period' || t === 'time_duration';
  if ((op === '+' || op === '-') && ((l === 'date' && isSpan(r)) || (op === '+' && isSpan(l) && r === 'date'))) {
    const [dateSide, spanSide] = l === 'date' ? [left, right] : [right, left];
    const sign = op === '+' ? 1 : -1;
    return { type: 'date', src, foldable, eval: (row, ctx) => {
      const v = singleValues([dateSide, spanSide], row, ctx, src);
      if (v === null) return null;
      return addSpan(v[0] as number, v[1] as DatePeriod | TimeDuration, sign);
    } };
  }
  if ((op === '+' || op === '-') && isSpan(l) && l === r) {
    return { type: l, src, foldable, eval: (row, ctx) => {
      const a = left.eval(row, ctx);
      const b = right.eval(row, ctx);
      if (a instanceof DatePeriod && b instanceof DatePeriod) return op === '+' ? new DatePeriod(a.months + b.months, a.days + b.days) : new DatePeriod(a.months - b.months, a.days - b.days);
      if (a instanceof TimeDuration && b instanceof TimeDuration) return new TimeDuration(op === '+' ? a.ms + b.ms : a.ms - b.ms);
      return null;
    } };
  }
  if (!isNumeric(l) || !isNumeric(r)) return fail(scope, src, `[${op}] has arguments with incompatible types [${esType(l)}] and [${esType(r)}]`);
  const type = widen(l, r);
  const integral = type !== 'double';
  const apply = (a: number, b: number): number => {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new EvaluationFailure('java.lang.ArithmeticException: / by zero');
        return integral ? Math.trunc(a / b) : a / b;
      case '%':
        if (b === 0) throw new EvaluationFailure('java.lang.ArithmeticException: / by zero');
        return a % b;
    }
  };
  return { type, src, foldable, eval: (row, ctx) => {
    const v = singleValues([left, right], row, ctx, src);
    if (v === null) return null;
    return guarded(src, ctx, () => checkRange(apply(v[0] as number, v[1] as number), type));
  } };
}

/** How two operands compare, after Elasticsearch's implicit casting of a string constant to a date. */
function comparable(left: Compiled, right: Compiled, src: SourceText, scope: Scope): [Compiled, Compiled] | undefined {
  const l = left.type;
  const r = right.type;
  if (l === 'null' || r === 'null') return [left, right];
  if ((isString(l) && isString(r)) || (isNumeric(l) && isNumeric(r)) || l === r) {
    if (l === 'date_period' || l === 'time_duration') {
      scope.failures.add(src, `first argument of [${src.text}] must be [boolean, date, numeric or string], found value [${left.src.text}] type [${l}]`);
      return undefined;
    }
    return [left, right];
  }
  const asDate = (c: Compiled): Compiled | undefined => {
    if (!isString(c.type) || !c.foldable) return undefined;
    const v = c.eval([], planningContext());
    const ms = typeof v === 'string' ? parseDate(v) : undefined;
    if (ms === undefined) {
      scope.failures.add(c.src, `Cannot convert string [${String(v)}] to [DATETIME]`);
      return constant(null, 'date', c.src);
    }
    return constant(ms, 'date', c.src);
  };
  if (l === 'date' && isString(r)) {
    const d = asDate(right);
    if (d) return [left, d];
  }
  if (r === 'date' && isString(l)) {
    const d = asDate(left);
    if (d) return [d, right];
  }
  const family = isString(l) ? esType(l) : isNumeric(l) ? 'numeric' : esType(l);
  scope.failures.add(src, `first argument of [${src.text}] is [${family}] so second argument must also be [${family}] but was [${esType(r)}]`);
  return undefined;
}

function compileComparison(op: '==' | '!=' | '<' | '<=' | '>' | '>=', left: Compiled, right: Compiled, src: SourceText, scope: Scope): Compiled {
  const pair = comparable(left, right, src, scope);
  if (!pair) return broken(src);
  const [a, b] = pair;
  if (a.type === 'null' || b.type === 'null') return constant(null, 'boolean', src);
  const test = (c: number) => {
    switch (op) {
      case '==':
        return c === 0;
      case '!=':
        return c !== 0;
      case '<':
        return c < 0;
      case '<=':
        return c <= 0;
      case '>':
        return c > 0;
      case '>=':
        return c >= 0;
    }
  };
  return { type: 'boolean', src, foldable: a.foldable && b.foldable, eval: (row, ctx) => {
    const v = singleValues([a, b], row, ctx, src);
    if (v === null) return null;
    return test(compareScalars(v[0] as Scalar, v[1] as Scalar));
  } };
}

/** `x IN (a, b)`: true on a match, else null if the list holds a null, else false (docs: "IN"). */
function compileIn(value: Compiled, list: Compiled[], negated: boolean, src: SourceText, scope: Scope): Compiled {
  const items: Compiled[] = [];
  for (const item of list) {
    const pair = comparable(value, item, src, scope);
    if (!pair) return broken(src);
    items.push(pair[1]);
  }
  return { type: 'boolean', src, foldable: value.foldable && items.every((i) => i.foldable), eval: (row, ctx) => {
    const v = singleValues([value], row, ctx, src);
    if (v === null) return null;
    const x = v[0] as Scalar;
    let sawNull = false;
    let found = false;
    for (const item of items) {
      const candidates = item.eval(row, ctx);
      if (candidates === null) {
        sawNull = true;
        continue;
      }
      if (Array.isArray(candidates)) {
        ctx.warnings.fail(src, SINGLE_VALUE_FAILURE);
        sawNull = true;
        continue;
      }
      if (compareScalars(x, candidates) === 0) found = true;
    }
    const result = found ? true : sawNull ? null : false;
    return result === null ? null : result !== negated;
  } };
}

function compileLikeExpr(expr: Extract<Expr, { kind: 'like' }>, scope: Scope): Compiled {
  const value = compileExpr(expr.value, scope);
  const operator = expr.regex ? 'RLIKE' : 'LIKE';
  if (!isString(value.type) && value.type !== 'null') {
    return fail(scope, expr.src, `first argument of [${expr.src.text}] must be [string], found value [${value.src.text}] type [${esType(value.type)}]`);
  }
  const matchers: StringMatcher[] = [];
  for (const p of expr.patterns) {
    const pattern = compileExpr(p, scope);
    const folded = pattern.foldable ? pattern.eval([], planningContext()) : undefined;
    if (typeof folded !== 'string') {
      return fail(scope, p.src, `the pattern of ${operator} must be a constant string, found [${p.src.text}]`);
    }
    try {
      matchers.push(expr.regex ? compileLuceneRegex(folded) : compileLike(folded));
    } catch (error) {
      if (error instanceof EvaluationFailure) return fail(scope, p.src, error.message);
      throw error;
    }
  }
  const src = expr.src;
  const negated = expr.negated;
  if (value.type === 'null') return constant(null, 'boolean', src);
  return { type: 'boolean', src, foldable: value.foldable, eval: (row, ctx) => {
    const v = singleValues([value], row, ctx, src);
    if (v === null) return null;
    const s = v[0] as string;
    return matchers.some((m) => m(s)) !== negated;
  } };
}

export { parseSpan };
