/**
 * Code points that display as nothing, as something else, or differently in each program:
 * controls (Cc: newlines, ANSI escapes), format characters (Cf: bidi overrides and isolates,
 * zero-width characters, TAG characters U+E0000–E007F), private use (Co), unassigned (Cn, which
 * includes the noncharacters), line and paragraph separators (Zl, Zp), lone surrogates (Cs),
 * every Default_Ignorable_Code_Point (variation selectors, Hangul fillers, the combining grapheme
 * joiner…), spaces other than U+0020 (Zs: they pass for a space), and U+FFFC/U+FFFD (object and
 * replacement characters, which hide what was there). Classes, not ranges: each runtime applies
 * the Unicode version it knows, so a character assigned tomorrow is covered by its class today.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}\ufffc\ufffd]|[^\P{Zs} ]/gu;

/** True when `char` (one code point, or a lone surrogate) belongs to the classes above. */
export const isInvisible = (char: string): boolean => new RegExp(`^(?:${INVISIBLE.source})$`, 'u').test(char);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A visible escape a reader can look up: `\n`, `\x1b`, `\u202e`, `\u{e0041}`. */
export function visibleEscape(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0) as number;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/** Shows every invisible code point as a visible escape; everything else is left as it is. */
export const escapeInvisible = (text: string): string => text.replace(INVISIBLE, visibleEscape);

/** `\uXXXX` (a surrogate pair for astral code points): what JSON decodes back to the same character. */
function jsonEscape(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * The same JSON text, decoding to exactly the same values, with no invisible code point in the raw
 * text: those are written as `\uXXXX` escapes. JSON.stringify already escapes C0 controls and lone
 * surrogates; what remains is DEL or non-ASCII, which JSON text holds only inside string literals,
 * where an escape is valid.
 */
export const inertJson = (jsonText: string): string =>
  jsonText.replace(INVISIBLE, (char) => ((char.codePointAt(0) as number) < 0x7f ? char : jsonEscape(char)));

/** JSON.stringify, then {@link inertJson}. */
export const stringifyInert = (value: unknown, space?: number): string => inertJson(JSON.stringify(value, null, space));

/** Distinct non-ASCII code points of `text` as `U+XXXX`, in order of appearance, at most `max`. */
export function nonAsciiCodePoints(text: string, max = 5): string[] {
  const found = new Set<string>();
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code > 0x7f) found.add(`U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
    if (found.size >= max) break;
  }
  return [...found];
}
