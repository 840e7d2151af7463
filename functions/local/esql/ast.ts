import type { SourceText } from './warnings';
import type { DataType, Value } from './values';

/** ES|QL as parsed, before names and types are resolved. Every node keeps its source text. */
export type Expr =
  | { kind: 'literal'; value: Value; type: DataType; src: SourceText }
  | { kind: 'param'; name: string | undefined; position: number | undefined; src: SourceText }
  | { kind: 'field'; name: string; src: SourceText }
  | { kind: 'call'; name: string; args: Expr[]; star: boolean; src: SourceText }
  | { kind: 'neg'; arg: Expr; src: SourceText }
  | { kind: 'not'; arg: Expr; src: SourceText }
  | { kind: 'arith'; op: '+' | '-' | '*' | '/' | '%'; left: Expr; right: Expr; src: SourceText }
  | { kind: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Expr; right: Expr; src: SourceText }
  | { kind: 'logic'; op: 'AND' | 'OR'; left: Expr; right: Expr; src: SourceText }
  | { kind: 'in'; value: Expr; list: Expr[]; negated: boolean; src: SourceText }
  | { kind: 'like'; value: Expr; patterns: Expr[]; negated: boolean; regex: boolean; src: SourceText }
  | { kind: 'isNull'; value: Expr; negated: boolean; src: SourceText }
  | { kind: 'cast'; value: Expr; to: string; src: SourceText }
  | { kind: 'span'; amount: Expr; unit: string; src: SourceText }
  | { kind: 'list'; items: Expr[]; src: SourceText };

/** `name = expr`, or a bare expression named by its own source text. */
export interface Assignment {
  readonly name: string;
  readonly expr: Expr;
  readonly src: SourceText;
}

export interface NameRef {
  readonly name: string;
  readonly pattern: boolean;
  readonly src: SourceText;
}

export interface SortKey {
  readonly expr: Expr;
  readonly descending: boolean;
  /** Elasticsearch's default: nulls last ascending, first descending. */
  readonly nullsFirst: boolean;
}

export type Command =
  | { kind: 'from'; patterns: string[]; src: SourceText }
  | { kind: 'row'; fields: Assignment[]; src: SourceText }
  | { kind: 'where'; condition: Expr; src: SourceText }
  | { kind: 'eval'; fields: Assignment[]; src: SourceText }
  | { kind: 'stats'; aggregates: Assignment[]; groups: Assignment[]; src: SourceText }
  | { kind: 'sort'; keys: SortKey[]; src: SourceText }
  | { kind: 'limit'; count: Expr; src: SourceText }
  | { kind: 'keep'; names: NameRef[]; src: SourceText }
  | { kind: 'drop'; names: NameRef[]; src: SourceText }
  | { kind: 'rename'; pairs: { from: NameRef; to: NameRef }[]; src: SourceText }
  | { kind: 'mv_expand'; field: NameRef; src: SourceText };
