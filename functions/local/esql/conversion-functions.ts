import { EvaluationFailure, guarded, planningContext, type Compiled } from './compiled';
import type { VerificationFailures } from './errors';
import type { ScalarFunction } from './function-helpers';
import { parseSpan } from './spans';
import { accepts, esType } from './type-check';
import type { SourceText } from './warnings';
import { DatePeriod, formatDate, isInteger32, inLongRange, parseDate, TimeDuration, type DataType, type Scalar, type Value } from './values';

const INVALID = 'org.elasticsearch.xpack.esql.core.InvalidArgumentException';

/** Java's Double.toString, which TO_STRING uses: `1.0`, `1.5E10`, `1.0E-5`. */
export function javaDoubleToString(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) < 1e7) return `${d}.0`;
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) return String(d);
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function toNumber(v: Scalar, from: DataType, integral: boolean): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return integral && from === 'double' ? Math.round(v) : v;
  const text = String(v).trim();
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const d = Number(text);
    return integral ? Math.round(d) : d;
  }
  throw new EvaluationFailure(`${INVALID}: Cannot parse number [${String(v)}]`);
}

/** One TO_<TYPE> conversion: applied to each value of a multi-value, with a warning and null for each failure. */
function converter(target: DataType, accepted: (t: DataType) => boolean, convert: (v: Scalar, from: DataType) => Scalar): ScalarFunction {
  return {
    arity: [1, 1],
    compile(args, src, failures) {
      const arg = args[0] as Compiled;
      if (!accepted(arg.type)) {
        failures.add(src, `argument of [${src.text}] must be [${target === 'keyword' ? 'any type' : 'boolean, datetime, numeric or string'}], found value [${arg.src.text}] type [${esType(arg.type)}]`);
        return undefined;
      }
      if (arg.type === target) return { ...arg, src };
      return {
        type: target,
        src,
        foldable: arg.foldable,
        eval: (row, ctx) => {
          const v = arg.eval(row, ctx);
          if (v === null) return null;
          const values = Array.isArray(v) ? v : [v];
          const out: Scalar[] = [];
          for (const one of values) {
            const converted = guarded(src, ctx, () => convert(one, arg.type));
            if (converted !== null) out.push(converted as Scalar);
          }
          return out.length === 0 ? null : out.length === 1 ? (out[0] as Scalar) : out;
        },
      };
    },
  };
}

const basic = (t: DataType) => accepts(t, 'comparable');

function inRange(n: number, target: 'integer' | 'long', original: Scalar): number {
  const ok = target === 'integer' ? isInteger32(n) : inLongRange(n);
  if (!ok) throw new EvaluationFailure(`${INVALID}: [${String(original)}] out of [${target}] range`);
  return n;
}

function toDate(v: Scalar, from: DataType): number {
  if (typeof v === 'number') return from === 'double' ? Math.trunc(v) : v;
  if (typeof v === 'string') {
    const ms = parseDate(v);
    if (ms === undefined || /^-?\d+$/.test(v)) throw new EvaluationFailure(`java.lang.IllegalArgumentException: failed to parse date field [${v}] with format [strict_date_optional_time]`);
    return ms;
  }
  throw new EvaluationFailure(`${INVALID}: cannot convert [${String(v)}] to datetime`);
}

function toKeyword(v: Scalar, from: DataType): string {
  if (from === 'date') return formatDate(v as number);
  if (from === 'double') return javaDoubleToString(v as number);
  if (v instanceof DatePeriod || v instanceof TimeDuration) throw new EvaluationFailure(`${INVALID}: cannot convert a time span to a string`);
  return String(v);
}

/** TO_DATEPERIOD / TO_TIMEDURATION: only of constants, folded at planning time (docs: "TO_DATEPERIOD"). */
function spanConverter(target: 'date_period' | 'time_duration'): ScalarFunction {
  return {
    arity: [1, 1],
    compile(args, src, failures) {
      const arg = args[0] as Compiled;
      if (arg.type === target) return { ...arg, src };
      const value: Value = arg.foldable && (arg.type === 'keyword' || arg.type === 'text') ? arg.eval([], planningContext()) : null;
      const span = typeof value === 'string' ? parseSpan(value) : undefined;
      const ok = target === 'date_period' ? span instanceof DatePeriod : span instanceof TimeDuration;
      if (!ok) {
        failures.add(src, arg.foldable ? `Cannot convert string [${String(value)}] to [${target.toUpperCase()}]` : `argument of [${src.text}] must be a constant, received [${arg.src.text}]`);
        return undefined;
      }
      return { type: target, src, foldable: true, eval: () => span as Scalar };
    },
  };
}

export const CONVERSION_FUNCTIONS: Record<string, ScalarFunction> = {
  TO_STRING: converter('keyword', (t) => accepts(t, 'any'), toKeyword),
  TO_LONG: converter('long', basic, (v, from) => inRange(toNumber(v, from, true), 'long', v)),
  TO_INTEGER: converter('integer', basic, (v, from) => inRange(toNumber(v, from, true), 'integer', v)),
  TO_DOUBLE: converter('double', basic, (v, from) => toNumber(v, from, false)),
  TO_BOOLEAN: converter('boolean', basic, (v) => (typeof v === 'string' ? v.toLowerCase() === 'true' : typeof v === 'number' ? v !== 0 : (v as boolean))),
  TO_DATETIME: converter('date', basic, toDate),
  TO_DATEPERIOD: spanConverter('date_period'),
  TO_TIMEDURATION: spanConverter('time_duration'),
};

/** `expr::type` is the matching TO_<TYPE> function. */
const CASTS: Record<string, string> = {
  keyword: 'TO_STRING', string: 'TO_STRING', text: 'TO_STRING',
  long: 'TO_LONG', integer: 'TO_INTEGER', int: 'TO_INTEGER', double: 'TO_DOUBLE',
  boolean: 'TO_BOOLEAN', bool: 'TO_BOOLEAN', datetime: 'TO_DATETIME', date: 'TO_DATETIME',
  date_period: 'TO_DATEPERIOD', time_duration: 'TO_TIMEDURATION',
};

export function castFunction(to: string): ((arg: Compiled, src: SourceText, failures: VerificationFailures) => Compiled) | undefined {
  const name = CASTS[to];
  const fn = name ? CONVERSION_FUNCTIONS[name] : undefined;
  if (!fn) return undefined;
  return (arg, src, failures) => fn.compile([arg], src, failures) ?? { type: 'null', src, foldable: true, eval: () => null };
}
