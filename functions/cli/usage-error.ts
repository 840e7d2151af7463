/** A mistake in how the CLI was called or configured (exit 2): the message says what to pass or set instead. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Further lines, one problem each (printed each on its own line, each escaped). */
  readonly details: readonly string[];
  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

/** A fingerprint or prefix the baseline does not hold (exit 1, like a fingerprint that was not found). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
