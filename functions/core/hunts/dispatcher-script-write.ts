import { DISPATCHER_DIRECTORIES, mitre, type HuntDefinition } from './hunt-definition';
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
  aliases: [],
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
  source: `FROM {{indexPatterns}}
| WHERE host.os.type == "linux" AND event.type IN ("creation", "change")
  AND (${esqlAnyPrefix('file.path', DISPATCHER_DIRECTORIES)})
| WHERE NOT COALESCE(process.executable IN (${esqlList(EXCLUDED_WRITER_EXECUTABLES)}), FALSE)
| WHERE NOT COALESCE(${esqlAnyPrefix('process.executable', EXCLUDED_WRITER_PREFIXES)}, FALSE)
| WHERE NOT COALESCE(file.extension IN (${esqlList(EXCLUDED_FILE_EXTENSIONS)}), FALSE)
| WHERE NOT COALESCE(process.name == "sed" AND file.name LIKE "sed*", FALSE)
| WHERE NOT COALESCE(process.name IN (${esqlList(EXCLUDED_WRITER_NAMES)}) AND (${esqlAnyPrefix('process.executable', SYSTEM_BINARY_PREFIXES)}), FALSE)
| EVAL agent_host = CONCAT(agent.id, ?argument_separator, COALESCE(host.name, ""))`,
  groupBy: ['file.path', 'process.executable'],
  rarity: 'agent_count <= ?max_agent_count',
  sampleKeyFields: ['file.path'],
  samples: [
    { name: 'agent_hosts', column: 'agent_host' },
    { name: 'host_names', column: 'host.name' },
    { name: 'agent_ids', column: 'agent.id' },
    { name: 'hashes', column: 'file.hash.sha256', optional: true },
    { name: 'writer_command_lines', column: 'process.command_line', optional: true },
    { name: 'users', column: 'user.name', optional: true },
  ],
  identityFields: ['file.path', 'process.executable', 'agent', 'file.hash.sha256'],
  identityNotes: {
    'file.path': 'the file written in a dispatcher directory',
    'process.executable': 'the writing executable (null on a content finding)',
    agent: 'the agent that wrote it: a write on an agent outside the known ones is new (null on a content finding, and on a fleet-wide approval)',
    'file.hash.sha256': 'only on a content finding: a content never seen for the path',
  },
  exclusionField: 'process.executable',
  novelty: { anchorField: 'file.path', anchorLabel: 'path', variantField: 'process.executable', variantLabel: 'writer' },
  hostAndContent: {
    agentField: 'agent',
    contentField: 'file.hash.sha256',
    contentIdentity: ['file.path'],
    agentHostsSample: 'agent_hosts',
    contentSample: 'hashes',
  },
  severityInputs: { commandLines: ['writer_command_lines'], executables: ['process.executable'] },
  defaultThresholds: { maxAgentCount: 3 },
  kibanaFields: { 'file.path': ['file.path'], 'process.executable': ['process.executable'], agent: ['agent.id'], 'file.hash.sha256': ['file.hash.sha256'] },
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
