/** Replaces every occurrence of the given secret values (last line of defence before a log line is written). */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, secret) => out.split(secret).join('[REDACTED]'), text);
}
