import { groupKeyOf, type GroupSamples, type RareGroup } from './esql-result';
import { fingerprintOf, identityDigestsOf, type Finding, type IdentityValues } from './finding';
import { ARGUMENT_SEPARATOR } from './hunts/dispatcher-scripts';
import type { HostAndContentNovelty, HuntDefinition } from './hunts/hunt-definition';
import { indicatorsIn } from './severity/indicators';

/** Sample columns that are findings' hosts and agents rather than context. */
const HOST_SAMPLES = new Set(['host_names', 'agent_ids']);

export interface GroupFindings {
  readonly findings: Finding[];
  /** Rare groups of a host-and-content hunt that came back without samples: their agents are unknown tonight. */
  readonly unsampled: number;
}

/**
 * Turns rare groups and their samples into findings. Most hunts make one finding per group. The
 * write hunt makes one per agent that wrote the pair (a write on an agent outside the known ones is
 * new) and one per content hash of the path (a content never seen is new), each its own entry.
 */
export function findingsFromGroups(hunt: HuntDefinition, groups: readonly RareGroup[], samples: ReadonlyMap<string, GroupSamples>): GroupFindings {
  const byFingerprint = new Map<string, Finding>();
  let unsampled = 0;
  for (const group of groups) {
    const groupSamples = samples.get(groupKeyOf(group.values));
    const identity: Record<string, string | null> = Object.fromEntries(hunt.identityFields.map((field) => [field, null]));
    hunt.groupBy.forEach((field, i) => (identity[field] = group.values[i] ?? null));
    if (!hunt.hostAndContent) {
      add(byFingerprint, makeFinding(hunt, identity, group, groupSamples ?? {}));
    } else if (groupSamples === undefined) {
      unsampled++;
    } else {
      for (const finding of hostAndContentFindings(hunt, hunt.hostAndContent, identity, group, groupSamples)) add(byFingerprint, finding);
    }
  }
  return { findings: [...byFingerprint.values()], unsampled };
}

function hostAndContentFindings(hunt: HuntDefinition, axes: HostAndContentNovelty, pair: IdentityValues, group: RareGroup, samples: GroupSamples): Finding[] {
  const hosts = new Map<string, string>();
  for (const pairText of samples[axes.agentHostsSample] ?? []) {
    const at = pairText.indexOf(ARGUMENT_SEPARATOR);
    const agentId = at === -1 ? pairText : pairText.slice(0, at);
    if (agentId !== '') hosts.set(agentId, at === -1 ? '' : pairText.slice(at + 1));
  }
  const fleetWide = fingerprintOf(hunt, { ...pair, [axes.agentField]: null });
  const perAgent = [...hosts].map(([agentId, hostName]) =>
    makeFinding(hunt, { ...pair, [axes.agentField]: agentId }, group, { ...samples, agent_ids: [agentId], host_names: hostName ? [hostName] : [] }, { coveredBy: fleetWide }),
  );
  const writers = hunt.identityFields.filter((f) => !axes.contentIdentity.includes(f) && f !== axes.contentField && f !== axes.agentField);
  const perContent = (samples[axes.contentSample] ?? []).map((hash) => {
    const identity = Object.fromEntries(hunt.identityFields.map((f) => [f, axes.contentIdentity.includes(f) ? (pair[f] ?? null) : null]));
    identity[axes.contentField] = hash;
    // The writers of this content are context: shown in the alert, never identity.
    const context = { ...samples, ...Object.fromEntries(writers.map((f) => [f, pair[f] === null || pair[f] === undefined ? [] : [pair[f]]])) };
    return makeFinding(hunt, identity, group, context, { quietWith: perAgent.map((f) => f.fingerprint) });
  });
  return [...perAgent, ...perContent];
}

function makeFinding(hunt: HuntDefinition, identity: IdentityValues, group: RareGroup, samples: GroupSamples, extra: Pick<Finding, 'quietWith' | 'coveredBy'> = {}): Finding {
  const context = Object.fromEntries(Object.entries(samples).filter(([name]) => !HOST_SAMPLES.has(name) && name !== hunt.hostAndContent?.agentHostsSample));
  const read = (columns: readonly string[]) =>
    columns.flatMap((column) => {
      const value = identity[column];
      if (typeof value === 'string') return [value];
      return samples[column] ?? [];
    });
  return {
    huntId: hunt.id,
    fingerprint: fingerprintOf(hunt, identity),
    identity,
    identityDigests: identityDigestsOf(hunt, identity),
    eventCount: group.eventCount,
    agentCount: group.agentCount,
    firstSeen: group.firstSeen,
    lastSeen: group.lastSeen,
    hostNames: samples.host_names ?? [],
    agentIds: samples.agent_ids ?? [],
    context,
    indicators: indicatorsIn({ commandLines: read(hunt.severityInputs.commandLines), executables: read(hunt.severityInputs.executables) }),
    ...extra,
  };
}

/** One content seen in several groups (several writers) is one finding: merge what each group says. */
function add(byFingerprint: Map<string, Finding>, finding: Finding): void {
  const earlier = byFingerprint.get(finding.fingerprint);
  if (!earlier) {
    byFingerprint.set(finding.fingerprint, finding);
    return;
  }
  const union = (a: readonly string[] = [], b: readonly string[] = []) => [...new Set([...a, ...b])];
  const context: Record<string, readonly string[]> = { ...earlier.context };
  for (const [name, values] of Object.entries(finding.context)) context[name] = union(context[name], values);
  byFingerprint.set(finding.fingerprint, {
    ...earlier,
    eventCount: earlier.eventCount + finding.eventCount,
    agentCount: Math.max(earlier.agentCount, finding.agentCount),
    firstSeen: [earlier.firstSeen, finding.firstSeen].filter((t): t is string => t !== null).sort()[0] ?? null,
    lastSeen: [earlier.lastSeen, finding.lastSeen].filter((t): t is string => t !== null).sort().at(-1) ?? null,
    hostNames: union(earlier.hostNames, finding.hostNames),
    agentIds: union(earlier.agentIds, finding.agentIds),
    context,
    indicators: [...new Map([...earlier.indicators, ...finding.indicators].map((m) => [m.id, m])).values()],
    ...(earlier.quietWith || finding.quietWith ? { quietWith: union(earlier.quietWith, finding.quietWith) } : {}),
  });
}
