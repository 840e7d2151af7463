/** What must never reach a log line, as the connection holds it; each value is expanded to the forms it travels in. */
export interface Secrets {
  /**
   * Redacted wherever they occur, inside words too: API keys, passwords, `user:password`, Cloud ids.
   * One shorter than {@link MIN_SECRET_CHARS} is redacted as a whole token only: everywhere, it would mangle every record.
   */
  readonly anywhere: readonly string[];
  /** Redacted only as whole tokens (user names): a user `elastic` must not mangle `@elastic/elasticsearch`. */
  readonly tokens: readonly string[];
}

export const REDACTED = '[REDACTED]';
/** Shorter values would mangle ordinary words and are too weak to be worth hiding. */
export const MIN_SECRET_CHARS = 4;
export const MIN_TOKEN_CHARS = 5;
/** A base64 fragment this short could be anything. */
const MIN_BASE64_CHARS = 6;

/** Characters that end a token: spaces, quotes, brackets and separators, not `@`, `/`, `.`, `-` or `_`. */
const DELIMITER = String.raw`[\s"'\x60()[\]{}<>,;=:|]`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Base64 of `secret`, whole, and as it appears inside any longer base64 text: at each of the three byte
 * alignments, the characters that depend on the secret's bytes alone (standard and URL-safe alphabets).
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const whole = bytes.toString('base64'); // with its padding, as a header carries it
  const forms: string[] = [whole, whole.replace(/\+/g, '-').replace(/\//g, '_')];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    if (core.length >= MIN_BASE64_CHARS) forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

/** Percent-encodings a URL, a form body or an HTTP library may have applied, upper- and lower-case hex. */
function urlEncodedForms(secret: string): string[] {
  const component = encodeURIComponent(secret);
  const strict = component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const forms = [component, strict, encodeURI(secret), component.replace(/%20/g, '+')];
  return [...forms, ...forms.map((f) => f.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()))];
}

/** A secret as it appears inside JSON text: an error may quote a request or response body. */
const jsonEscaped = (secret: string) => JSON.stringify(secret).slice(1, -1);

/**
 * Removes secrets from log records by walking their structure: strings are redacted one by one,
 * numbers, booleans and object keys are left alone, so a password `false` or `"` cannot break a record.
 */
export class Redactor {
  private anywhere: string[] = [];
  private tokens?: RegExp;
  private tokenValues: string[] = [];

  constructor(secrets?: Secrets) {
    if (secrets) this.add(secrets);
  }

  add(secrets: Secrets): void {
    const anywhere = new Set(this.anywhere);
    for (const secret of secrets.anywhere) {
      if (secret.length === 0) continue;
      if (secret.length < MIN_SECRET_CHARS) {
        this.tokenValues.push(secret, jsonEscaped(secret), ...urlEncodedForms(secret));
        continue;
      }
      for (const form of [secret, jsonEscaped(secret), ...urlEncodedForms(secret), ...base64Forms(secret)]) anywhere.add(form);
    }
    for (const secret of secrets.tokens) {
      if (secret.length < MIN_TOKEN_CHARS) continue; // a short user name (`es`, `root`) is no secret worth mangling records for
      this.tokenValues.push(secret, jsonEscaped(secret), ...urlEncodedForms(secret));
      // Inside base64 there are no token boundaries; a longer fragment is specific enough on its own.
      for (const form of base64Forms(secret)) if (form.length >= 8) anywhere.add(form);
    }
    // Longest first, so a secret containing another is removed whole.
    this.anywhere = [...anywhere].sort((a, b) => b.length - a.length);
    const tokens = [...new Set(this.tokenValues)].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.tokens = tokens.length > 0 ? new RegExp(`(?<=^|${DELIMITER})(?:${tokens.join('|')})(?=$|${DELIMITER})`, 'g') : undefined;
  }

  /** The text with every secret form replaced by `[REDACTED]`. */
  text(text: string): string {
    let out = text;
    for (const secret of this.anywhere) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return this.tokens ? out.replace(this.tokens, REDACTED) : out;
  }

  /** A copy of `value` for a log record: every string redacted (then passed to `shown`), everything else kept. */
  value(value: unknown, shown: (text: string) => string = (t) => t): unknown {
    const ancestors = new Set<object>();
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return shown(this.text(v));
      if (typeof v === 'bigint') return v.toString();
      if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
      if (ancestors.has(v)) return '[circular]';
      ancestors.add(v);
      try {
        if (v instanceof Error) return { name: v.name, message: walk(v.message) };
        if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk((v as { toJSON: () => unknown }).toJSON());
        if (Array.isArray(v)) return v.map(walk);
        return Object.fromEntries(Object.entries(v).map(([key, inner]) => [key, walk(inner)]));
      } finally {
        ancestors.delete(v);
      }
    };
    return walk(value);
  }
}
