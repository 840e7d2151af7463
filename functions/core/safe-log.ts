import { escapeInvisible } from './invisible-text';
import type { RunLog } from './nightly-run';
import type { Redactor } from './redact';

/** The part of a structured logger a run writes through (Powertools' Logger fits). */
export interface StructuredLogger {
  info(message: string, details: Record<string, unknown>): void;
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

/**
 * Log records for people reading them in CloudWatch or a terminal: every string of the message and
 * the details redacted and its invisible code points escaped, one by one; the structure is kept.
 */
export function safeRunLog(logger: StructuredLogger, secrets: Redactor): RunLog {
  const message = (text: string) => escapeInvisible(secrets.text(text));
  const details = (value?: Record<string, unknown>) => (value ? (secrets.value(value, escapeInvisible) as Record<string, unknown>) : {});
  return {
    info: (text, value) => logger.info(message(text), details(value)),
    warn: (text, value) => logger.warn(message(text), details(value)),
    error: (text, value) => logger.error(message(text), details(value)),
  };
}
