/** Exponential backoff with full jitter, bounded by attempts and by a deadline (the Lambda's remaining time). */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryContext {
  /** Epoch milliseconds after which no new attempt starts. */
  readonly deadline?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 8_000 };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
  context: RetryContext = {},
): Promise<T> {
  const now = context.now ?? Date.now;
  const wait = context.sleep ?? sleep;
  const random = context.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const delay = Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
      const outOfTime = context.deadline !== undefined && now() + delay >= context.deadline;
      if (attempt >= policy.maxAttempts || outOfTime || !isRetryable(error)) throw error;
      context.onRetry?.(attempt, delay, error);
      await wait(delay);
    }
  }
}
