import { guarded, singleValues, type Compiled, type EvalContext } from './compiled';
import type { VerificationFailures } from './errors';
import { checkArgs, type TypeClass } from './type-check';
import type { SourceText } from './warnings';
import type { DataType, Scalar, Value } from './values';

export interface ScalarFunction {
  readonly arity: readonly [number, number];
  compile(args: Compiled[], src: SourceText, failures: VerificationFailures): Compiled | undefined;
}

/**
 * A function that, like most in ES|QL, takes single values: a null argument gives null, a
 * multi-valued one gives null and a warning. `impl` may throw EvaluationFailure for the same effect.
 */
export function singleValueFunction(spec: {
  arity: readonly [number, number];
  args: readonly TypeClass[];
  returns: DataType | ((args: Compiled[]) => DataType);
  impl: (values: Scalar[], ctx: EvalContext, args: Compiled[]) => Value;
}): ScalarFunction {
  return {
    arity: spec.arity,
    compile(args, src, failures) {
      if (!checkArgs(failures, src, args, spec.args)) return undefined;
      const type = typeof spec.returns === 'function' ? spec.returns(args) : spec.returns;
      return {
        type,
        src,
        foldable: args.every((a) => a.foldable),
        eval: (row, ctx) => {
          const values = singleValues(args, row, ctx, src);
          if (values === null) return null;
          return guarded(src, ctx, () => spec.impl(values, ctx, args));
        },
      };
    },
  };
}

/** The type of the first argument, with text read as keyword where Elasticsearch returns keyword. */
export const typeOfFirst = (args: Compiled[]): DataType => (args[0] as Compiled).type;
export const keywordOfFirst = (args: Compiled[]): DataType => {
  const t = (args[0] as Compiled).type;
  return t === 'text' ? 'keyword' : t;
};
