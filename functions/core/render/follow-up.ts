import type { BaselineEntry } from '../baseline';
import { DISPATCHER_DIRECTORIES, type HuntDefinition } from '../hunts/hunt-definition';

/*
 * Commands and queries here are ours: they must run exactly as printed, so they are never defanged.
 * An attacker value enters one only through a strict allowlist; anything else widens the command
 * instead (the whole dispatcher directories, no Kibana filter on that field).
 */

const MAX_PATH = 1_024;
/** Portable file name characters only: no quote, space, `:`, `@`, `+` or `\`, so no component can start a link. */
const PORTABLE_COMPONENT = /^[A-Za-z0-9._-]+$/;

/** The path the osquery follow-up should inspect: a dispatcher script, when the finding names one by portable characters. */
export function dispatcherPath(hunt: HuntDefinition, entry: BaselineEntry): string | undefined {
  const path = entry.identity[hunt.osqueryPathField];
  if (entry.identityTruncated || typeof path !== 'string' || path.length > MAX_PATH) return undefined;
  const dir = DISPATCHER_DIRECTORIES.find((d) => path.startsWith(d));
  if (!dir) return undefined;
  const components = path.slice(dir.length).split('/');
  return components.every((c) => PORTABLE_COMPONENT.test(c) && c !== '.' && c !== '..') ? path : undefined;
}

/** Printable ASCII, bounded: a value the Kibana link may filter on (it travels URL-encoded inside our link). */
const kibanaFilterable = (value: string | null | undefined): value is string => typeof value === 'string' && value.length <= 512 && /^[\x20-\x7e]*$/.test(value);

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * The seed hunt's osquery metadata query, narrowed to this finding's script when it names one,
 * else to both dispatcher directories. Paste into osquery or Kibana's Osquery Manager.
 */
export function osqueryFollowUp(hunt: HuntDefinition, entry: BaselineEntry): string {
  const path = dispatcherPath(hunt, entry);
  const where = path
    ? `f.path = ${sqlString(path)}`
    : `(${DISPATCHER_DIRECTORIES.map((dir) => `f.path LIKE ${sqlString(`${dir}%`)}`).join(' OR ')})`;
  return (
    'SELECT f.path, u.username AS file_owner, g.groupname AS group_owner, f.mode, f.size AS size_bytes, ' +
    "datetime(f.mtime, 'unixepoch') AS modified, datetime(f.ctime, 'unixepoch') AS status_changed, datetime(f.btime, 'unixepoch') AS created, h.sha256 " +
    'FROM file f LEFT JOIN users u ON f.uid = u.uid LEFT JOIN groups g ON f.gid = g.gid LEFT JOIN hash h ON h.path = f.path ' +
    `WHERE ${where};`
  );
}

const rison = (text: string) => `'${text.replace(/!/g, '!!').replace(/'/g, "!'")}'`;
const kql = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Percent-encoding of everything but unreserved characters: a linkifier ends a link at `)` or `'`, which rison uses. */
const uriComponent = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A Kibana Discover link over the finding's time range, filtered on the event fields holding its plain identity values. */
export function kibanaDiscoverUrl(kibanaUrl: string, hunt: HuntDefinition, entry: BaselineEntry): string {
  const clauses = hunt.identityFields
    .filter((field) => (hunt.kibanaFields[field] ?? []).length > 0 && !entry.identityTruncated && kibanaFilterable(entry.identity[field]))
    .map((field) => {
      const value = kql(entry.identity[field] as string);
      const any = (hunt.kibanaFields[field] as readonly string[]).map((eventField) => `${eventField}:${value}`);
      return any.length === 1 ? (any[0] as string) : `(${any.join(' or ')})`;
    });
  const from = entry.firstSeen ?? 'now-30d';
  const to = entry.lastSeen ? new Date(Date.parse(entry.lastSeen) + 60_000).toISOString() : 'now';
  const g = `(time:(from:${rison(from)},to:${rison(to)}))`;
  const a = `(query:(language:kuery,query:${rison(clauses.join(' and '))}))`;
  return `${kibanaUrl.replace(/\/+$/, '')}/app/discover#/?_g=${uriComponent(g)}&_a=${uriComponent(a)}`;
}
