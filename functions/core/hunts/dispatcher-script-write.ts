import { DISPATCHER_DIRECTORIES, SAMPLE_SIZE, mitre, type HuntDefinition } from './hunt-definition';
import { esqlAnyPrefix, esqlList } from './esql-text';
import {
  EXCLUDED_FILE_EXTENSIONS,
  EXCLUDED_WRITER_EXECUTABLES,
  EXCLUDED_WRITER_NAMES,
  EXCLUDED_WRITER_PREFIXES,
  SYSTEM_BINARY_PREFIXES,
} from './legitimate-writers';

/*
 * Each exclusion is `WHERE NOT COALESCE(<condition>, FALSE)`: in ES|QL a comparison with a
 * missing field is null and `WHERE NOT (null)` drops the row, which would hide every
 * extensionless script (most dispatcher scripts) and every event without a process.
 */
export const dispatcherScriptWrite: HuntDefinition = {
  id: 'dispatcher-script-write',
  title: 'File created or changed in a NetworkManager dispatcher directory',
  description:
    'Rare writes to NetworkManager dispatcher directories by anything other than the package managers, ' +
    'configuration management and container runtimes the Elastic rule trusts. A new or edited dispatcher script runs as root on every network change.',
  severity: 'medium',
  riskScore: 47,
  tactics: [mitre('TA0003', 'Persistence'), mitre('TA0002', 'Execution'), mitre('TA0005', 'Defense Evasion')],
  techniques: [
    mitre('T1546', 'Event Triggered Execution'),
    mitre('T1543', 'Create or Modify System Process'),
    mitre('T1574', 'Hijack Execution Flow'),
  ],
  provenance: {
    huntUuid: '8f3bf096-2f3b-4d38-9925-0eb120323da3',
    ruleId: '86aa8579-1526-4dff-97cd-3635eb0e0545',
    source:
      'Elastic hunt "Persistence via NetworkManager Dispatcher Script", query 2, with the exclusions of the rule "NetworkManager Dispatcher Script Creation"',
    differences: [
      'Covers /usr/lib/NetworkManager/dispatcher.d/ as well as /etc/NetworkManager/dispatcher.d/ (and their subfolders).',
      "Folds in every legitimate writer of the rule: executables, executable prefixes, swap-file extensions and sed's temporary files.",
      'Keeps events whose file.extension, process.name or process.executable is missing: the seed `not (...)` drops every extensionless script.',
      'Keeps creation and change events (the rule sees creation only; an attacker who edits an existing script causes change).',
      'The seed hunt excludes dnf, yum and dpkg by process name; here only when the binary lives in a system directory, since a name is attacker-chosen.',
      'Matching is case-sensitive (the rule uses like~): Linux paths are, and a case-insensitive exclusion would hide more.',
      'The lookback window is the request filter and the rarity threshold a named parameter (?max_agent_count).',
      'Each row also returns first and last seen and a sample of host names and agent ids.',
    ],
  },
  indexPatterns: ['logs-endpoint.events.file-*'],
  optionalIndexPatterns: ['logs-sentinel_one_cloud_funnel.*', 'endgame-*'],
  query: `FROM {{indexPatterns}}
| WHERE host.os.type == "linux" AND event.type IN ("creation", "change")
  AND (${esqlAnyPrefix('file.path', DISPATCHER_DIRECTORIES)})
| WHERE NOT COALESCE(process.executable IN (${esqlList(EXCLUDED_WRITER_EXECUTABLES)}), FALSE)
| WHERE NOT COALESCE(${esqlAnyPrefix('process.executable', EXCLUDED_WRITER_PREFIXES)}, FALSE)
| WHERE NOT COALESCE(file.extension IN (${esqlList(EXCLUDED_FILE_EXTENSIONS)}), FALSE)
| WHERE NOT COALESCE(process.name == "sed" AND file.name LIKE "sed*", FALSE)
| WHERE NOT COALESCE(process.name IN (${esqlList(EXCLUDED_WRITER_NAMES)}) AND (${esqlAnyPrefix('process.executable', SYSTEM_BINARY_PREFIXES)}), FALSE)
| STATS event_count = COUNT(*), agent_count = COUNT_DISTINCT(agent.id),
    first_seen = MIN(@timestamp), last_seen = MAX(@timestamp),
    host_names = VALUES(host.name), agent_ids = VALUES(agent.id)
  BY file.path, process.executable
| WHERE agent_count <= ?max_agent_count
| EVAL host_names = MV_SLICE(host_names, 0, ${SAMPLE_SIZE - 1}), agent_ids = MV_SLICE(agent_ids, 0, ${SAMPLE_SIZE - 1})
| SORT event_count ASC, last_seen DESC
| LIMIT 100`,
  identityFields: ['file.path', 'process.executable'],
  exclusionField: 'process.executable',
  novelty: {
    anchorField: 'file.path',
    anchorLabel: 'path',
    variantField: 'process.executable',
    variantLabel: 'writer',
  },
  defaultThresholds: { maxAgentCount: 3 },
  rowLimit: 100,
  osqueryPathField: 'file.path',
  fieldTypes: {
    '@timestamp': 'date',
    'host.os.type': 'keyword',
    'event.type': 'keyword',
    'file.path': 'keyword',
    'file.name': 'keyword',
    'file.extension': 'keyword',
    'process.executable': 'keyword',
    'process.name': 'keyword',
    'agent.id': 'keyword',
    'host.name': 'keyword',
  },
};
