/**
 * Errors the evaluator raises, each carrying the `error.type` Elasticsearch would answer with,
 * so the stand-in can send the same 400 body a real cluster sends.
 */
export type EsqlErrorType =
  | 'parsing_exception'
  | 'verification_exception'
  | 'illegal_argument_exception'
  | 'x_content_parse_exception'
  /** Valid for Elasticsearch, but this local evaluator does not implement it: never a guess. */
  | 'local_evaluator_unsupported_exception';

export class EsqlError extends Error {
  constructor(
    readonly type: EsqlErrorType,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'EsqlError';
  }

  /** The JSON body Elasticsearch sends for this error. */
  toResponseBody() {
    const cause = { type: this.type, reason: this.message };
    return { error: { root_cause: [cause], ...cause }, status: this.status };
  }
}

/** A location in the query text, 1-based like Elasticsearch's `line L:C` prefixes. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

export const parsingError = (at: SourceLocation, message: string) =>
  new EsqlError('parsing_exception', `line ${at.line}:${at.column}: ${message}`);

export const unsupported = (at: SourceLocation | undefined, what: string) =>
  new EsqlError(
    'local_evaluator_unsupported_exception',
    `${at ? `line ${at.line}:${at.column}: ` : ''}${what} is valid for Elasticsearch but not implemented by the local ES|QL evaluator`,
  );

/** Collects verification failures the way Elasticsearch reports them: "Found N problem(s)" then one line each. */
export class VerificationFailures {
  private readonly failures: string[] = [];

  add(at: SourceLocation, message: string): void {
    this.failures.push(`line ${at.line}:${at.column}: ${message}`);
  }

  get empty(): boolean {
    return this.failures.length === 0;
  }

  throwIfAny(): void {
    if (this.failures.length === 0) return;
    const n = this.failures.length;
    throw new EsqlError('verification_exception', `Found ${n} problem${n > 1 ? 's' : ''}\n${this.failures.join('\n')}`);
  }
}

export const verificationError = (at: SourceLocation, message: string) => {
  const failures = new VerificationFailures();
  failures.add(at, message);
  return new EsqlError('verification_exception', `Found 1 problem\nline ${at.line}:${at.column}: ${message}`);
};
