import type { Assignment, Command, Expr, NameRef, SortKey } from './ast';
import { parsingError, unsupported } from './errors';
import { Lexer, type LexMode, type Token } from './tokenizer';
import type { SourceText } from './warnings';

/** Commands Elasticsearch has that this evaluator does not run: named, so the error says so. */
const UNIMPLEMENTED_COMMANDS = new Set([
  'DISSECT', 'GROK', 'ENRICH', 'LOOKUP', 'JOIN', 'LEFT', 'RIGHT', 'FULL', 'INLINESTATS', 'INLINE', 'FORK', 'FUSE',
  'CHANGE_POINT', 'SAMPLE', 'COMPLETION', 'RERANK', 'INSIST', 'RRF', 'SHOW', 'META', 'METRICS', 'TS', 'EXPLAIN',
  'SET', 'FILL_NULL', 'URI_PARTS', 'REGISTERED_DOMAIN', 'DEDUP', 'DISTINCT',
]);

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'RLIKE', 'IS', 'NULL', 'TRUE', 'FALSE', 'BY', 'AS', 'ASC', 'DESC', 'NULLS', 'WHERE']);

/** Parses ES|QL query text into commands. Anything outside the implemented subset is an error. */
export function parseQuery(text: string): { commands: Command[]; lexer: Lexer } {
  const parser = new Parser(new Lexer(text));
  return { commands: parser.query(), lexer: parser.lexer };
}

class Parser {
  private pos = 0;
  private lastEnd = 0;

  constructor(readonly lexer: Lexer) {}

  query(): Command[] {
    const commands: Command[] = [this.sourceCommand()];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return commands;
      if (!this.isOp(t, '|')) throw this.mismatched(t, "'|'");
      this.advance(t);
      commands.push(this.processingCommand());
    }
  }

  // ---- commands -----------------------------------------------------------

  private sourceCommand(): Command {
    const t = this.peek();
    const word = this.keyword(t);
    if (word === 'FROM') return this.from(t);
    if (word === 'ROW') {
      this.advance(t);
      return { kind: 'row', fields: this.assignments(), src: this.src(t.start) };
    }
    if (word && UNIMPLEMENTED_COMMANDS.has(word)) throw unsupported(this.at(t), `the ${word} command`);
    throw this.mismatched(t, "{'row', 'from'}");
  }

  private processingCommand(): Command {
    const t = this.peek();
    const word = this.keyword(t);
    const start = t.start;
    switch (word) {
      case 'WHERE':
        this.advance(t);
        return { kind: 'where', condition: this.expression(), src: this.src(start) };
      case 'EVAL':
        this.advance(t);
        return { kind: 'eval', fields: this.assignments(), src: this.src(start) };
      case 'STATS':
        this.advance(t);
        return this.stats(start);
      case 'SORT':
        this.advance(t);
        return { kind: 'sort', keys: this.sortKeys(), src: this.src(start) };
      case 'LIMIT': {
        this.advance(t);
        const count = this.peek();
        if (count.kind !== 'integer' && count.kind !== 'param') throw this.mismatched(count, 'INTEGER_LITERAL');
        return { kind: 'limit', count: this.primary(), src: this.src(start) };
      }
      case 'KEEP':
      case 'DROP': {
        this.advance(t);
        const names = this.commaList(() => this.nameRef(true));
        return { kind: word === 'KEEP' ? 'keep' : 'drop', names, src: this.src(start) };
      }
      case 'RENAME':
        this.advance(t);
        return { kind: 'rename', pairs: this.commaList(() => this.renamePair()), src: this.src(start) };
      case 'MV_EXPAND':
        this.advance(t);
        return { kind: 'mv_expand', field: this.nameRef(false), src: this.src(start) };
      case 'FROM':
      case 'ROW':
        throw this.mismatched(t, 'a processing command');
      default:
        if (word === 'LOOKUP' || word === 'LEFT' || word === 'JOIN') throw unsupported(this.at(t), 'LOOKUP JOIN');
        if (word && UNIMPLEMENTED_COMMANDS.has(word)) throw unsupported(this.at(t), `the ${word} command`);
        throw this.mismatched(t, "{'eval', 'where', 'stats', 'sort', 'limit', 'keep', 'drop', 'rename', 'mv_expand'}");
    }
  }

  /** FROM's index patterns are read raw up to the next pipe, like Elasticsearch's source lexer mode. */
  private from(t: Token): Command {
    const text = this.lexer.text;
    let i = t.end;
    let end = i;
    let inQuotes = false;
    while (end < text.length && (inQuotes || text[end] !== '|')) {
      if (text[end] === '"') inQuotes = !inQuotes;
      end++;
    }
    const raw = text.slice(i, end);
    if (/(^|\s)metadata(\s|$)/i.test(raw)) throw unsupported(this.lexer.location(i), 'FROM … METADATA');
    const patterns: string[] = [];
    for (const part of raw.split(',')) {
      const offset = i;
      i += part.length + 1;
      let pattern = part.replace(/\/\/[^\n]*/g, '').trim();
      if (pattern.startsWith('"') && pattern.endsWith('"') && pattern.length >= 2) pattern = pattern.slice(1, -1);
      if (pattern === '') throw parsingError(this.lexer.location(this.lexer.skipTrivia(offset)), "mismatched input '|' expecting {QUOTED_STRING, UNQUOTED_SOURCE}");
      if (/\s|\[|\]/.test(pattern)) throw parsingError(this.lexer.location(offset), `mismatched input '${pattern}'`);
      if (pattern.includes(':')) throw unsupported(this.lexer.location(offset), 'cross-cluster search (cluster:index)');
      if (pattern.includes('::')) throw unsupported(this.lexer.location(offset), 'index selectors (index::failures)');
      patterns.push(pattern);
    }
    this.pos = end;
    this.lastEnd = end;
    return { kind: 'from', patterns, src: { ...this.lexer.location(t.start), text: text.slice(t.start, end).trim() } };
  }

  private stats(start: number): Command {
    let aggregates: Assignment[] = [];
    if (this.keyword(this.peek()) !== 'BY' && this.peek().kind !== 'eof' && !this.isOp(this.peek(), '|')) {
      aggregates = this.commaList(() => {
        const a = this.assignment();
        const next = this.peek();
        if (this.keyword(next) === 'WHERE') throw unsupported(this.at(next), 'STATS … WHERE (filtered aggregations)');
        return a;
      });
    }
    let groups: Assignment[] = [];
    const by = this.peek();
    if (this.keyword(by) === 'BY') {
      this.advance(by);
      groups = this.assignments();
    }
    if (aggregates.length === 0 && groups.length === 0) throw this.mismatched(this.peek(), 'an aggregation or BY');
    return { kind: 'stats', aggregates, groups, src: this.src(start) };
  }

  private sortKeys(): SortKey[] {
    return this.commaList(() => {
      const expr = this.expression();
      let descending = false;
      const order = this.peek();
      const word = this.keyword(order);
      if (word === 'ASC' || word === 'DESC') {
        this.advance(order);
        descending = word === 'DESC';
      }
      let nullsFirst = descending;
      const nulls = this.peek();
      if (this.keyword(nulls) === 'NULLS') {
        this.advance(nulls);
        const which = this.peek();
        const w = this.keyword(which);
        if (w !== 'FIRST' && w !== 'LAST') throw this.mismatched(which, "{'first', 'last'}");
        this.advance(which);
        nullsFirst = w === 'FIRST';
      }
      return { expr, descending, nullsFirst };
    });
  }

  private renamePair(): { from: NameRef; to: NameRef } {
    const first = this.nameRef(false);
    const t = this.peek();
    if (this.keyword(t) === 'AS') {
      this.advance(t);
      return { from: first, to: this.nameRef(false) };
    }
    if (this.isOp(t, '=')) {
      this.advance(t);
      return { from: this.nameRef(false), to: first };
    }
    throw this.mismatched(t, "{'as', '='}");
  }

  private nameRef(patternAllowed: boolean): NameRef {
    const t = this.peek(patternAllowed ? 'pattern' : 'ident');
    if (t.kind === 'param') throw unsupported(this.at(t), 'parameters as field names');
    if (t.kind !== 'ident' && t.kind !== 'pattern') throw this.mismatched(t, 'a field name');
    if (t.kind === 'pattern' && !patternAllowed) throw parsingError(this.at(t), `Using wildcards [*] in ${'this command'} is not allowed [${t.value}]`);
    this.advance(t);
    return { name: t.value, pattern: t.kind === 'pattern', src: this.src(t.start) };
  }

  private assignments(): Assignment[] {
    return this.commaList(() => this.assignment());
  }

  private assignment(): Assignment {
    const t = this.peek();
    if (t.kind === 'ident' && !(this.keyword(t) && KEYWORDS.has(this.keyword(t) as string))) {
      const after = this.lexer.read(t.end);
      if (after.kind === 'op' && after.value === '=') {
        this.advance(t);
        this.advance(after);
        const expr = this.expression();
        return { name: t.value, expr, src: this.src(t.start) };
      }
    }
    const expr = this.expression();
    return { name: expr.src.text, expr, src: expr.src };
  }

  // ---- expressions, lowest precedence first ---------------------------------

  expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    const start = this.peek().start;
    let left = this.and();
    while (this.keyword(this.peek()) === 'OR') {
      this.advance(this.peek());
      const right = this.and();
      left = { kind: 'logic', op: 'OR', left, right, src: this.src(start) };
    }
    return left;
  }

  private and(): Expr {
    const start = this.peek().start;
    let left = this.not();
    while (this.keyword(this.peek()) === 'AND') {
      this.advance(this.peek());
      const right = this.not();
      left = { kind: 'logic', op: 'AND', left, right, src: this.src(start) };
    }
    return left;
  }

  private not(): Expr {
    const t = this.peek();
    if (this.keyword(t) === 'NOT') {
      this.advance(t);
      const arg = this.not();
      return { kind: 'not', arg, src: this.src(t.start) };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const start = this.peek().start;
    let left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value)) {
      this.advance(t);
      const right = this.additive();
      left = { kind: 'compare', op: t.value as '==', left, right, src: this.src(start) };
    } else if (this.isOp(t, '=~')) {
      throw parsingError(this.at(t), 'the =~ operator (case-insensitive equality) is disabled in Elasticsearch; use TO_LOWER(field) == "value"');
    }
    for (;;) {
      const next = this.peek();
      let word = this.keyword(next);
      let negated = false;
      if (word === 'NOT') {
        const after = this.lexer.read(next.end);
        const w = this.keyword(after);
        if (w !== 'IN' && w !== 'LIKE' && w !== 'RLIKE') return left;
        this.advance(next);
        this.advance(after);
        negated = true;
        word = w;
      } else if (word === 'IN' || word === 'LIKE' || word === 'RLIKE' || word === 'IS') {
        this.advance(next);
      } else {
        return left;
      }
      if (word === 'IN') {
        const open = this.peek();
        if (!this.isOp(open, '(')) throw this.mismatched(open, "'('");
        this.advance(open);
        const list = this.commaList(() => this.expression());
        this.expectOp(')');
        left = { kind: 'in', value: left, list, negated, src: this.src(start) };
      } else if (word === 'LIKE' || word === 'RLIKE') {
        const open = this.peek();
        let patterns: Expr[];
        if (this.isOp(open, '(')) {
          this.advance(open);
          patterns = this.commaList(() => this.expression());
          this.expectOp(')');
        } else {
          patterns = [this.additive()];
        }
        left = { kind: 'like', value: left, patterns, negated, regex: word === 'RLIKE', src: this.src(start) };
      } else {
        let isNot = false;
        if (this.keyword(this.peek()) === 'NOT') {
          this.advance(this.peek());
          isNot = true;
        }
        const n = this.peek();
        if (this.keyword(n) !== 'NULL') throw this.mismatched(n, "'null'");
        this.advance(n);
        left = { kind: 'isNull', value: left, negated: isNot, src: this.src(start) };
      }
    }
  }

  private additive(): Expr {
    const start = this.peek().start;
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '+') && !this.isOp(t, '-')) return left;
      this.advance(t);
      const right = this.multiplicative();
      left = { kind: 'arith', op: (t as { value: '+' }).value, left, right, src: this.src(start) };
    }
  }

  private multiplicative(): Expr {
    const start = this.peek().start;
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!(this.isOp(t, '*') || this.isOp(t, '/') || this.isOp(t, '%'))) return left;
      this.advance(t);
      const right = this.unary();
      left = { kind: 'arith', op: (t as { value: '*' }).value, left, right, src: this.src(start) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.advance(t);
      const arg = this.unary();
      if (this.isOp(t, '+')) return arg;
      const src = this.src(t.start);
      if (arg.kind === 'literal' && typeof arg.value === 'number') {
        return { kind: 'literal', value: -arg.value, type: arg.type, src };
      }
      return { kind: 'neg', arg, src };
    }
    return this.postfix();
  }

  private postfix(): Expr {
    const start = this.peek().start;
    let value = this.primary();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '::')) return value;
      this.advance(t);
      const type = this.peek();
      if (type.kind !== 'ident') throw this.mismatched(type, 'a data type');
      this.advance(type);
      value = { kind: 'cast', value, to: type.value.toLowerCase(), src: this.src(start) };
    }
  }

  primary(): Expr {
    const t = this.peek();
    const start = t.start;
    switch (t.kind) {
      case 'integer': {
        this.advance(t);
        const unit = this.peek();
        if (unit.kind === 'ident' && !unit.quoted && !KEYWORDS.has(unit.value.toUpperCase())) {
          this.advance(unit);
          const amount: Expr = { kind: 'literal', value: t.value, type: 'integer', src: this.srcOf(t) };
          return { kind: 'span', amount, unit: unit.value.toLowerCase(), src: this.src(start) };
        }
        const type = Number.isSafeInteger(t.value) && Math.abs(t.value) <= 2147483647 ? 'integer' : Number.isSafeInteger(t.value) ? 'long' : 'double';
        if (!Number.isSafeInteger(t.value) && BigInt(t.text) <= 9223372036854775807n) {
          throw unsupported(this.at(t), `the integer literal ${t.text} (beyond 2^53, not exact in this evaluator)`);
        }
        return { kind: 'literal', value: t.value, type, src: this.src(start) };
      }
      case 'decimal':
        this.advance(t);
        return { kind: 'literal', value: t.value, type: 'double', src: this.src(start) };
      case 'string':
        this.advance(t);
        return { kind: 'literal', value: t.value, type: 'keyword', src: this.src(start) };
      case 'param': {
        this.advance(t);
        const param: Expr = { kind: 'param', name: t.name, position: t.position, src: this.src(start) };
        const unit = this.peek();
        if (unit.kind === 'ident' && !unit.quoted && !KEYWORDS.has(unit.value.toUpperCase())) {
          this.advance(unit);
          return { kind: 'span', amount: param, unit: unit.value.toLowerCase(), src: this.src(start) };
        }
        return param;
      }
      case 'op':
        if (t.value === '(') {
          this.advance(t);
          const inner = this.expression();
          this.expectOp(')');
          // Elasticsearch quotes a parenthesised expression with its parentheses.
          return { ...inner, src: this.src(start) } as Expr;
        }
        if (t.value === '[') {
          this.advance(t);
          const items = this.isOp(this.peek(), ']') ? [] : this.commaList(() => this.primary());
          this.expectOp(']');
          return { kind: 'list', items, src: this.src(start) };
        }
        throw this.mismatched(t, 'an expression');
      case 'ident': {
        const word = t.quoted ? undefined : t.value.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') {
          this.advance(t);
          return { kind: 'literal', value: word === 'TRUE', type: 'boolean', src: this.src(start) };
        }
        if (word === 'NULL') {
          this.advance(t);
          return { kind: 'literal', value: null, type: 'null', src: this.src(start) };
        }
        this.advance(t);
        const open = this.peek();
        if (!t.quoted && !t.value.includes('.') && this.isOp(open, '(')) return this.call(t.value.toUpperCase(), start, open);
        return { kind: 'field', name: t.value, src: this.src(start) };
      }
      default:
        throw this.mismatched(t, 'an expression');
    }
  }

  private call(name: string, start: number, open: Token): Expr {
    this.advance(open);
    const close = this.peek();
    if (this.isOp(close, ')')) {
      this.advance(close);
      return { kind: 'call', name, args: [], star: false, src: this.src(start) };
    }
    if (this.isOp(close, '*')) {
      this.advance(close);
      this.expectOp(')');
      return { kind: 'call', name, args: [], star: true, src: this.src(start) };
    }
    const args = this.commaList(() => this.expression());
    this.expectOp(')');
    return { kind: 'call', name, args, star: false, src: this.src(start) };
  }

  // ---- helpers ----------------------------------------------------------------

  private commaList<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isOp(this.peek(), ',')) {
      this.advance(this.peek());
      items.push(item());
    }
    return items;
  }

  private peek(mode: LexMode = 'ident'): Token {
    return this.lexer.read(this.pos, mode);
  }

  private advance(t: Token): void {
    this.pos = t.end;
    this.lastEnd = t.end;
  }

  private expectOp(op: string): void {
    const t = this.peek();
    if (!this.isOp(t, op)) throw this.mismatched(t, `'${op}'`);
    this.advance(t);
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.value === op;
  }

  private keyword(t: Token): string | undefined {
    return t.kind === 'ident' && !t.quoted ? t.value.toUpperCase() : undefined;
  }

  private at(t: Token) {
    return this.lexer.location(t.start);
  }

  private src(start: number): SourceText {
    return { ...this.lexer.location(start), text: this.lexer.text.slice(start, this.lastEnd) };
  }

  private srcOf(t: Token): SourceText {
    return { ...this.lexer.location(t.start), text: this.lexer.text.slice(t.start, t.end) };
  }

  private mismatched(t: Token, expecting: string) {
    const shown = t.kind === 'eof' ? '<EOF>' : this.lexer.text.slice(t.start, t.end);
    return parsingError(this.at(t), `mismatched input '${shown}' expecting ${expecting}`);
  }
}
