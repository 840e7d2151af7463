import { EvaluationFailure } from './compiled';

/**
 * REPLACE uses java.util.regex (Pattern.compile without flags, Matcher.replaceAll). This translates
 * the constructs Java and JavaScript share and rewrites the ones whose meaning differs
 * (`.`, `$`, `\s`, `\Z`, `\Q…\E`); constructs JavaScript cannot express (possessive quantifiers,
 * atomic groups, inline flags, class intersections, POSIX `\p{Alpha}`) are rejected, never guessed.
 */
export function compileJavaRegex(pattern: string): RegExp {
  const source = new JavaTranslator([...pattern], pattern).translate();
  try {
    return new RegExp(source, 'gu');
  } catch (error) {
    throw new EvaluationFailure(`java.util.regex.PatternSyntaxException: ${(error as Error).message} near index 0\n${pattern}`);
  }
}

const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
const JAVA_SPACE = ' \\t\\n\\x0B\\f\\r';
const SYNTAX = /[\\^$.*+?()[\]{}|/]/;

class JavaTranslator {
  private i = 0;
  private afterQuantifier = false;

  constructor(
    private readonly c: string[],
    private readonly pattern: string,
  ) {}

  private reject(what: string): never {
    throw new EvaluationFailure(`the Java regular expression [${this.pattern}] uses ${what}, which the local evaluator does not implement`);
  }

  translate(): string {
    let out = '';
    while (this.i < this.c.length) {
      const c = this.c[this.i++] as string;
      const wasQuantifier = this.afterQuantifier;
      this.afterQuantifier = false;
      switch (c) {
        case '\\':
          out += this.escape(false);
          break;
        case '.':
          out += `[^${LINE_TERMINATORS}]`;
          break;
        case '$':
          // Java's `$` also matches before a final line terminator.
          out += `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?$)`;
          break;
        case '[':
          out += this.charClass();
          break;
        case '(':
          out += this.group();
          break;
        case '*':
        case '+':
        case '?':
          if (wasQuantifier && c === '+') this.reject('a possessive quantifier');
          out += c;
          // `x*?` is lazy (fine in JavaScript); after it no further modifier applies.
          this.afterQuantifier = !(wasQuantifier && c === '?');
          break;
        case '{': {
          const m = /^\d+(,\d*)?\}/.exec(this.c.slice(this.i).join(''));
          if (!m) this.reject('a `{` that is not a repetition');
          this.i += m[0].length;
          out += `{${m[0]}`;
          this.afterQuantifier = true;
          break;
        }
        default:
          out += c === '/' ? '\\/' : c;
      }
    }
    return out;
  }

  private group(): string {
    if (this.c[this.i] !== '?') return '(';
    const rest = this.c.slice(this.i, this.i + 3).join('');
    for (const ok of ['?:', '?=', '?!', '?<=', '?<!']) {
      if (rest.startsWith(ok)) {
        this.i += ok.length;
        return `(${ok}`;
      }
    }
    const named = /^\?<([a-zA-Z][a-zA-Z0-9]*)>/.exec(this.c.slice(this.i).join(''));
    if (named) {
      this.i += named[0].length;
      return `(${named[0]}`;
    }
    if (rest.startsWith('?>')) this.reject('an atomic group (?>…)');
    return this.reject('inline flags (?…)');
  }

  private escape(inClass: boolean): string {
    const e = this.c[this.i++];
    if (e === undefined) throw new EvaluationFailure(`java.util.regex.PatternSyntaxException: Unexpected internal error near index ${this.c.length}\n${this.pattern}`);
    switch (e) {
      case 'd': case 'D': case 'w': case 'W': case 't': case 'n': case 'r': case 'f':
        return `\\${e}`;
      case 'b': case 'B':
        if (inClass) this.reject('\\b in a character class');
        return `\\${e}`;
      case 's':
        return inClass ? JAVA_SPACE : `[${JAVA_SPACE}]`;
      case 'S':
        if (inClass) this.reject('\\S in a character class');
        return `[^${JAVA_SPACE}]`;
      case 'a':
        return '\\x07';
      case 'e':
        return '\\x1B';
      case 'x': {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(this.c.slice(this.i).join(''));
        if (braced) {
          this.i += braced[0].length;
          return `\\u{${braced[1]}}`;
        }
        return '\\x';
      }
      case 'u': case 'c':
        return `\\${e}`;
      case 'A':
        if (inClass) this.reject('\\A in a character class');
        return '^';
      case 'z':
        if (inClass) this.reject('\\z in a character class');
        return '$';
      case 'Z':
        if (inClass) this.reject('\\Z in a character class');
        return `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?$)`;
      case 'k':
        return '\\k';
      case 'Q': {
        if (inClass) this.reject('\\Q…\\E in a character class');
        let literal = '';
        while (this.i < this.c.length && !(this.c[this.i] === '\\' && this.c[this.i + 1] === 'E')) {
          const ch = this.c[this.i++] as string;
          literal += SYNTAX.test(ch) ? `\\${ch}` : ch;
        }
        this.i += 2;
        return `(?:${literal})`;
      }
      case 'p': case 'P': {
        const m = /^\{(L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Co|Cn)\}/.exec(this.c.slice(this.i).join(''));
        if (!m) this.reject(`\\${e} with a class other than a Unicode general category`);
        this.i += m[0].length;
        return `\\${e}${m[0]}`;
      }
      default:
        if (/[0-9]/.test(e)) {
          if (e === '0' || inClass) this.reject('octal escapes');
          return `\\${e}`;
        }
        if (/[A-Za-z]/.test(e)) this.reject(`the escape \\${e}`);
        if (inClass) return SYNTAX.test(e) || e === '-' ? `\\${e}` : e;
        return SYNTAX.test(e) ? `\\${e}` : e;
    }
  }

  private charClass(): string {
    let out = '[';
    if (this.c[this.i] === '^') {
      out += '^';
      this.i++;
    }
    if (this.c[this.i] === ']') this.reject('a `]` first in a character class');
    for (;;) {
      const c = this.c[this.i++];
      if (c === undefined) throw new EvaluationFailure(`java.util.regex.PatternSyntaxException: Unclosed character class near index ${this.c.length - 1}\n${this.pattern}`);
      if (c === ']') return `${out}]`;
      if (c === '[') this.reject('a nested character class');
      if (c === '&' && this.c[this.i] === '&') this.reject('a character class intersection (&&)');
      out += c === '\\' ? this.escape(true) : c === '/' ? '\\/' : c;
    }
  }
}

/**
 * Java's replacement syntax (Matcher.appendReplacement): `$n` and `${name}` insert groups,
 * `\x` is a literal x. Returns a JavaScript replace callback.
 */
export function javaReplacement(template: string, regex: RegExp): (match: string, ...rest: unknown[]) => string {
  const groupCount = (new RegExp(`${regex.source}|`, regex.flags.replace('g', '')).exec('') as RegExpExecArray).length - 1;
  type Part = string | { group: number } | { name: string };
  const parts: Part[] = [];
  const chars = [...template];
  let literal = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      if (i + 1 >= chars.length) throw new EvaluationFailure('java.lang.IllegalArgumentException: character to be escaped is missing');
      literal += chars[++i];
    } else if (c === '$') {
      if (i + 1 >= chars.length) throw new EvaluationFailure('java.lang.IllegalArgumentException: Illegal group reference: group index is missing');
      if (literal) parts.push(literal);
      literal = '';
      if (chars[i + 1] === '{') {
        const close = chars.indexOf('}', i + 2);
        const name = chars.slice(i + 2, close).join('');
        if (close < 0 || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) throw new EvaluationFailure('java.lang.IllegalArgumentException: named capturing group is missing trailing \'}\'');
        if (!new RegExp(`\\(\\?<${name}>`).test(regex.source)) throw new EvaluationFailure(`java.lang.IllegalArgumentException: No group with name {${name}}`);
        parts.push({ name });
        i = close;
      } else if (/[0-9]/.test(chars[i + 1] as string)) {
        let group = Number(chars[++i]);
        if (group > groupCount) throw new EvaluationFailure(`java.lang.IndexOutOfBoundsException: No group ${group}`);
        while (i + 1 < chars.length && /[0-9]/.test(chars[i + 1] as string) && group * 10 + Number(chars[i + 1]) <= groupCount) {
          group = group * 10 + Number(chars[++i]);
        }
        parts.push({ group });
      } else {
        throw new EvaluationFailure('java.lang.IllegalArgumentException: Illegal group reference');
      }
    } else {
      literal += c;
    }
  }
  if (literal) parts.push(literal);
  return (match, ...rest) => {
    const last = rest[rest.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    return parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if ('name' in p) return named[p.name] ?? '';
        return p.group === 0 ? match : ((rest[p.group - 1] as string | undefined) ?? '');
      })
      .join('');
  };
}
