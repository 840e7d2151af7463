/**
 * What mail clients, chat apps and terminals turn into links without being asked, and how each is
 * broken so the text reads the same to an analyst and links nowhere. Applied to attacker text after
 * its invisible code points were escaped, so every character here is one a reader sees.
 *
 * Token grammar (each rule is stricter than linkify-it's, which the tests use as the reference linkifier):
 * - scheme: a run of `[A-Za-z0-9+.-]` holding a letter, then `:` not followed by a space — any scheme, not
 *   a list: `javascript:`, `ms-msdt:`, `file:`. Shown `scheme[:]`, `scheme[://]` before `//`; `http` also
 *   becomes `hxxp`. (`failed: reason` stays as it is: no linkifier links a scheme followed by a space.)
 * - protocol-relative: `//` (what follows may be `localhost` or `user@host`). Shown `[//]`.
 * - `www.` not preceded by a letter or digit. Shown `www[.]`.
 * - host: a dot (or an ideographic or fullwidth full stop) after a character that can end a host label
 *   (anything but space, punctuation and `<>｜`) and before two letters or `xn--`, i.e. a top-level domain
 *   of any list. Shown `[.]`. A chain of four or more digit groups may hold an IPv4 address anywhere in it:
 *   every dot of it is shown `[.]`: `203[.]0[.]113[.]66`.
 * - mail: `@` before a letter or digit (`user@host`, `//user@host`). Shown `[@]`.
 * - UNC: `\\` before anything but a backslash (`\\host\share`, `\\?\UNC\…`). Shown `[\\]`.
 */
const SCHEME = /([A-Za-z][A-Za-z0-9+.-]*):(?!\s)(\/\/)?/g;
const RELATIVE = /(?<!\[:)\/\/(?!\])/g;
const WWW = /(?<![\p{L}\p{N}])(www)([.。．｡])/giu;
const DIGIT_CHAIN = /\d+(?:\.\d+){3,}/g;
const HOST_DOT = /(?<=[^\s\p{Z}\p{P}<>｜])([.。．｡])(?=\p{L}{2}|xn--)/giu;
const MAIL = /@(?=[\p{L}\p{N}])/gu;
const UNC = /\\\\(?!\\)/g;

export function defangLinks(text: string): string {
  return text
    .replace(SCHEME, (_match, scheme: string, slashes: string | undefined) => `${scheme.replace(/^h(tt)(ps?)$/i, 'hxx$2')}${slashes ? '[://]' : '[:]'}`)
    .replace(RELATIVE, '[//]')
    .replace(WWW, '$1[$2]')
    .replace(DIGIT_CHAIN, (chain) => chain.replace(/\./g, '[.]'))
    .replace(HOST_DOT, '[$1]')
    .replace(MAIL, '[@]')
    .replace(UNC, '[\\\\]');
}
