import { parsingError, type SourceLocation } from './errors';

export type Token =
  | { kind: 'ident'; value: string; quoted: boolean; start: number; end: number }
  | { kind: 'pattern'; value: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'integer'; value: number; text: string; start: number; end: number }
  | { kind: 'decimal'; value: number; start: number; end: number }
  | { kind: 'param'; name: string | undefined; position: number | undefined; start: number; end: number }
  | { kind: 'op'; value: string; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

/** `ident` reads names (`process.parent.executable`, `` `a b` ``); `pattern` also allows `*` (KEEP, DROP). */
export type LexMode = 'ident' | 'pattern';

const OPERATORS = ['::', '==', '!=', '<=', '>=', '=~', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '=', '|'];
const ID_START = /[A-Za-z_@]/;
const ID_BODY = /[A-Za-z0-9_@]/;

/** Reads ES|QL tokens on demand: the parser says which mode the next token is read in. */
export class Lexer {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  location(offset: number): SourceLocation {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }

  /** Offset of the next token after whitespace and comments. */
  skipTrivia(at: number): number {
    const t = this.text;
    let i = at;
    for (;;) {
      while (i < t.length && /\s/.test(t[i] as string)) i++;
      if (t.startsWith('//', i)) {
        while (i < t.length && t[i] !== '\n') i++;
        continue;
      }
      if (t.startsWith('/*', i)) {
        const end = t.indexOf('*/', i + 2);
        if (end < 0) throw parsingError(this.location(i), 'unterminated block comment');
        i = end + 2;
        continue;
      }
      return i;
    }
  }

  read(at: number, mode: LexMode = 'ident'): Token {
    const t = this.text;
    const start = this.skipTrivia(at);
    if (start >= t.length) return { kind: 'eof', start, end: start };
    const c = t[start] as string;
    if (c === '"') return this.readString(start);
    if (/\d/.test(c) || (c === '.' && /\d/.test(t[start + 1] ?? ''))) return this.readNumber(start);
    if (c === '?') return this.readParam(start);
    if (mode === 'pattern' && (c === '*' || ID_START.test(c) || c === '`')) return this.readName(start, true);
    if (ID_START.test(c) || c === '`') return this.readName(start, false);
    for (const op of OPERATORS) {
      if (t.startsWith(op, start)) return { kind: 'op', value: op, start, end: start + op.length };
    }
    throw parsingError(this.location(start), `token recognition error at: '${c}'`);
  }

  private readString(start: number): Token {
    const t = this.text;
    if (t.startsWith('"""', start)) {
      const close = t.indexOf('"""', start + 3);
      const newline = t.slice(start, close < 0 ? undefined : close).search(/[\r\n]/);
      if (close < 0 || newline >= 0) throw parsingError(this.location(start), 'unterminated triple-quoted string');
      // Like the grammar: up to two more quotes right after the closing triple belong to the string.
      let end = close + 3;
      let value = t.slice(start + 3, close);
      while (t[end] === '"' && end < close + 5) {
        value += '"';
        end++;
      }
      return { kind: 'string', value, start, end };
    }
    let value = '';
    let i = start + 1;
    for (;;) {
      const ch = t[i];
      if (ch === undefined || ch === '\n' || ch === '\r') throw parsingError(this.location(start), 'unterminated quoted string');
      if (ch === '"') break;
      if (ch === '\\') {
        const e = t[i + 1];
        const escaped = e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === '"' ? '"' : e === '\\' ? '\\' : undefined;
        if (escaped === undefined) throw parsingError(this.location(i), `token recognition error at: '${t.slice(start, i + 2)}'`);
        value += escaped;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    return { kind: 'string', value, start, end: i + 1 };
  }

  private readNumber(start: number): Token {
    const t = this.text;
    const match = /^(\d*)(\.\d*)?([eE][+-]?\d+)?/.exec(t.slice(start)) as RegExpExecArray;
    const text = match[0];
    const end = start + text.length;
    if (match[2] === undefined && match[3] === undefined) return { kind: 'integer', value: Number(text), text, start, end };
    return { kind: 'decimal', value: Number(text), start, end };
  }

  private readParam(start: number): Token {
    const t = this.text;
    if (t[start + 1] === '?') throw parsingError(this.location(start), 'identifier parameters (??name) are not supported');
    const rest = /^(?:([A-Za-z][A-Za-z0-9_]*)|_[A-Za-z0-9_]+|(\d+))?/.exec(t.slice(start + 1)) as RegExpExecArray;
    const end = start + 1 + rest[0].length;
    if (rest[2] !== undefined) return { kind: 'param', name: undefined, position: Number(rest[2]), start, end };
    return { kind: 'param', name: rest[0] === '' ? undefined : rest[0], position: undefined, start, end };
  }

  /** A dotted name whose parts are unquoted or `back-quoted`; in pattern mode parts may hold `*`. */
  private readName(start: number, pattern: boolean): Token {
    const t = this.text;
    let i = start;
    let value = '';
    let quoted = false;
    let firstPart = true;
    for (;;) {
      if (t[i] === '`') {
        quoted = true;
        let j = i + 1;
        for (;;) {
          if (j >= t.length) throw parsingError(this.location(i), 'unterminated quoted identifier');
          if (t[j] === '`') {
            if (t[j + 1] === '`') {
              value += '`';
              j += 2;
              continue;
            }
            break;
          }
          value += t[j];
          j++;
        }
        i = j + 1;
      } else {
        const body = pattern ? /[A-Za-z0-9_@*]/ : ID_BODY;
        const first = !firstPart ? body : pattern ? /[A-Za-z_@*]/ : ID_START;
        if (!first.test(t[i] ?? '')) throw parsingError(this.location(i), `token recognition error at: '${t[i] ?? ''}'`);
        while (i < t.length && body.test(t[i] as string)) value += t[i++];
      }
      const next = t[i + 1] ?? '';
      if (t[i] === '.' && (next === '`' || (pattern ? /[A-Za-z_@*0-9]/ : /[A-Za-z_@0-9]/).test(next))) {
        value += '.';
        i++;
        firstPart = false;
        continue;
      }
      break;
    }
    if (pattern && value.includes('*')) return { kind: 'pattern', value, start, end: i };
    return { kind: 'ident', value, quoted, start, end: i };
  }
}
