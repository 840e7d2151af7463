import type { Compiled } from './compiled';
import type { VerificationFailures } from './errors';
import type { SourceText } from './warnings';
import { isNumeric, isString, type DataType } from './values';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

export type TypeClass = 'string' | 'numeric' | 'integral' | 'boolean' | 'date' | 'any' | 'comparable' | 'span' | DataType;

const describe: Record<string, string> = {
  string: 'keyword or text',
  numeric: 'numeric',
  integral: 'integer',
  boolean: 'boolean',
  date: 'datetime',
  any: 'any',
  comparable: 'boolean, date, numeric or string',
  span: 'date_period or time_duration',
};

export function accepts(t: DataType, cls: TypeClass): boolean {
  if (t === 'null') return true;
  switch (cls) {
    case 'string':
      return isString(t);
    case 'numeric':
      return isNumeric(t);
    case 'integral':
      return t === 'integer' || t === 'long';
    case 'any':
      return t !== 'date_period' && t !== 'time_duration';
    case 'comparable':
      return isString(t) || isNumeric(t) || t === 'date' || t === 'boolean';
    case 'span':
      return t === 'date_period' || t === 'time_duration';
    default:
      return t === cls;
  }
}

/** Records a failure worded like Elasticsearch's type resolution when an argument has the wrong type. */
export function checkArgs(
  failures: VerificationFailures,
  src: SourceText,
  args: readonly Compiled[],
  classes: readonly TypeClass[],
): boolean {
  let ok = true;
  args.forEach((arg, i) => {
    const cls = classes[Math.min(i, classes.length - 1)] as TypeClass;
    if (accepts(arg.type, cls)) return;
    ok = false;
    const ordinal = args.length === 1 ? '' : `${ORDINALS[i] ?? `${i + 1}th`} `;
    failures.add(src, `${ordinal}argument of [${src.text}] must be [${describe[cls] ?? cls}], found value [${arg.src.text}] type [${esType(arg.type)}]`);
  });
  return ok;
}

/** Elasticsearch names the date type `datetime` in messages. */
export const esType = (t: DataType) => (t === 'date' ? 'datetime' : t);

/** The common type of numeric operands: integer < long < double. */
export function widen(a: DataType, b: DataType): DataType {
  if (a === 'double' || b === 'double') return 'double';
  if (a === 'long' || b === 'long') return 'long';
  return 'integer';
}
