import { SecretFormatError } from '../core/errors';
import type { Secrets } from '../core/redact';

/** The Elasticsearch connection as stored in Secrets Manager. Never logged, never echoed. */
export interface ElasticsearchConnection {
  readonly node?: string;
  readonly cloudId?: string;
  readonly apiKey?: string;
  readonly username?: string;
  readonly password?: string;
  readonly caFingerprint?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const FIELDS = new Set(['node', 'cloudId', 'apiKey', 'username', 'password', 'caFingerprint']);

/** Parses the secret string. Errors name the field and the problem, never the value. */
export function parseElasticsearchConnection(secretString: string | undefined): ElasticsearchConnection {
  if (secretString === undefined || secretString.trim() === '') {
    throw new SecretFormatError('(secret)', 'the secret has no SecretString (binary secrets are not supported)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(secretString);
  } catch {
    throw new SecretFormatError('(secret)', 'the secret is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SecretFormatError('(secret)', 'the secret is JSON but not an object');
  }
  const secret = raw as Record<string, unknown>;
  for (const key of Object.keys(secret)) {
    if (!FIELDS.has(key)) throw new SecretFormatError(key, `unknown field; expected ${[...FIELDS].join(', ')}`);
  }
  const text = (field: string): string | undefined => {
    const value = secret[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw new SecretFormatError(field, 'must be a non-empty string');
    return value;
  };
  const node = text('node');
  const cloudId = text('cloudId');
  const apiKey = text('apiKey');
  const username = text('username');
  const password = text('password');
  const caFingerprint = text('caFingerprint');

  if ((node === undefined) === (cloudId === undefined)) {
    throw new SecretFormatError(node === undefined ? 'node' : 'cloudId', 'give exactly one of "node" and "cloudId"');
  }
  if (node !== undefined) checkNode(node);
  if (cloudId !== undefined && !/^[^:\s]*:[A-Za-z0-9+/=_-]+$/.test(cloudId)) {
    throw new SecretFormatError('cloudId', 'must look like "deployment-name:base64…" as shown in Elastic Cloud');
  }
  if (apiKey !== undefined && (username !== undefined || password !== undefined)) {
    throw new SecretFormatError('apiKey', 'give either "apiKey" or "username" + "password", not both');
  }
  if (apiKey === undefined) {
    if (username === undefined) throw new SecretFormatError('apiKey', 'missing: give "apiKey" (preferred) or "username" + "password"');
    if (password === undefined) throw new SecretFormatError('password', 'missing: "username" needs "password"');
  }
  if (caFingerprint !== undefined && !/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/.test(caFingerprint)) {
    throw new SecretFormatError('caFingerprint', 'must be the SHA-256 fingerprint of the CA certificate (64 hex digits, colons allowed)');
  }
  return { node, cloudId, apiKey, username, password, caFingerprint };
}

function checkNode(node: string): void {
  let url: URL;
  try {
    url = new URL(node);
  } catch {
    throw new SecretFormatError('node', 'must be a URL such as https://my-cluster.example.com:9200');
  }
  if (url.username || url.password) throw new SecretFormatError('node', 'must not embed credentials; use "apiKey" or "username"/"password"');
  // Credentials travel in every request: plain HTTP only where the traffic cannot leave the machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new SecretFormatError('node', 'must use https:// (http:// is accepted for localhost only)');
  }
}

/**
 * What to scrub from anything written to logs, as a last line of defence: the API key and what it
 * decodes to, the password, `username:password` (the Basic auth header is its base64), the user name
 * (as a whole token), a node URL's userinfo and query string, the Cloud id and any credentials in it.
 * The redactor adds each value's base64, percent-encoded and JSON-escaped forms.
 */
export function connectionSecrets(connection: ElasticsearchConnection): Secrets {
  const anywhere: string[] = [];
  const tokens: string[] = [];
  const { apiKey, username, password, cloudId, node } = connection;
  if (apiKey !== undefined) anywhere.push(apiKey, ...decodedApiKey(apiKey));
  if (password !== undefined) anywhere.push(password);
  if (username !== undefined) tokens.push(username);
  if (username !== undefined && password !== undefined) anywhere.push(`${username}:${password}`);
  if (node !== undefined) {
    const url = URL.canParse(node) ? new URL(node) : undefined;
    if (url?.username) tokens.push(decodeURIComponent(url.username));
    if (url?.password) anywhere.push(decodeURIComponent(url.password));
    if (url?.search && url.search.length > 1) anywhere.push(url.search.slice(1), ...[...url.searchParams.values()]);
  }
  if (cloudId !== undefined) anywhere.push(cloudId, ...cloudIdCredentials(cloudId));
  return { anywhere, tokens };
}

/** An API key is base64 of `id:key`; the key alone is a secret too (the id is not). */
function decodedApiKey(apiKey: string): string[] {
  const decoded = Buffer.from(apiKey, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return /^[\x21-\x7e]+$/.test(decoded) && colon > 0 ? [decoded, decoded.slice(colon + 1)] : [];
}

/** A Cloud id is `name:base64(host$es$kibana)`; some tools put `user:password@` before the host. */
function cloudIdCredentials(cloudId: string): string[] {
  const payload = Buffer.from(cloudId.slice(cloudId.indexOf(':') + 1), 'base64').toString('utf8');
  const auth = /^([^:@$/]+):([^@$/]+)@/.exec(payload);
  return auth ? [`${auth[1]}:${auth[2]}`, auth[2] as string] : [];
}
