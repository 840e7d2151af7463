import { SINGLE_VALUE_FAILURE, Warnings, type SourceText } from './warnings';
import type { DataType, Scalar, Value } from './values';

/** What evaluation needs besides the row: where warnings go and the query's fixed `now`. */
export interface EvalContext {
  readonly warnings: Warnings;
  readonly now: number;
}

export type Row = Value[];

/** An expression after names and types are resolved: its type, and how to compute it for a row. */
export interface Compiled {
  readonly type: DataType;
  readonly src: SourceText;
  /** True when it reads no column: a constant Elasticsearch folds at planning time. */
  readonly foldable: boolean;
  eval(row: Row, ctx: EvalContext): Value;
}

/** Thrown inside an evaluator to make the result null and record a warning, as Elasticsearch does. */
export class EvaluationFailure extends Error {}

/** Evaluates a function body, turning an EvaluationFailure into null plus a warning on `src`. */
export function guarded(src: SourceText, ctx: EvalContext, body: () => Value): Value {
  try {
    return body();
  } catch (error) {
    if (error instanceof EvaluationFailure) {
      ctx.warnings.fail(src, error.message);
      return null;
    }
    throw error;
  }
}

/**
 * Evaluates arguments the way Elasticsearch's single-value evaluators do, in order: a null
 * argument makes the result null; a multi-valued one makes it null with a warning.
 */
export function singleValues(args: readonly Compiled[], row: Row, ctx: EvalContext, src: SourceText): Scalar[] | null {
  // Every argument is computed (as Elasticsearch computes whole blocks), then checked in order.
  const values = args.map((arg) => arg.eval(row, ctx));
  const out: Scalar[] = [];
  for (const v of values) {
    if (v === null) return null;
    if (Array.isArray(v)) {
      ctx.warnings.fail(src, SINGLE_VALUE_FAILURE);
      return null;
    }
    out.push(v);
  }
  return out;
}

export const constant = (value: Value, type: DataType, src: SourceText): Compiled => ({
  type,
  src,
  foldable: true,
  eval: () => value,
});

/** For folding constants at planning time: warnings there are discarded, as the query has not run. */
export const planningContext = (now = Date.now()): EvalContext => ({ warnings: new Warnings(), now });
