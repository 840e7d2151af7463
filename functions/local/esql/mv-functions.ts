import { EvaluationFailure, guarded, singleValues, type Compiled, type EvalContext, type Row } from './compiled';
import type { VerificationFailures } from './errors';
import type { ScalarFunction } from './function-helpers';
import { checkArgs, type TypeClass } from './type-check';
import type { SourceText } from './warnings';
import { cell, compareScalars, valuesOf, type DataType, type Scalar, type Value } from './values';

/**
 * Multi-value functions (docs: "Multivalue functions") read the whole cell; their extra
 * arguments (a delimiter, offsets) are single values.
 */
function mvFunction(spec: {
  arity: readonly [number, number];
  args: readonly TypeClass[];
  returns: (args: Compiled[]) => DataType;
  impl: (values: Scalar[], extra: Scalar[], ctx: EvalContext) => Value;
}): ScalarFunction {
  return {
    arity: spec.arity,
    compile(args: Compiled[], src: SourceText, failures: VerificationFailures) {
      if (!checkArgs(failures, src, args, spec.args)) return undefined;
      const [field, ...rest] = args as [Compiled, ...Compiled[]];
      return {
        type: spec.returns(args),
        src,
        foldable: args.every((a) => a.foldable),
        eval: (row: Row, ctx: EvalContext) => {
          const value = field.eval(row, ctx);
          const extra = singleValues(rest, row, ctx, src);
          if (value === null || extra === null) return null;
          return guarded(src, ctx, () => spec.impl(valuesOf(value), extra, ctx));
        },
      };
    },
  };
}

/** Multi-value functions return keyword for text (docs: supported types tables). */
const same = (args: Compiled[]) => ((args[0] as Compiled).type === 'text' ? 'keyword' : (args[0] as Compiled).type);
const sorted = (values: Scalar[]) => [...values].sort(compareScalars);

export const MV_FUNCTIONS: Record<string, ScalarFunction> = {
  MV_COUNT: mvFunction({ arity: [1, 1], args: ['any'], returns: () => 'integer', impl: (v) => v.length }),
  MV_FIRST: mvFunction({ arity: [1, 1], args: ['any'], returns: same, impl: (v) => v[0] ?? null }),
  MV_LAST: mvFunction({ arity: [1, 1], args: ['any'], returns: same, impl: (v) => v[v.length - 1] ?? null }),
  MV_MIN: mvFunction({ arity: [1, 1], args: ['comparable'], returns: same, impl: (v) => sorted(v)[0] ?? null }),
  MV_MAX: mvFunction({ arity: [1, 1], args: ['comparable'], returns: same, impl: (v) => sorted(v)[v.length - 1] ?? null }),
  MV_DEDUPE: mvFunction({
    arity: [1, 1],
    args: ['any'],
    returns: same,
    // The docs allow but do not promise sorting; first occurrences in order are kept here.
    impl: (v) => cell([...new Set(v)]),
  }),
  MV_SORT: mvFunction({
    arity: [1, 2],
    args: ['comparable', 'string'],
    returns: same,
    impl: (v, [order]) => {
      const o = ((order as string | undefined) ?? 'ASC').toUpperCase();
      if (o !== 'ASC' && o !== 'DESC') throw new EvaluationFailure(`org.elasticsearch.xpack.esql.core.InvalidArgumentException: Invalid order value in [MV_SORT], expected one of [ASC, DESC] but got [${order}]`);
      const s = sorted(v);
      return cell(o === 'ASC' ? s : s.reverse());
    },
  }),
  MV_SLICE: mvFunction({
    arity: [2, 3],
    args: ['any', 'integral', 'integral'],
    returns: same,
    impl: (v, [start, end]) => {
      const n = v.length;
      const s = (start as number) < 0 ? (start as number) + n : (start as number);
      const e0 = end === undefined ? (start as number) : (end as number);
      const e = e0 < 0 ? e0 + n : e0;
      if (s > e) throw new EvaluationFailure('org.elasticsearch.xpack.esql.core.InvalidArgumentException: Start offset is greater than end offset');
      if (s >= n || e < 0) return null;
      return cell(v.slice(Math.max(0, s), Math.min(e, n - 1) + 1));
    },
  }),
  MV_APPEND: {
    arity: [2, 2],
    compile(args, src, failures) {
      const [a, b] = args as [Compiled, Compiled];
      const type = a.type === 'null' ? same([b]) : same([a]);
      if (a.type !== 'null' && b.type !== 'null' && same([a]) !== same([b])) {
        failures.add(src, `second argument of [${src.text}] must be [${a.type}], found value [${b.src.text}] type [${b.type}]`);
        return undefined;
      }
      return {
        type,
        src,
        foldable: a.foldable && b.foldable,
        eval: (row, ctx) => cell([...valuesOf(a.eval(row, ctx)), ...valuesOf(b.eval(row, ctx))]),
      };
    },
  },
  MV_CONCAT: mvFunction({ arity: [2, 2], args: ['string', 'string'], returns: () => 'keyword', impl: (v, [delimiter]) => v.join(delimiter as string) }),
};
