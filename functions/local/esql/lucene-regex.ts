import { EvaluationFailure } from './compiled';

/**
 * RLIKE patterns use Lucene's regular expression syntax (docs: "Regular expression syntax"),
 * not Java's: the match is always whole-string (no `^`/`$` anchors: they are literal), `.` is
 * any character, `"…"` is a literal string, `@` any string and `#` the empty language.
 * Translated to a JavaScript RegExp; the operators this evaluator does not implement
 * (`&` intersection, `~` complement, `<n-m>` numeric intervals, `\d`-style classes) are rejected.
 */
export function compileLuceneRegex(pattern: string): (value: string) => boolean {
  const source = new LuceneTranslator([...pattern], pattern).translate();
  const re = new RegExp(`^(?:${source})$`, 'su');
  return (v) => re.test(v);
}

/** Escapes one character for a JavaScript `u` RegExp, outside or inside a character class. */
const lit = (c: string) => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);
const classLit = (c: string) => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c);

class LuceneTranslator {
  private i = 0;

  constructor(
    private readonly c: string[],
    private readonly pattern: string,
  ) {}

  translate(): string {
    const out = this.union();
    if (this.i < this.c.length) this.fail(`unexpected '${this.c[this.i]}'`);
    return out;
  }

  private fail(what: string): never {
    throw new EvaluationFailure(`invalid or unsupported Lucene regular expression [${this.pattern}]: ${what} at position ${this.i}`);
  }

  private peek() {
    return this.c[this.i];
  }

  private union(): string {
    const alternatives = [this.concat()];
    while (this.peek() === '|') {
      this.i++;
      alternatives.push(this.concat());
    }
    return alternatives.join('|');
  }

  private concat(): string {
    let out = '';
    while (this.i < this.c.length && this.peek() !== '|' && this.peek() !== ')') out += this.repeat();
    return out;
  }

  private repeat(): string {
    if (this.peek() === '~') this.fail('the complement operator ~ is not implemented');
    let atom = this.simple();
    for (;;) {
      const c = this.peek();
      if (c === '*' || c === '+' || c === '?') {
        this.i++;
        atom = `(?:${atom})${c}`;
      } else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.c.slice(this.i).join(''));
        if (!m) this.fail('malformed {n,m} repetition');
        this.i += [...m[0]].length;
        atom = `(?:${atom})${m[0]}`;
      } else if (c === '&') {
        this.fail('the intersection operator & is not implemented');
      } else {
        return atom;
      }
    }
  }

  private simple(): string {
    const c = this.peek();
    if (c === undefined) this.fail('unexpected end');
    this.i++;
    switch (c) {
      case '.':
        return '.';
      case '@':
        return '.*';
      case '#':
        return '(?!)';
      case '(': {
        if (this.peek() === ')') {
          this.i++;
          return '(?:)';
        }
        const inner = this.union();
        if (this.peek() !== ')') this.fail("missing ')'");
        this.i++;
        return `(?:${inner})`;
      }
      case '"': {
        let s = '';
        while (this.peek() !== '"') {
          if (this.peek() === undefined) this.fail('unterminated "…" string');
          s += lit(this.c[this.i++] as string);
        }
        this.i++;
        return `(?:${s})`;
      }
      case '[':
        return this.charClass();
      case '<':
        return this.fail('numeric intervals <n-m> are not implemented');
      case '\\':
        return lit(this.escaped());
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ')':
      case ']':
      case '|':
      case '&':
      case '~':
        return this.fail(`unexpected '${c}'`);
      default:
        return lit(c);
    }
  }

  private escaped(): string {
    const next = this.c[this.i++];
    if (next === undefined) this.fail('trailing backslash');
    if (/[A-Za-z0-9]/.test(next)) this.fail(`the escape \\${next} is ambiguous across Lucene versions and not implemented`);
    return next;
  }

  private charClass(): string {
    let out = '[';
    if (this.peek() === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    while (this.peek() !== ']' || first) {
      let c = this.c[this.i++];
      if (c === undefined) this.fail("missing ']'");
      if (c === ']' && first) this.fail('empty character class');
      first = false;
      if (c === '\\') c = this.escaped();
      out += classLit(c);
      if (this.peek() === '-' && this.c[this.i + 1] !== ']' && this.c[this.i + 1] !== undefined) {
        this.i++;
        let to = this.c[this.i++] as string;
        if (to === '\\') to = this.escaped();
        out += `-${classLit(to)}`;
      }
    }
    this.i++;
    return `${out}]`;
  }
}
