import type { SourceLocation } from './errors';

/** Where an expression sits in the query and how it was written: warnings quote both. */
export interface SourceText extends SourceLocation {
  readonly text: string;
}

export const SINGLE_VALUE_FAILURE = 'java.lang.IllegalArgumentException: single-value function encountered multi-value';

/** Elasticsearch records the first 20 failures of each expression, under one header line. */
const FAILURES_RECORDED = 20;

/**
 * The `Warning` response header texts of one query, in order and de-duplicated as HTTP headers are
 * (Elasticsearch adds the same text once): "Line 1:16: evaluation of [b + 2] failed, treating
 * result as null. Only first 20 failures recorded." then one line per distinct failure.
 */
export class Warnings {
  private readonly texts = new Set<string>();
  private readonly failures = new Map<string, number>();

  /** An expression failed on one row: its result is null. */
  fail(source: SourceText, message: string): void {
    const key = `${source.line}:${source.column}:${source.text}`;
    const seen = this.failures.get(key) ?? 0;
    if (seen >= FAILURES_RECORDED) return;
    this.failures.set(key, seen + 1);
    const at = `Line ${source.line}:${source.column}: `;
    if (seen === 0) this.texts.add(`${at}evaluation of [${source.text}] failed, treating result as null. Only first 20 failures recorded.`);
    this.texts.add(`${at}${message}`);
  }

  /** A warning not tied to an expression (the implicit LIMIT). */
  add(text: string): void {
    this.texts.add(text);
  }

  list(): string[] {
    return [...this.texts];
  }
}
