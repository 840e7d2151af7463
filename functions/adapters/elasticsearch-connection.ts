import { SecretFormatError } from '../core/errors';

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

/** Values to scrub from anything written to logs, as a last line of defence. */
export const secretValues = (connection: ElasticsearchConnection): string[] =>
  [connection.apiKey, connection.password, connection.cloudId].filter((v): v is string => v !== undefined);
