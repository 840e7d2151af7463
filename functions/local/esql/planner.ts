import { aggregateSpec, type AggregateSpec } from './aggregates';
import type { Assignment, Command, Expr, NameRef } from './ast';
import { constant, planningContext, type Compiled } from './compiled';
import { unsupported, type VerificationFailures } from './errors';
import { compileExpr, type Params, type Scope } from './expressions';
import { wildcardMatcher } from './index-resolution';
import {
  filterOperator,
  limitOperator,
  mapOperator,
  mvExpandOperator,
  sortOperator,
  statsOperator,
  type OperatorFactory,
  type SortKeySpec,
} from './operators';
import { esType } from './type-check';
import type { SourceText } from './warnings';
import type { DataType } from './values';

export interface Column {
  readonly name: string;
  readonly type: DataType;
}

export interface Stage {
  readonly command: Command['kind'];
  readonly operator: OperatorFactory;
  /** Passes every row on unchanged in number (EVAL, KEEP…): a SORT may then use a later LIMIT as its bound. */
  readonly oneToOne: boolean;
  readonly limit?: number;
  /** SORT only: the same operator keeping just the first `bound` rows. */
  readonly withBound?: (bound: number) => OperatorFactory;
}

export interface PlanEnv {
  readonly failures: VerificationFailures;
  readonly params: Params;
  /** Columns that exist in the index but cannot be used (mapped with conflicting types). */
  readonly conflicts?: ReadonlyMap<string, string>;
}

/** Plans the processing commands after the source: each one's columns, and its operator. */
export function planCommands(commands: readonly Command[], input: readonly Column[], env: PlanEnv): { stages: Stage[]; output: Column[] } {
  let schema: Column[] = [...input];
  const stages: Stage[] = [];
  for (const command of commands) {
    const planned = planCommand(command, schema, env);
    schema = planned.output;
    stages.push(planned.stage);
  }
  return { stages, output: schema };
}

/** A SORT followed, through row-preserving commands only, by a LIMIT needs to keep just that many rows. */
export function boundSorts(stages: readonly Stage[]): Stage[] {
  return stages.map((stage, i) => {
    if (!stage.withBound) return stage;
    for (let j = i + 1; j < stages.length; j++) {
      const next = stages[j] as Stage;
      if (next.limit !== undefined) return { ...stage, operator: stage.withBound(next.limit) };
      if (!next.oneToOne) break;
    }
    return stage;
  });
}

function rowScope(schema: readonly Column[], env: PlanEnv): Scope {
  return {
    failures: env.failures,
    params: env.params,
    resolveField(name, src) {
      const conflict = env.conflicts?.get(name);
      if (conflict && !schema.some((c) => c.name === name)) {
        env.failures.add(src, conflict);
        return constant(null, 'null', src);
      }
      const index = findLast(schema, name);
      if (index < 0) return undefined;
      const type = (schema[index] as Column).type;
      return { type, src, foldable: false, eval: (row) => row[index] ?? null };
    },
  };
}

const findLast = (schema: readonly Column[], name: string) => {
  for (let i = schema.length - 1; i >= 0; i--) if ((schema[i] as Column).name === name) return i;
  return -1;
};

function planCommand(command: Command, schema: Column[], env: PlanEnv): { output: Column[]; stage: Stage } {
  const stage = (operator: OperatorFactory, oneToOne: boolean, limit?: number): Stage => ({ command: command.kind, operator, oneToOne, limit });
  switch (command.kind) {
    case 'where': {
      const condition = compileExpr(command.condition, rowScope(schema, env));
      if (condition.type !== 'boolean' && condition.type !== 'null') {
        env.failures.add(command.condition.src, `Condition expression needs to be boolean, found [${esType(condition.type).toUpperCase()}]`);
      }
      return { output: schema, stage: stage(filterOperator(condition), false) };
    }
    case 'eval': {
      // Each assignment sees the ones before it; a reused name drops the old column and appends the new.
      let current = schema;
      const steps: { compiled: Compiled; drop: number }[] = [];
      for (const field of command.fields) {
        const compiled = compileExpr(field.expr, rowScope(current, env));
        checkStorable(compiled, field, env.failures, 'EVAL');
        const drop = findLast(current, field.name);
        current = [...current.filter((_, i) => i !== drop), { name: field.name, type: compiled.type }];
        steps.push({ compiled, drop });
      }
      return {
        output: current,
        stage: stage(
          mapOperator((row, ctx) => {
            let r = row;
            for (const { compiled, drop } of steps) {
              const value = compiled.eval(r, ctx);
              r = drop >= 0 ? [...r.slice(0, drop), ...r.slice(drop + 1), value] : [...r, value];
            }
            return r;
          }),
          true,
        ),
      };
    }
    case 'stats':
      return planStats(command, schema, env);
    case 'sort': {
      const scope = rowScope(schema, env);
      const keys: SortKeySpec[] = command.keys.map((k) => {
        const key = compileExpr(k.expr, scope);
        if (key.type === 'date_period' || key.type === 'time_duration') env.failures.add(k.expr.src, `cannot sort on ${key.type}`);
        return { key, descending: k.descending, nullsFirst: k.nullsFirst };
      });
      return { output: schema, stage: { command: 'sort', operator: sortOperator(keys, undefined), oneToOne: false, withBound: (bound) => sortOperator(keys, bound) } };
    }
    case 'limit': {
      const count = compileExpr(command.count, rowScope([], env));
      const n = count.foldable ? count.eval([], planningContext()) : null;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        env.failures.add(command.count.src, `Invalid value for LIMIT [${command.count.src.text}], expecting a non negative integer`);
        return { output: schema, stage: stage(limitOperator(0), false, 0) };
      }
      return { output: schema, stage: stage(limitOperator(n), false, n) };
    }
    case 'keep': {
      const keep = selectKeep(command.names, schema, env.failures);
      return { output: keep.map((i) => schema[i] as Column), stage: stage(mapOperator((row) => keep.map((i) => row[i] ?? null)), true) };
    }
    case 'drop': {
      const dropped = new Set<number>();
      for (const ref of command.names) {
        const matches = matching(ref, schema);
        if (matches.length === 0) reportMissing(ref, env.failures);
        for (const i of matches) dropped.add(i);
      }
      const kept = schema.map((_, i) => i).filter((i) => !dropped.has(i));
      return { output: kept.map((i) => schema[i] as Column), stage: stage(mapOperator((row) => kept.map((i) => row[i] ?? null)), true) };
    }
    case 'rename': {
      let names = schema.map((c) => c.name);
      const types = schema.map((c) => c.type);
      let positions = schema.map((_, i) => i);
      for (const { from, to } of command.pairs) {
        const at = names.lastIndexOf(from.name);
        if (at < 0) {
          reportMissing(from, env.failures);
          continue;
        }
        // A column already named like the target is replaced.
        const keep = names.map((n, i) => i === at || n !== to.name);
        names = names.map((n, i) => (i === at ? to.name : n)).filter((_, i) => keep[i]);
        positions = positions.filter((_, i) => keep[i]);
      }
      const output = names.map((name, i) => ({ name, type: types[positions[i] as number] as DataType }));
      const picks = positions;
      return { output, stage: stage(mapOperator((row) => picks.map((i) => row[i] ?? null)), true) };
    }
    case 'mv_expand': {
      const index = findLast(schema, command.field.name);
      if (index < 0) {
        reportMissing(command.field, env.failures);
        return { output: schema, stage: stage(mapOperator((r) => r), true) };
      }
      return { output: schema, stage: stage(mvExpandOperator(index), false) };
    }
    case 'from':
    case 'row':
      throw unsupported(command.src, `${command.kind.toUpperCase()} after the first command`);
  }
}

function checkStorable(compiled: Compiled, field: Assignment, failures: VerificationFailures, command: string): void {
  if (compiled.type === 'date_period' || compiled.type === 'time_duration') {
    failures.add(field.src, `${command} does not support type [${compiled.type}] as the return data type of expression [${field.expr.src.text}]`);
  }
}

function matching(ref: NameRef, schema: readonly Column[]): number[] {
  if (!ref.pattern) {
    const i = findLast(schema, ref.name);
    return i < 0 ? [] : [i];
  }
  const test = wildcardMatcher(ref.name);
  return schema.map((c, i) => (test(c.name) ? i : -1)).filter((i) => i >= 0);
}

function reportMissing(ref: NameRef, failures: VerificationFailures) {
  failures.add(ref.src, ref.pattern ? `No matches found for pattern [${ref.name}]` : `Unknown column [${ref.name}]`);
}

/**
 * KEEP (docs: "KEEP"): columns in the order of the names given; when a column matches several,
 * an exact name beats a partial wildcard, which beats `*`, and among equals the right-most wins.
 */
function selectKeep(refs: readonly NameRef[], schema: readonly Column[], failures: VerificationFailures): number[] {
  const best = new Map<number, { ref: number; priority: number }>();
  refs.forEach((ref, r) => {
    const matches = matching(ref, schema);
    if (matches.length === 0) reportMissing(ref, failures);
    const priority = !ref.pattern ? 2 : ref.name === '*' ? 0 : 1;
    for (const i of matches) {
      const current = best.get(i);
      if (!current || priority >= current.priority) best.set(i, { ref: r, priority });
    }
  });
  return [...best.entries()].sort((a, b) => a[1].ref - b[1].ref || a[0] - b[0]).map(([i]) => i);
}

function planStats(command: Extract<Command, { kind: 'stats' }>, schema: Column[], env: PlanEnv): { output: Column[]; stage: Stage } {
  const inputScope = rowScope(schema, env);
  const groups = command.groups.map((g) => {
    const compiled = compileExpr(g.expr, inputScope);
    checkStorable(compiled, g, env.failures, 'STATS');
    return compiled;
  });
  const aggregates: AggregateSpec[] = [];
  const nAggregatesBefore = () => aggregates.length;
  // Output expressions read [aggregate results…, group keys…]; group slots are offset once all aggregates are known.
  const groupRefs: { index: number; type: DataType; src: SourceText; slot: { at: number } }[] = [];
  const outputs: Compiled[] = [];
  for (const a of command.aggregates) {
    let found = 0;
    const scope: Scope = {
      failures: env.failures,
      params: env.params,
      resolveField(name, src) {
        const g = command.groups.findIndex((group) => group.name === name);
        if (g < 0) {
          if (findLast(schema, name) >= 0) {
            env.failures.add(src, `column [${name}] must appear in the STATS BY clause or be used in an aggregate function`);
            return constant(null, 'null', src);
          }
          return undefined;
        }
        const slot = { at: -1 };
        groupRefs.push({ index: g, type: (groups[g] as Compiled).type, src, slot });
        return { type: (groups[g] as Compiled).type, src, foldable: false, eval: (row) => row[slot.at] ?? null };
      },
      aggregate(call) {
        found++;
        const args = call.args.map((arg) => compileExpr(arg, inputScope));
        const spec = aggregateSpec(call, args, call.src, env.failures);
        if (!spec) return constant(null, 'null', call.src);
        const slot = nAggregatesBefore();
        aggregates.push(spec);
        return { type: spec.type, src: call.src, foldable: false, eval: (row) => row[slot] ?? null };
      },
    };
    const compiled = compileExpr(a.expr, scope);
    if (found === 0) env.failures.add(a.expr.src, `expected an aggregate function but found [${a.expr.src.text}]`);
    checkStorable(compiled, a, env.failures, 'STATS');
    outputs.push(compiled);
  }
  for (const ref of groupRefs) ref.slot.at = aggregates.length + ref.index;
  const output: Column[] = [
    ...command.aggregates.map((a, i) => ({ name: a.name, type: (outputs[i] as Compiled).type })),
    ...command.groups.map((g, i) => ({ name: g.name, type: (groups[i] as Compiled).type })),
  ];
  // A name used twice keeps its last occurrence (Elasticsearch shadows the earlier one).
  const last = new Map(output.map((c, i) => [c.name, i]));
  const keepIdx = output.map((_, i) => i).filter((i) => last.get((output[i] as Column).name) === i);
  const operator = statsOperator({ aggregates, groups, outputs });
  const projected: OperatorFactory =
    keepIdx.length === output.length ? operator : (next, ctx) => operator(mapOperator((row) => keepIdx.map((i) => row[i] ?? null))(next, ctx), ctx);
  return { output: keepIdx.map((i) => output[i] as Column), stage: { command: 'stats', operator: projected, oneToOne: false } };
}

/** The fields an expression reads, for loading only what a query needs. */
export function referencedNames(commands: readonly Command[]): { names: Set<string>; patterns: string[]; narrows: boolean } {
  const names = new Set<string>();
  const patterns: string[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'field':
        names.add(e.name);
        return;
      case 'call':
        e.args.forEach(visit);
        return;
      case 'neg':
      case 'not':
        visit(e.arg);
        return;
      case 'arith':
      case 'compare':
      case 'logic':
        visit(e.left);
        visit(e.right);
        return;
      case 'in':
        visit(e.value);
        e.list.forEach(visit);
        return;
      case 'like':
        visit(e.value);
        e.patterns.forEach(visit);
        return;
      case 'isNull':
      case 'cast':
        visit(e.value);
        return;
      case 'span':
        visit(e.amount);
        return;
      case 'list':
        e.items.forEach(visit);
        return;
      default:
        return;
    }
  };
  const ref = (r: NameRef) => (r.pattern ? patterns.push(r.name) : names.add(r.name));
  let narrows = false;
  for (const c of commands) {
    switch (c.kind) {
      case 'where':
        visit(c.condition);
        break;
      case 'eval':
      case 'row':
        c.fields.forEach((f) => visit(f.expr));
        break;
      case 'stats':
        narrows = true;
        c.aggregates.forEach((a) => visit(a.expr));
        c.groups.forEach((g) => visit(g.expr));
        break;
      case 'sort':
        c.keys.forEach((k) => visit(k.expr));
        break;
      case 'keep':
        narrows = true;
        c.names.forEach(ref);
        break;
      case 'drop':
        c.names.forEach(ref);
        break;
      case 'rename':
        c.pairs.forEach((p) => ref(p.from));
        break;
      case 'mv_expand':
        ref(c.field);
        break;
      default:
        break;
    }
  }
  return { names, patterns, narrows };
}
