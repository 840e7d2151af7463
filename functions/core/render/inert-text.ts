import { truncate } from '../bounded-text';
import { escapeInvisible, nonAsciiCodePoints } from '../invisible-text';
import { defangLinks } from './defang';

/**
 * Makes attacker-controlled text inert and bounded for a human reader (email, Slack, terminal):
 * one line, every invisible code point shown as an escape, every token a client could link
 * defanged (`hxxps[://]evil[.]example`), at most `max` characters. `escapeMore` adds a channel's own
 * escapes before defanging, so that no escape it writes can complete a link token.
 */
export function inertText(value: string | null | undefined, max: number, escapeMore: (text: string) => string = (text) => text): string {
  if (value === null || value === undefined) return '(missing)';
  // Escaping and defanging only ever lengthen text: bound the work for megabyte values.
  const shown = defangLinks(escapeMore(escapeInvisible(value.slice(0, max + 1))));
  if (shown.length <= max && value.length <= max) return shown;
  const cut = truncate(shown, max).text.replace(/…\[\d+ more characters\]$/, '');
  return `${cut}…[${value.length} characters in all]`;
}

/**
 * A visible note when a value holds non-ASCII code points, naming the first few: a homoglyph
 * (`01-ifupdоwn` with a Cyrillic о) reads like the known script otherwise. Empty for ASCII.
 */
export function nonAsciiNote(value: string | null | undefined): string {
  if (!value || !/[^\x00-\x7f]/.test(value)) return '';
  const shown = 5;
  const points = nonAsciiCodePoints(value, shown + 1);
  return `[non-ASCII: ${points.slice(0, shown).join(' ')}${points.length > shown ? ' …' : ''}]`;
}
