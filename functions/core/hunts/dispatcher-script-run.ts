import { mitre, type HuntDefinition } from './hunt-definition';
import { esqlDispatcherScript } from './dispatcher-scripts';
import { PROCESS_EXEC_EVENT, SCRIPT_HUNT_PROVENANCE } from './process-events';

/**
 * Scripts nm-dispatcher runs, identified by the script alone: NetworkManager passes the interface
 * and the action as arguments, and those vary per host and per night, so they are context shown in
 * the alert, never identity. A child of nm-dispatcher that is neither a dispatcher script nor an
 * interpreter running one (a script that `exec`s its payload in place) is kept, identified by its
 * executable and its command line with interface names masked.
 */
export const dispatcherScriptRun: HuntDefinition = {
  id: 'dispatcher-script-run',
  aliases: ['dispatcher-child-process'],
  title: 'Dispatcher script run by NetworkManager',
  description:
    'Rare scripts that nm-dispatcher runs, identified by the script whether it runs directly or through an interpreter. ' +
    'Dispatcher scripts run as root on every network change, so a new one is a candidate persistence foothold.',
  severity: 'medium',
  riskScore: 47,
  tactics: [mitre('TA0003', 'Persistence'), mitre('TA0002', 'Execution')],
  techniques: [mitre('T1546', 'Event Triggered Execution'), mitre('T1059.004', 'Command and Scripting Interpreter: Unix Shell')],
  provenance: {
    ...SCRIPT_HUNT_PROVENANCE,
    differences: [
      'Split from the seed query 1 (children of nm-dispatcher and of dispatcher scripts in one query), so that each hunt has one clean identity.',
      'A run is identified by the script, not by the interpreter and its command line: interface and action are context, so a new interface or action is never a new finding.',
      'Scripts started through an interpreter (`#!/usr/bin/env python3`, `sh script`) are attributed to the script named in the arguments.',
      'Covers /usr/lib/NetworkManager/dispatcher.d/ as well as /etc/NetworkManager/dispatcher.d/ (and their subfolders).',
      'The lookback window is the request filter instead of `now() - 30 day` in the text; rarity thresholds are named parameters.',
      'Samples (hosts, agents, command lines) are computed only for the rare groups; every rare group up to 10,000 is returned.',
    ],
  },
  indexPatterns: ['logs-endpoint.events.process-*'],
  optionalIndexPatterns: ['logs-sentinel_one_cloud_funnel.*', 'endgame-*'],
  source: `FROM {{indexPatterns}}
| WHERE ${PROCESS_EXEC_EVENT} AND process.parent.name == "nm-dispatcher"
${esqlDispatcherScript('process', 'script')}
| EVAL direct_executable = CASE(script IS NULL, process.executable, NULL),
    direct_command_line = CASE(script IS NULL, REPLACE(process.command_line, ?interface_name_regex, "<interface>"), NULL)`,
  groupBy: ['script', 'direct_executable', 'direct_command_line'],
  rarity: 'agent_count <= ?max_agent_count AND event_count < ?max_event_count',
  sampleKeyFields: ['script', 'direct_executable'],
  samples: [
    { name: 'host_names', column: 'host.name' },
    { name: 'agent_ids', column: 'agent.id' },
    { name: 'command_lines', column: 'process.command_line', optional: true },
  ],
  identityFields: ['script', 'direct_executable', 'direct_command_line'],
  identityNotes: {
    script: 'the dispatcher script: the executable when it lives in a dispatcher directory, else the dispatcher path among an interpreter\'s arguments',
    direct_executable: 'only when no script is known: the program nm-dispatcher ran',
    direct_command_line: 'only when no script is known: its command line, interface names masked',
  },
  exclusionField: 'process.executable',
  novelty: { anchorField: 'script', anchorLabel: 'script', variantField: 'direct_executable', variantLabel: 'program' },
  severityInputs: { commandLines: ['direct_command_line', 'command_lines'], executables: ['script', 'direct_executable'] },
  defaultThresholds: { maxAgentCount: 3, maxEventCount: 15 },
  osqueryPathField: 'script',
  kibanaFields: { script: ['process.executable', 'process.args'], direct_executable: ['process.executable'] },
  fieldTypes: {
    '@timestamp': 'date',
    'host.os.type': 'keyword',
    'event.type': 'keyword',
    'event.action': 'keyword',
    'process.parent.name': 'keyword',
    'process.executable': 'keyword',
    'process.name': 'keyword',
    'process.args': 'keyword',
    'process.command_line': 'keyword',
    'agent.id': 'keyword',
  },
};
