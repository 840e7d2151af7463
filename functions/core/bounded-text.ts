/** Cuts text to at most `max` UTF-16 units without splitting a surrogate pair, saying how much was cut. */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let end = Math.max(0, max - 40);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: `${text.slice(0, end)}…[${text.length - end} more characters]`, truncated: true };
}
