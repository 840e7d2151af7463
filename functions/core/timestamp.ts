const UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * A strict ISO-8601 UTC timestamp, as Elasticsearch returns dates (`2026-11-24T21:14:05.000Z`, up to nanoseconds)
 * and as this project writes them. `Date.parse` accepts far more (`Nov 24 2026 (<!channel> …)`), and whatever it
 * accepts reaches the alert and the terminal as it was written.
 */
export function isUtcTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const parts = UTC_TIMESTAMP.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 30 February over into March: a real date survives the round trip unchanged.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
}
