/**
 * The data contract between a fleet of recorded events and the evaluator: one document as
 * Elastic Defend indexes it. `source` is the `_source` object, nested
 * (`{ process: { parent: { executable: '/usr/sbin/NetworkManager' } } }`) or with dotted keys
 * (`{ 'process.parent.executable': … }`), or a mix. An array is a multi-valued field.
 */
export interface StoredEvent {
  /** Concrete index (or data stream) name, e.g. `logs-endpoint.events.process-default`. */
  readonly index: string;
  readonly source: Record<string, unknown>;
}

/**
 * Every leaf value at a dotted path, in `_source` order, reading nested objects, dotted keys and
 * arrays of objects alike (Elasticsearch flattens them the same way when it indexes).
 */
export function sourceValues(source: Record<string, unknown>, path: string | readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(source, typeof path === 'string' ? path.split('.') : path, 0, out);
  return out;
}

function collect(node: unknown, parts: readonly string[], from: number, out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, parts, from, out);
    return;
  }
  if (from === parts.length) {
    if (node !== null && node !== undefined) out.push(node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  // Try every way the remaining path can be split into one key plus the rest: `a.b` may be a key.
  let key = '';
  for (let i = from; i < parts.length; i++) {
    key = i === from ? (parts[i] as string) : `${key}.${parts[i]}`;
    if (Object.hasOwn(object, key)) collect(object[key], parts, i + 1, out);
  }
}
