/**
 * A small evaluator for the boolean WHERE conditions the hunts use, with ES|QL's three-valued logic:
 * a comparison with a missing field is null, NOT null is null, and WHERE keeps only true rows.
 * Grammar: OR/AND/NOT, parentheses, COALESCE(expr, TRUE|FALSE), field IN (...), LIKE, ==, !=, IS [NOT] NULL.
 */
export type Doc = Readonly<Record<string, string | undefined>>;
type Tri = boolean | null;

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|==|!=|[(),]|[A-Za-z_@][\w.@]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.trimEnd().length) {
    const match = TOKEN.exec(text);
    if (!match) throw new Error(`cannot tokenize at ${text.slice(TOKEN.lastIndex, TOKEN.lastIndex + 30)}`);
    tokens.push(match[1] as string);
  }
  return tokens;
}

const like = (value: string, pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value);

export function evaluateWhere(condition: string, doc: Doc): Tri {
  const tokens = tokenize(condition);
  let i = 0;
  const peek = () => tokens[i]?.toUpperCase();
  const next = () => tokens[i++] as string;
  const expect = (t: string) => {
    if (next().toUpperCase() !== t) throw new Error(`expected ${t} at token ${i}`);
  };
  const string = () => JSON.parse(next()) as string;

  const or = (): Tri => {
    let left = and();
    while (peek() === 'OR') {
      next();
      const right = and();
      left = left === true || right === true ? true : left === null || right === null ? null : false;
    }
    return left;
  };
  const and = (): Tri => {
    let left = not();
    while (peek() === 'AND') {
      next();
      const right = not();
      left = left === false || right === false ? false : left === null || right === null ? null : true;
    }
    return left;
  };
  const not = (): Tri => {
    if (peek() === 'NOT') {
      next();
      const value = not();
      return value === null ? null : !value;
    }
    return primary();
  };
  const primary = (): Tri => {
    if (peek() === '(') {
      next();
      const value = or();
      expect(')');
      return value;
    }
    if (peek() === 'COALESCE') {
      next();
      expect('(');
      const value = or();
      expect(',');
      const fallback = next().toUpperCase() === 'TRUE';
      expect(')');
      return value ?? fallback;
    }
    const field = doc[next()];
    const op = next().toUpperCase();
    if (op === 'IN') {
      expect('(');
      const list = [string()];
      while (peek() === ',') {
        next();
        list.push(string());
      }
      expect(')');
      return field === undefined ? null : list.includes(field);
    }
    if (op === 'IS') {
      const negated = peek() === 'NOT' ? (next(), true) : false;
      expect('NULL');
      return negated ? field !== undefined : field === undefined;
    }
    const operand = string();
    if (field === undefined) return null;
    if (op === 'LIKE') return like(field, operand);
    if (op === '==') return field === operand;
    if (op === '!=') return field !== operand;
    throw new Error(`unknown operator ${op}`);
  };

  const result = or();
  if (i !== tokens.length) throw new Error(`unparsed tail: ${tokens.slice(i).join(' ')}`);
  return result;
}

/** The WHERE conditions of an ES|QL query that come before its STATS, in order. */
export function whereClausesBeforeStats(query: string): string[] {
  const commands = query.replace(/^sql\s*\n/, '').split(/\n\s*\|/).map((c) => c.trim().replace(/^\|\s*/, ''));
  const statsAt = commands.findIndex((c) => /^stats\b/i.test(c));
  return commands.slice(0, statsAt).filter((c) => /^where\b/i.test(c)).map((c) => c.replace(/^where\s+/i, ''));
}

/** Whether a document survives every WHERE before STATS (true rows only). */
export const keeps = (query: string, doc: Doc) => whereClausesBeforeStats(query).every((clause) => evaluateWhere(clause, doc) === true);
