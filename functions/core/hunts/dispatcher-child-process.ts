import { DISPATCHER_DIRECTORIES, SAMPLE_SIZE, mitre, type HuntDefinition } from './hunt-definition';
import { esqlAnyPrefix } from './esql-text';

export const dispatcherChildProcess: HuntDefinition = {
  id: 'dispatcher-child-process',
  title: 'Process spawned by a NetworkManager dispatcher script',
  description:
    'Rare processes started by nm-dispatcher or by a script in a NetworkManager dispatcher directory. ' +
    'Dispatcher scripts run as root on every network change, so a new child is a candidate persistence or execution foothold.',
  severity: 'medium',
  riskScore: 47,
  tactics: [mitre('TA0003', 'Persistence'), mitre('TA0002', 'Execution')],
  techniques: [
    mitre('T1546', 'Event Triggered Execution'),
    mitre('T1059.004', 'Command and Scripting Interpreter: Unix Shell'),
  ],
  provenance: {
    huntUuid: '8f3bf096-2f3b-4d38-9925-0eb120323da3',
    source: 'Elastic hunt "Persistence via NetworkManager Dispatcher Script", query 1',
    differences: [
      'Covers /usr/lib/NetworkManager/dispatcher.d/ as well as /etc/NetworkManager/dispatcher.d/ (and their subfolders).',
      'The lookback window is the request filter (a range on @timestamp) instead of `now() - 30 day` in the text.',
      'Rarity thresholds are named parameters (?max_agent_count, ?max_event_count) instead of literals.',
      'Each row also returns first and last seen and a sample of host names and agent ids.',
      'The stray `sql` first line (a Markdown fence artefact) is gone; `cc` is named event_count.',
    ],
  },
  indexPatterns: ['logs-endpoint.events.process-*'],
  optionalIndexPatterns: ['logs-sentinel_one_cloud_funnel.*', 'endgame-*'],
  query: `FROM {{indexPatterns}}
| WHERE host.os.type == "linux" AND event.type == "start" AND event.action == "exec"
  AND (process.parent.name == "nm-dispatcher" OR ${esqlAnyPrefix('process.parent.executable', DISPATCHER_DIRECTORIES)})
| STATS event_count = COUNT(*), agent_count = COUNT_DISTINCT(agent.id),
    first_seen = MIN(@timestamp), last_seen = MAX(@timestamp),
    host_names = VALUES(host.name), agent_ids = VALUES(agent.id)
  BY process.parent.executable, process.executable, process.command_line
| WHERE agent_count <= ?max_agent_count AND event_count < ?max_event_count
| EVAL host_names = MV_SLICE(host_names, 0, ${SAMPLE_SIZE - 1}), agent_ids = MV_SLICE(agent_ids, 0, ${SAMPLE_SIZE - 1})
| SORT event_count ASC, last_seen DESC
| LIMIT 100`,
  identityFields: ['process.parent.executable', 'process.executable', 'process.command_line'],
  exclusionField: 'process.executable',
  novelty: {
    anchorField: 'process.parent.executable',
    anchorLabel: 'parent',
    variantField: 'process.executable',
    variantLabel: 'child',
  },
  defaultThresholds: { maxAgentCount: 3, maxEventCount: 15 },
  rowLimit: 100,
  osqueryPathField: 'process.parent.executable',
  fieldTypes: {
    '@timestamp': 'date',
    'host.os.type': 'keyword',
    'event.type': 'keyword',
    'event.action': 'keyword',
    'process.parent.name': 'keyword',
    'process.parent.executable': 'keyword',
    'process.executable': 'keyword',
    'process.command_line': 'keyword',
    'agent.id': 'keyword',
    'host.name': 'keyword',
  },
};
