import type { BaselineEntry } from '../baseline';
import { DISPATCHER_DIRECTORIES, type HuntDefinition } from '../hunts/hunt-definition';
import { isPlainText } from './inert-text';

const MAX_PATH = 1_024;

/** The path the osquery follow-up should inspect: a dispatcher script, when the finding names one plainly. */
function dispatcherPath(hunt: HuntDefinition, entry: BaselineEntry): string | undefined {
  const path = entry.identity[hunt.osqueryPathField];
  if (entry.identityTruncated || !isPlainText(path, MAX_PATH)) return undefined;
  return DISPATCHER_DIRECTORIES.some((dir) => path.startsWith(dir)) ? path : undefined;
}

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

/** A Kibana Discover link over the finding's time range, filtered on its identity values where they are plain. */
export function kibanaDiscoverUrl(kibanaUrl: string, hunt: HuntDefinition, entry: BaselineEntry): string {
  const clauses = hunt.identityFields
    .filter((field) => !entry.identityTruncated && isPlainText(entry.identity[field], 512))
    .map((field) => `${field}:${kql(entry.identity[field] as string)}`);
  const from = entry.firstSeen ?? 'now-30d';
  const to = entry.lastSeen ? new Date(Date.parse(entry.lastSeen) + 60_000).toISOString() : 'now';
  const g = `(time:(from:${rison(from)},to:${rison(to)}))`;
  const a = `(query:(language:kuery,query:${rison(clauses.join(' and '))}))`;
  return `${kibanaUrl.replace(/\/+$/, '')}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
}
