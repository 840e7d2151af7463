/** Errors an operator can act on. Each message says what is wrong and what to do next, never a secret value. */

export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid configuration "${field}": ${problem}`);
  }
}

export class SecretFormatError extends Error {
  override readonly name = 'SecretFormatError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(
      `Elasticsearch secret field "${field}": ${problem}. Expected JSON {"node": "https://…:9200" or "cloudId": "…", ` +
        `"apiKey": "…" or "username" + "password", optional "caFingerprint"}.`,
    );
  }
}

/** Elasticsearch answered, but not with what a hunt needs. `retryable` drives the backoff loop. */
export class HuntQueryError extends Error {
  override readonly name = 'HuntQueryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

export class BaselineImportError extends Error {
  override readonly name = 'BaselineImportError';
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`Line ${line}: ${problem}. Nothing was imported.`);
  }
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
