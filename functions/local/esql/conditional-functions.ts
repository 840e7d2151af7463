import type { Compiled } from './compiled';
import type { VerificationFailures } from './errors';
import type { ScalarFunction } from './function-helpers';
import { esType } from './type-check';
import { SINGLE_VALUE_FAILURE, type SourceText } from './warnings';
import { isString, type DataType } from './values';

/** The common type of values that must agree (keyword and text mix as keyword); undefined after a recorded failure. */
function commonType(values: readonly Compiled[], src: SourceText, failures: VerificationFailures, ordinalOf: (i: number) => string): DataType | undefined {
  let type: DataType = 'null';
  let ok = true;
  values.forEach((v, i) => {
    if (v.type === 'null') return;
    if (type === 'null') {
      type = v.type;
      return;
    }
    if (isString(type) && isString(v.type)) {
      type = type === v.type ? type : 'keyword';
      return;
    }
    if (type !== v.type) {
      ok = false;
      failures.add(src, `${ordinalOf(i)} argument of [${src.text}] must be [${esType(type)}], found value [${v.src.text}] type [${esType(v.type)}]`);
    }
  });
  return ok ? type : undefined;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const ordinal = (i: number) => ORDINALS[i] ?? `${i + 1}th`;

export const CONDITIONAL_FUNCTIONS: Record<string, ScalarFunction> = {
  /** The first non-null argument, multi-values included, evaluated lazily (docs: "COALESCE"). */
  COALESCE: {
    arity: [1, Infinity],
    compile(args, src, failures) {
      const type = commonType(args, src, failures, ordinal);
      if (type === undefined) return undefined;
      return {
        type,
        src,
        foldable: args.every((a) => a.foldable),
        eval: (row, ctx) => {
          for (const arg of args) {
            const v = arg.eval(row, ctx);
            if (v !== null) return v;
          }
          return null;
        },
      };
    },
  },
  /**
   * CASE(condition, value, …[, else]): the value of the first true condition; a null condition
   * counts as false; without an else the result is null (docs: "CASE").
   */
  CASE: {
    arity: [2, Infinity],
    compile(args, src, failures) {
      const pairs: [Compiled, Compiled][] = [];
      for (let i = 0; i + 1 < args.length; i += 2) pairs.push([args[i] as Compiled, args[i + 1] as Compiled]);
      const otherwise = args.length % 2 === 1 ? (args[args.length - 1] as Compiled) : undefined;
      let ok = true;
      pairs.forEach(([condition], k) => {
        if (condition.type !== 'boolean' && condition.type !== 'null') {
          ok = false;
          failures.add(src, `${ordinal(k * 2)} argument of [${src.text}] must be [boolean], found value [${condition.src.text}] type [${esType(condition.type)}]`);
        }
      });
      const values = [...pairs.map(([, v]) => v), ...(otherwise ? [otherwise] : [])];
      const type = commonType(values, src, failures, (i) => ordinal(i < pairs.length ? i * 2 + 1 : args.length - 1));
      if (!ok || type === undefined) return undefined;
      return {
        type,
        src,
        foldable: args.every((a) => a.foldable),
        eval: (row, ctx) => {
          for (const [condition, value] of pairs) {
            const c = condition.eval(row, ctx);
            if (Array.isArray(c)) {
              ctx.warnings.fail(condition.src, SINGLE_VALUE_FAILURE);
              continue;
            }
            if (c === true) return value.eval(row, ctx);
          }
          return otherwise ? otherwise.eval(row, ctx) : null;
        },
      };
    },
  },
};
