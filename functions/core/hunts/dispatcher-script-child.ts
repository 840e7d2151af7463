import { DISPATCHER_DIRECTORIES, mitre, type HuntDefinition } from './hunt-definition';
import { esqlDispatcherScript } from './dispatcher-scripts';
import { esqlAnyPrefix } from './esql-text';
import { PROCESS_EXEC_EVENT, SCRIPT_HUNT_PROVENANCE } from './process-events';

/**
 * Processes a dispatcher script starts, identified by the script, the child executable and the
 * child's command line with interface names masked (`dev tun1` under a known script is the same
 * child as `dev tun0`). The parent is a dispatcher script when its executable lives in a dispatcher
 * directory, or when it is an interpreter of the list running a script from one; a parent that
 * merely names a dispatcher path (`vim /etc/NetworkManager/dispatcher.d/50-vpn`) is not.
 * The first WHERE is a cheap pre-filter the cluster can answer from its indices, so that the
 * derivation runs only on processes whose parent mentions a dispatcher directory.
 */
export const dispatcherScriptChild: HuntDefinition = {
  id: 'dispatcher-script-child',
  aliases: ['dispatcher-child-process'],
  title: 'Process started by a NetworkManager dispatcher script',
  description:
    'Rare processes started by a script in a NetworkManager dispatcher directory, including scripts that run through an interpreter. ' +
    'Dispatcher scripts run as root on every network change, so a new child is a candidate persistence or execution foothold.',
  severity: 'medium',
  riskScore: 47,
  tactics: [mitre('TA0003', 'Persistence'), mitre('TA0002', 'Execution')],
  techniques: [mitre('T1546', 'Event Triggered Execution'), mitre('T1059.004', 'Command and Scripting Interpreter: Unix Shell')],
  provenance: {
    ...SCRIPT_HUNT_PROVENANCE,
    differences: [
      'Split from the seed query 1 (children of nm-dispatcher and of dispatcher scripts in one query), so that each hunt has one clean identity.',
      'Children of scripts that run through an interpreter (parent `python3` with the script in its arguments) are attributed to the script; the seed misses them.',
      'Interface names in the child command line are masked (`dev <interface>`), so a renamed interface is not a new child.',
      'Covers /usr/lib/NetworkManager/dispatcher.d/ as well as /etc/NetworkManager/dispatcher.d/ (and their subfolders).',
      'The lookback window is the request filter instead of `now() - 30 day` in the text; rarity thresholds are named parameters.',
      'Samples (hosts, agents, unmasked command lines) are computed only for the rare groups; every rare group up to 10,000 is returned.',
    ],
  },
  indexPatterns: ['logs-endpoint.events.process-*'],
  optionalIndexPatterns: ['logs-sentinel_one_cloud_funnel.*', 'endgame-*'],
  source: `FROM {{indexPatterns}}
| WHERE ${PROCESS_EXEC_EVENT}
  AND (${esqlAnyPrefix('process.parent.executable', DISPATCHER_DIRECTORIES)} OR process.parent.command_line LIKE "*/NetworkManager/dispatcher.d/*")
${esqlDispatcherScript('process.parent', 'parent_script')}
| WHERE parent_script IS NOT NULL
| EVAL masked_command_line = REPLACE(process.command_line, ?interface_name_regex, "<interface>")`,
  groupBy: ['parent_script', 'process.executable', 'masked_command_line'],
  rarity: 'agent_count <= ?max_agent_count AND event_count < ?max_event_count',
  sampleKeyFields: ['parent_script'],
  samples: [
    { name: 'host_names', column: 'host.name' },
    { name: 'agent_ids', column: 'agent.id' },
    { name: 'command_lines', column: 'process.command_line', optional: true },
  ],
  identityFields: ['parent_script', 'process.executable', 'masked_command_line'],
  identityNotes: {
    parent_script: 'the dispatcher script that started the process (its executable, or the dispatcher path among an interpreter parent\'s arguments)',
    'process.executable': 'the child executable',
    masked_command_line: 'the child command line with interface names masked as <interface>',
  },
  exclusionField: 'process.executable',
  novelty: { anchorField: 'parent_script', anchorLabel: 'script', variantField: 'process.executable', variantLabel: 'child' },
  severityInputs: { commandLines: ['masked_command_line', 'command_lines'], executables: ['process.executable'] },
  defaultThresholds: { maxAgentCount: 3, maxEventCount: 15 },
  osqueryPathField: 'parent_script',
  kibanaFields: { parent_script: ['process.parent.executable', 'process.parent.args'], 'process.executable': ['process.executable'] },
  fieldTypes: {
    '@timestamp': 'date',
    'host.os.type': 'keyword',
    'event.type': 'keyword',
    'event.action': 'keyword',
    'process.parent.name': 'keyword',
    'process.parent.executable': 'keyword',
    'process.parent.command_line': 'keyword',
    'process.parent.args': 'keyword',
    'process.executable': 'keyword',
    'process.command_line': 'keyword',
    'agent.id': 'keyword',
  },
};
