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

/**
 * Text from outside (a file, a response) quoted for an error message: every code point outside printable ASCII as
 * an escape, and cut, so that an echoed value can neither fake a line nor reach a terminal or a chat raw.
 */
export function quoted(text: string, max = 60): string {
  const cut = [...text].slice(0, max).join('');
  const escape = (c: string) => {
    if (c === '"' || c === '\\') return `\\${c}`;
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  };
  return `"${cut.replace(/[^\x20-\x7e]|["\\]/gu, escape)}"${cut.length < text.length ? '...' : ''}`;
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** ES|QL named no index that matches the hunt's patterns: no data from this source. */
export class UnknownIndexError extends Error {
  override readonly name = 'UnknownIndexError';
}

/** ES|QL does not know a column: no index of the patterns maps this field. */
export class UnknownColumnError extends Error {
  override readonly name = 'UnknownColumnError';
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}
