import type { BaselineEntry } from '../baseline';
import type { HuntDefinition } from '../hunts/hunt-definition';
import { dispatcherPath } from './follow-up';
import { inertText } from './inert-text';

/*
 * What to do when a finding is malicious, and what the osquery follow-up should show. Our words; the only values
 * from hosts are the host names (inert, bounded) and a script path that passed the follow-up's allowlist.
 */

/** "Isolate web-03 …, collect /etc/NetworkManager/dispatcher.d/x.sh …": the response, in the order to do it. */
export function maliciousSteps(hunt: HuntDefinition, entry: BaselineEntry): string {
  const hosts = entry.hostNames.length > 0 ? entry.hostNames.slice(0, 3).map((h) => inertText(h, 64)).join(', ') + (entry.hostNames.length > 3 ? ` and ${entry.hostNames.length - 3} more` : '') : 'the host';
  const script = dispatcherPath(hunt, entry) ?? 'the dispatcher script';
  const isolate = `isolate ${hosts} (Kibana: Security → Endpoints → Isolate host, or your EDR)`;
  const collect = `collect ${script} and its SHA-256 (the osquery query below) before removing it`;
  const trace = hunt.id === 'dispatcher-script-write'
    ? 'then find how the writer got there (its parent process and user at first seen)'
    : 'then look at the child\'s network connections and files around first seen, and at what wrote the script';
  return `${isolate}; ${collect}; ${trace}`;
}

/**
 * How to read the osquery result. NetworkManager's dispatcher runs only scripts owned by root and not writable by
 * group or others, so a script that ran looks like that; what gives it away is its time and its hash.
 */
export const OSQUERY_EXPECTATION =
  'a script NetworkManager ran is owned by root and not writable by group or others (it skips any other script); ' +
  "what gives an attacker's away is a modified or created time near first seen, and a SHA-256 no package ships (dpkg -S or rpm -qf names no package, or dpkg -V or rpm -V reports it changed)";
