import { truncate } from '../bounded-text';

/**
 * Characters that can change how text displays or what a reader believes it says:
 * C0/C1 controls (newlines, ANSI escapes), DEL, bidi overrides and isolates, zero-width
 * characters, line/paragraph separators, and lone surrogates.
 */
// eslint-disable-next-line no-misleading-character-class -- variation selectors are listed on purpose, to escape them
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Visible escape of an unsafe character: `\n`, `\x1b`, `\u202e`. */
function escapeChar(char: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  if (named[char]) return named[char];
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes attacker-controlled text inert and bounded for a human reader: one line, every unsafe
 * character shown as an escape, URL schemes defanged (`hxxp://`) so no client links them, at most `max` characters.
 */
export function inertText(value: string | null | undefined, max: number): string {
  if (value === null || value === undefined) return '(missing)';
  const escaped = value
    .slice(0, max + 1) // escaping only ever lengthens text: bound the work for megabyte values
    .replace(UNSAFE, escapeChar)
    .replace(/\bh(tt)(ps?:\/\/)/gi, 'hxx$2')
    .replace(/\b(ftp|file|javascript|data|ssh|smb|ldap)(:)/gi, '$1[:]');
  if (escaped.length <= max && value.length <= max) return escaped;
  const cut = truncate(escaped, max).text.replace(/…\[\d+ more characters\]$/, '');
  return `${cut}…[${value.length} characters in all]`;
}
/** True when text renders as itself: printable, one line, no defanging needed. */
export function isPlainText(value: string | null | undefined, max: number): value is string {
  return typeof value === 'string' && value.length <= max && inertText(value, max) === value;
}
