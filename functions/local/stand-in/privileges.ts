import { wildcardMatcher } from '../esql/index-resolution';

/** A role's index grant: privileges on the indices matching any of `names`. */
export interface IndexGrant {
  readonly names: readonly string[];
  readonly privileges: readonly string[];
}

/** What the stand-in's user may do; absent means a superuser. */
export interface Privileges {
  readonly username?: string;
  readonly cluster?: readonly string[];
  readonly index: readonly IndexGrant[];
}

/** Privileges implied by broader ones (docs: "Security privileges"). */
const IMPLIED_BY: Record<string, readonly string[]> = {
  read: ['all'],
  view_index_metadata: ['all', 'manage'],
  monitor: ['all', 'manage'],
  manage: ['all'],
  write: ['all'],
  index: ['all', 'write'],
  create_doc: ['all', 'write', 'index', 'create'],
};

const holds = (granted: readonly string[], wanted: string) => granted.includes(wanted) || (IMPLIED_BY[wanted] ?? ['all']).some((p) => granted.includes(p));

/**
 * Whether a granted name pattern covers every index a requested name (or pattern) can match:
 * exact names are matched; a requested pattern is covered by `*`, by itself, or by a trailing-`*`
 * grant whose prefix its own literal prefix starts with.
 */
function covers(granted: string, requested: string): boolean {
  if (!requested.includes('*')) return wildcardMatcher(granted)(requested);
  if (granted === '*' || granted === requested) return true;
  if (granted.endsWith('*') && granted.indexOf('*') === granted.length - 1) {
    return requested.slice(0, requested.indexOf('*')).startsWith(granted.slice(0, -1));
  }
  return false;
}

export function hasIndexPrivilege(privileges: Privileges | undefined, index: string, privilege: string): boolean {
  if (!privileges) return true;
  return privileges.index.some((g) => holds(g.privileges, privilege) && g.names.some((n) => covers(n, index)));
}

/** `_security/user/_has_privileges` (docs: "Check user privileges"). */
export function hasPrivilegesResponse(privileges: Privileges | undefined, body: Record<string, unknown>) {
  const clusterWanted = Array.isArray(body.cluster) ? (body.cluster as string[]) : [];
  const indexWanted = Array.isArray(body.index) ? (body.index as { names?: string | string[]; privileges?: string[] }[]) : [];
  const cluster: Record<string, boolean> = {};
  for (const p of clusterWanted) cluster[p] = !privileges || holds(privileges.cluster ?? [], p);
  const index: Record<string, Record<string, boolean>> = {};
  for (const entry of indexWanted) {
    const names = typeof entry.names === 'string' ? [entry.names] : (entry.names ?? []);
    for (const name of names) {
      index[name] ??= {};
      for (const p of entry.privileges ?? []) (index[name] as Record<string, boolean>)[p] = hasIndexPrivilege(privileges, name, p);
    }
  }
  const all = [...Object.values(cluster), ...Object.values(index).flatMap((v) => Object.values(v))].every(Boolean);
  return { username: privileges?.username ?? 'elastic', has_all_requested: all, cluster, index, application: {} };
}
