import type { AggregateSpec, Aggregator } from './aggregates';
import type { Compiled, EvalContext, Row } from './compiled';
import { SINGLE_VALUE_FAILURE } from './warnings';
import { compareScalars, type Scalar, type Value } from './values';

/**
 * Push-based operators: each command passes rows on as they come, so events stream through
 * FROM, WHERE and EVAL and only STATS (its groups) and SORT hold rows. `push` answers false when
 * no more rows are wanted (a LIMIT is full), which stops reading events.
 */
export interface Sink {
  push(row: Row): boolean;
  finish(): void;
}

export type OperatorFactory = (next: Sink, ctx: EvalContext) => Sink;

export const filterOperator = (condition: Compiled): OperatorFactory => (next, ctx) => ({
  push(row) {
    const v = condition.eval(row, ctx);
    if (Array.isArray(v)) ctx.warnings.fail(condition.src, SINGLE_VALUE_FAILURE);
    return v === true ? next.push(row) : true;
  },
  finish: () => next.finish(),
});

export const mapOperator = (map: (row: Row, ctx: EvalContext) => Row): OperatorFactory => (next, ctx) => ({
  push: (row) => next.push(map(row, ctx)),
  finish: () => next.finish(),
});

export const limitOperator = (n: number): OperatorFactory => (next) => {
  let count = 0;
  return {
    push(row) {
      if (count >= n) return false;
      count++;
      return next.push(row) && count < n;
    },
    finish: () => next.finish(),
  };
};

/** One row per value of a multi-valued column; a null or single value passes unchanged (docs: "MV_EXPAND"). */
export const mvExpandOperator = (index: number): OperatorFactory => (next) => ({
  push(row) {
    const v = row[index] as Value;
    if (!Array.isArray(v)) return next.push(row);
    for (const one of v) {
      const copy = [...row];
      copy[index] = one;
      if (!next.push(copy)) return false;
    }
    return true;
  },
  finish: () => next.finish(),
});

export interface SortKeySpec {
  readonly key: Compiled;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/**
 * SORT (docs: "SORT"): a multi-valued key sorts by its lowest value ascending and its highest
 * descending; nulls last ascending and first descending unless NULLS FIRST/LAST says otherwise.
 * With a LIMIT right after, only the top rows are kept.
 */
export const sortOperator = (keys: readonly SortKeySpec[], bound: number | undefined): OperatorFactory => (next, ctx) => {
  let rows: { keys: (Scalar | null)[]; row: Row }[] = [];
  const compare = (a: (Scalar | null)[], b: (Scalar | null)[]) => {
    for (let i = 0; i < keys.length; i++) {
      const spec = keys[i] as SortKeySpec;
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === spec.nullsFirst ? -1 : 1;
      }
      const c = compareScalars(x, y);
      if (c !== 0) return spec.descending ? -c : c;
    }
    return 0;
  };
  const sortKey = (v: Value, descending: boolean): Scalar | null => {
    if (!Array.isArray(v)) return v;
    const sorted = [...v].sort(compareScalars);
    return (descending ? sorted[sorted.length - 1] : sorted[0]) ?? null;
  };
  const prune = () => {
    rows.sort((a, b) => compare(a.keys, b.keys));
    if (bound !== undefined) rows = rows.slice(0, bound);
  };
  return {
    push(row) {
      rows.push({ keys: keys.map((k) => sortKey(k.key.eval(row, ctx), k.descending)), row });
      if (bound !== undefined && rows.length > 2 * bound + 1024) prune();
      return true;
    },
    finish() {
      prune();
      for (const r of rows) if (!next.push(r.row)) break;
      next.finish();
    },
  };
};

export interface StatsSpec {
  readonly aggregates: readonly AggregateSpec[];
  readonly groups: readonly Compiled[];
  /** Output expressions over [aggregate results…, group keys…]. */
  readonly outputs: readonly Compiled[];
}

/**
 * STATS … BY (docs: "STATS"): a row joins one group per combination of its key values, so a
 * multi-valued key puts it in each of its values' groups and a null key forms its own group.
 * Memory holds the groups, never the rows.
 */
export const statsOperator = (spec: StatsSpec): OperatorFactory => (next, ctx) => {
  type Group = { keys: (Scalar | null)[]; aggregators: Aggregator[] };
  // Groups live in nested maps, one level per key, keyed by the value itself (null by a marker):
  // exact for any attacker-chosen text, and no key string to build per row.
  const NULL_KEY = Symbol('null');
  const root = new Map<unknown, unknown>();
  const order: Group[] = [];
  const depth = spec.groups.length;
  const newGroup = (keys: (Scalar | null)[]): Group => {
    const g = { keys, aggregators: spec.aggregates.map((a) => a.create()) };
    order.push(g);
    return g;
  };
  const single = depth === 0 ? newGroup([]) : undefined;
  const groupFor = (keys: (Scalar | null)[]): Group => {
    let level = root;
    for (let i = 0; i < depth - 1; i++) {
      const k = keys[i] ?? NULL_KEY;
      let nextLevel = level.get(k) as Map<unknown, unknown> | undefined;
      if (!nextLevel) {
        nextLevel = new Map();
        level.set(k, nextLevel);
      }
      level = nextLevel;
    }
    const last = keys[depth - 1] ?? NULL_KEY;
    let group = level.get(last) as Group | undefined;
    if (!group) {
      group = newGroup([...keys]);
      level.set(last, group);
    }
    return group;
  };
  const argValues: Value[] = new Array(spec.aggregates.length).fill(null);
  const keyValues: Value[] = new Array(depth).fill(null);
  const addTo = (group: Group) => {
    for (let i = 0; i < group.aggregators.length; i++) (group.aggregators[i] as Aggregator).add(argValues[i] as Value);
  };
  /** Every combination of key values: a multi-valued key puts the row in each of its values' groups. */
  const visit = (i: number, keys: (Scalar | null)[]) => {
    if (i === depth) {
      addTo(groupFor(keys));
      return;
    }
    const v = keyValues[i] as Value;
    if (Array.isArray(v)) {
      for (const x of new Set(v)) {
        keys[i] = x;
        visit(i + 1, keys);
      }
    } else {
      keys[i] = v;
      visit(i + 1, keys);
    }
  };
  const scratch: (Scalar | null)[] = new Array(depth).fill(null);
  return {
    push(row) {
      for (let i = 0; i < spec.aggregates.length; i++) {
        const a = spec.aggregates[i] as AggregateSpec;
        argValues[i] = a.arg ? a.arg.eval(row, ctx) : null;
      }
      if (single) {
        addTo(single);
        return true;
      }
      for (let i = 0; i < depth; i++) keyValues[i] = (spec.groups[i] as Compiled).eval(row, ctx);
      visit(0, scratch);
      return true;
    },
    finish() {
      for (const group of order) {
        const statsRow: Row = [...group.aggregators.map((a) => a.result()), ...group.keys];
        const out = spec.outputs.map((o) => o.eval(statsRow, ctx));
        if (!next.push([...out, ...group.keys])) break;
      }
      next.finish();
    },
  };
};
