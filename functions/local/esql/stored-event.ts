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
export function sourceValues(source: Record<string, unknown>, path: string | SourcePath): unknown[] {
  const compiled = typeof path === 'string' ? compileSourcePath(path) : path;
  const out: unknown[] = [];
  collect(source, compiled, 0, out);
  return out;
}

/** A dotted path with every `a.b` key it may be stored under precomputed (reads run per event). */
export interface SourcePath {
  readonly length: number;
  /** keys[from][to]: parts from..to joined by dots. */
  readonly keys: readonly (readonly string[])[];
}

export function compileSourcePath(path: string): SourcePath {
  const parts = path.split('.');
  const keys = parts.map((_, from) => parts.slice(from).map((__, k) => parts.slice(from, from + k + 1).join('.')));
  return { length: parts.length, keys };
}

function collect(node: unknown, path: SourcePath, from: number, out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, path, from, out);
    return;
  }
  if (from === path.length) {
    if (node !== null && node !== undefined) out.push(node);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  // Try every way the remaining path can be split into one key plus the rest: `a.b` may be a key.
  const keys = path.keys[from] as readonly string[];
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string;
    if (Object.hasOwn(object, key)) collect(object[key], path, from + k + 1, out);
  }
}
