import { errors, type Client } from '@elastic/elasticsearch';
import { errorMessage } from '../core/errors';
import type { HuntConfig } from '../core/hunt-config';
import { buildHuntRequest } from '../core/hunt-request';
import { MAPPING_TYPES, ROW_CAP, type HuntDefinition } from '../core/hunts/hunt-definition';
import type { HuntRunner } from '../core/ports';

/** One line of `doctor`'s checklist. A failed check always says how to fix it. */
export interface Check {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail' | 'skipped';
  readonly detail: string;
  readonly fix?: string;
}

/** The index privileges every hunt needs on its patterns (README, "Secret format"). */
export const REQUIRED_INDEX_PRIVILEGES = ['read', 'view_index_metadata'] as const;

const ROLE_FIX = (patterns: readonly string[]) =>
  `grant them to the API key: create one in Kibana (Stack Management → API keys) with the role descriptor ` +
  `{"nm-dispatcher-hunt":{"indices":[{"names":${JSON.stringify(patterns)},"privileges":["read","view_index_metadata"]}]}}, then update the secret`;

export interface ClusterCheckInput {
  readonly client: Client;
  /** Where the client connects, for the messages (a URL or "Elastic Cloud deployment …"); never a credential. */
  readonly endpoint: string;
  readonly hunts: readonly HuntDefinition[];
  readonly config: HuntConfig;
  /** Runs each enabled hunt once, as the nightly run would. */
  readonly runner: HuntRunner;
}

/**
 * Checks a connection before anything is deployed: reachability and TLS, the version and REST compatibility, the
 * credentials' privileges on every index pattern, that the hunts' indices exist and map every field as the hunts
 * expect, and one run of each hunt. Checks that depend on an earlier failure are skipped, saying why.
 */
export async function checkCluster(input: ClusterCheckInput): Promise<Check[]> {
  try {
    return await runChecks(input);
  } catch (error) {
    // A check that met an answer it could not read: say so rather than crash the checklist.
    return [{ name: 'doctor', status: 'fail', detail: `an unexpected answer stopped the checks: ${errorMessage(error)}`, fix: 'check that the node URL is an Elasticsearch cluster (not a proxy rewriting answers)' }];
  }
}

async function runChecks(input: ClusterCheckInput): Promise<Check[]> {
  const checks: Check[] = [];
  const reach = await checkReachable(input);
  checks.push(...reach.checks);
  const enabled = input.hunts.filter((h) => !input.config.disabledHunts.includes(h.id));
  for (const hunt of input.hunts.filter((h) => !enabled.includes(h))) checks.push({ name: `hunt ${hunt.id}`, status: 'skipped', detail: 'disabled by the deployment (disabledHunts)' });
  if (!reach.reachable) {
    checks.push({ name: 'privileges, indices, mappings, hunts', status: 'skipped', detail: 'the cluster could not be reached with these credentials' });
    return checks;
  }
  checks.push(await checkPrivileges(input, enabled));
  for (const hunt of enabled) {
    const request = buildHuntRequest(hunt, input.config);
    const indices = await checkIndices(input.client, hunt, request.indexPatterns);
    checks.push(...indices.checks);
    if (!indices.found) {
      checks.push({ name: `${hunt.id}: mappings and run`, status: 'skipped', detail: 'no index to check' });
      continue;
    }
    checks.push(await checkMappings(input.client, hunt, request.indexPatterns));
    checks.push(await checkRun(input.runner, hunt));
  }
  return checks;
}

async function checkReachable({ client, endpoint }: ClusterCheckInput): Promise<{ reachable: boolean; checks: Check[] }> {
  let info: { cluster_name: string; version: { number: string } };
  try {
    info = await client.info();
  } catch (error) {
    return { reachable: false, checks: [reachFailure(error, endpoint)] };
  }
  const tls = endpoint.startsWith('http://') ? 'plain HTTP (loopback only)' : 'TLS verified';
  const checks: Check[] = [{ name: 'reachable', status: 'ok', detail: `${endpoint}: cluster "${info.cluster_name}", ${tls}, credentials accepted` }];
  const [major = 0, minor = 0] = info.version.number.split('.').map(Number);
  const supported = (major === 8 && minor >= 15) || major === 9;
  checks.push(
    supported
      ? { name: 'version', status: 'ok', detail: `Elasticsearch ${info.version.number}; requests declare compatible-with=8, which it accepts` }
      : major > 9
        ? { name: 'version', status: 'warn', detail: `Elasticsearch ${info.version.number} accepted compatible-with=8 requests, but versions after 9.x are untested`, fix: 'run the hunts once (below) and watch the first nights' }
        : { name: 'version', status: 'fail', detail: `Elasticsearch ${info.version.number}: the hunts need 8.15 or later (ES|QL named parameters, VALUES, the request filter)`, fix: 'upgrade the cluster to 8.15 or later' },
  );
  return { reachable: true, checks };
}

function reachFailure(error: unknown, endpoint: string): Check {
  if (error instanceof errors.ResponseError) {
    const status = error.meta.statusCode ?? 0;
    if (status === 401) return { name: 'reachable', status: 'fail', detail: `${endpoint} rejected the credentials (401)`, fix: 'the API key or password in the secret is wrong, expired or revoked: create a new API key and update the secret' };
    if (status === 400 && /media_type_header_exception/.test(JSON.stringify(error.meta.body ?? ''))) {
      return { name: 'reachable', status: 'fail', detail: `${endpoint} rejected the REST compatibility headers (compatible-with=8)`, fix: 'the hunts support Elasticsearch 8.15+ and 9.x: point the secret at such a cluster' };
    }
    return { name: 'reachable', status: 'fail', detail: `${endpoint} answered ${status} to GET /`, fix: 'check that the node URL is the Elasticsearch endpoint (not Kibana) and that the credentials may call it' };
  }
  if (error instanceof errors.ProductNotSupportedError) return { name: 'reachable', status: 'fail', detail: `${endpoint} is not Elasticsearch`, fix: 'point "node" at the Elasticsearch endpoint (Kibana and proxies answer differently)' };
  const message = errorMessage(error);
  if (/certificate|self.signed|CERT_|fingerprint|SSL|TLS/i.test(message)) {
    return { name: 'reachable', status: 'fail', detail: `TLS with ${endpoint} failed: ${message}`, fix: 'for a private CA, set "caFingerprint" in the secret to the SHA-256 fingerprint of the CA certificate; otherwise check the host name in "node"' };
  }
  if (error instanceof errors.TimeoutError) return { name: 'reachable', status: 'fail', detail: `${endpoint} did not answer in time`, fix: 'check the network path: from the function, its VPC routes and security group (clusterPort); the cluster\'s IP filtering' };
  return { name: 'reachable', status: 'fail', detail: `cannot reach ${endpoint}: ${message}`, fix: 'check "node" (or "cloudId") in the secret and the network path from where the hunt runs (VPC routes, security group, cluster IP filtering)' };
}

async function checkPrivileges({ client, config }: ClusterCheckInput, hunts: readonly HuntDefinition[]): Promise<Check> {
  const patterns = [...new Set(hunts.flatMap((hunt) => buildHuntRequest(hunt, config).indexPatterns))];
  let answer: { has_all_requested: boolean; index: Record<string, Record<string, boolean>> };
  try {
    answer = await client.security.hasPrivileges({ index: [{ names: patterns, privileges: [...REQUIRED_INDEX_PRIVILEGES] }] });
  } catch (error) {
    return { name: 'privileges', status: 'warn', detail: `could not check privileges (${errorMessage(error)})`, fix: 'the hunts still need read and view_index_metadata on every pattern; the hunt runs below show whether they work' };
  }
  if (typeof answer?.index !== 'object' || answer.index === null) return { name: 'privileges', status: 'warn', detail: 'the cluster gave no per-index answer to _has_privileges', fix: 'the hunts still need read and view_index_metadata on every pattern; the hunt runs below show whether they work' };
  const missing = Object.entries(answer.index).flatMap(([pattern, held]) => {
    const lacking = Object.entries(held).filter(([, ok]) => !ok).map(([privilege]) => privilege);
    return lacking.length > 0 ? [`${pattern} lacks ${lacking.join(' and ')}`] : [];
  });
  if (missing.length === 0) return { name: 'privileges', status: 'ok', detail: `${REQUIRED_INDEX_PRIVILEGES.join(' and ')} on ${patterns.join(', ')}` };
  return { name: 'privileges', status: 'fail', detail: missing.join('; '), fix: ROLE_FIX(patterns) };
}

async function checkIndices(client: Client, hunt: HuntDefinition, patterns: readonly string[]): Promise<{ found: boolean; checks: Check[] }> {
  const counts: [string, number][] = [];
  for (const pattern of patterns) {
    try {
      const resolved = await client.indices.resolveIndex({ name: pattern, expand_wildcards: 'open' });
      counts.push([pattern, (resolved.indices?.length ?? 0) + (resolved.data_streams?.length ?? 0) + (resolved.aliases?.length ?? 0)]);
    } catch (error) {
      if (error instanceof errors.ResponseError && error.meta.statusCode === 404) counts.push([pattern, 0]);
      else return { found: false, checks: [{ name: `${hunt.id}: indices`, status: 'fail', detail: `cannot resolve ${pattern}: ${errorMessage(error)}`, fix: 'grant view_index_metadata on the pattern (see privileges)' }] };
    }
  }
  const present = counts.filter(([, n]) => n > 0);
  const absent = counts.filter(([, n]) => n === 0).map(([p]) => p);
  if (present.length === 0) {
    return {
      found: false,
      checks: [{ name: `${hunt.id}: indices`, status: 'fail', detail: `no index or data stream matches ${patterns.join(', ')}: the hunt would be blind`, fix: `check that Elastic Defend ships ${hunt.indexPatterns.join(', ')} events (its integration policy on the Linux hosts) and that the credentials may see them` }],
    };
  }
  const found = present.map(([p, n]) => `${p} (${n})`).join(', ');
  return {
    found: true,
    checks: [
      absent.length > 0
        ? { name: `${hunt.id}: indices`, status: 'warn', detail: `${found}; nothing matches ${absent.join(', ')}: no data from that source`, fix: 'drop the pattern from extraIndexPatterns if you do not collect it' }
        : { name: `${hunt.id}: indices`, status: 'ok', detail: found },
    ],
  };
}

async function checkMappings(client: Client, hunt: HuntDefinition, patterns: readonly string[]): Promise<Check> {
  const fields = Object.keys(hunt.fieldTypes);
  let caps: Record<string, Record<string, { type: string; indices?: string[] }>>;
  try {
    caps = ((await client.fieldCaps({ index: [...patterns], fields, ignore_unavailable: true, allow_no_indices: true })).fields ?? {}) as typeof caps;
  } catch (error) {
    return { name: `${hunt.id}: mappings`, status: 'fail', detail: `cannot read the mappings: ${errorMessage(error)}`, fix: 'grant view_index_metadata on the patterns (see privileges)' };
  }
  const problems: string[] = [];
  for (const field of fields) {
    const expected = hunt.fieldTypes[field] as keyof typeof MAPPING_TYPES;
    const types = Object.keys(caps[field] ?? {}).filter((t) => t !== 'unmapped');
    if (types.length === 0) problems.push(`${field} is not mapped (the query fails with "Unknown column")`);
    const wrong = types.filter((t) => !MAPPING_TYPES[expected].includes(t));
    if (wrong.length > 0) {
      const where = wrong.flatMap((t) => caps[field]?.[t]?.indices ?? []).slice(0, 3);
      problems.push(`${field} is mapped as ${wrong.join(' and ')}${where.length > 0 ? ` in ${where.join(', ')}` : ''}, expected ${expected} (${MAPPING_TYPES[expected].join(', ')})`);
    }
  }
  if (problems.length === 0) return { name: `${hunt.id}: mappings`, status: 'ok', detail: `${fields.length} fields mapped as the hunt expects` };
  return {
    name: `${hunt.id}: mappings`,
    status: 'fail',
    detail: problems.join('; '),
    fix: 'install the Elastic Defend integration\'s index templates (ECS mappings) for these data streams, or map the fields as listed; a text field cannot be compared or grouped by ES|QL',
  };
}

async function checkRun(runner: HuntRunner, hunt: HuntDefinition): Promise<Check> {
  try {
    const rows = await runner.run(hunt);
    if (rows.noData) return { name: `${hunt.id}: run`, status: 'fail', detail: 'the query found no index', fix: 'see the indices check' };
    const notes = [rows.truncated ? `cut at the ${ROW_CAP.toLocaleString('en-US')}-row cap (${(rows.rowsCut ?? 0).toLocaleString('en-US')} rare groups past it)` : '', rows.partial ? 'partial (some shards did not answer)' : ''].filter(Boolean);
    const detail = `${rows.rows} rare group${rows.rows === 1 ? '' : 's'}${notes.length > 0 ? `, ${notes.join(', ')}` : ''}`;
    return notes.length > 0 ? { name: `${hunt.id}: run`, status: 'warn', detail, fix: 'narrow the lookback or add exclusions (README, Context)' } : { name: `${hunt.id}: run`, status: 'ok', detail };
  } catch (error) {
    return { name: `${hunt.id}: run`, status: 'fail', detail: errorMessage(error), fix: 'see the message: it names what the cluster refused' };
  }
}
