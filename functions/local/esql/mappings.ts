/**
 * Field mappings as data: what an index template declares, which decides what ES|QL can read.
 * The same table answers `_field_caps` in the stand-in.
 */
export type MappingType =
  | 'keyword'
  | 'constant_keyword'
  | 'wildcard'
  | 'text'
  | 'match_only_text'
  | 'long'
  | 'integer'
  | 'double'
  | 'float'
  | 'boolean'
  | 'date';

export interface FieldMapping {
  readonly type: MappingType;
  /** keyword/wildcard: longer strings are not indexed and not in doc values, so ES|QL reads null. */
  readonly ignore_above?: number;
  /** keyword: the value as indexed and read from doc values. */
  readonly normalizer?: 'lowercase';
  /** A multi-field (`process.executable.caseless`) reads its parent's `_source` path. */
  readonly sourcePath?: string;
}

export type FieldMappings = Readonly<Record<string, FieldMapping>>;

/** The ES|QL column type a mapping type reads as (`wildcard` and `constant_keyword` read as keyword). */
export function esqlTypeOf(mapping: FieldMapping): 'keyword' | 'text' | 'long' | 'integer' | 'double' | 'boolean' | 'date' {
  switch (mapping.type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
      return 'keyword';
    case 'text':
    case 'match_only_text':
      return 'text';
    case 'float':
    case 'double':
      return 'double';
    default:
      return mapping.type;
  }
}

const keyword: FieldMapping = { type: 'keyword', ignore_above: 1024 };
const date: FieldMapping = { type: 'date' };
const long: FieldMapping = { type: 'long' };

/** ECS keyword with its `.caseless` (lowercase normalizer) and `.text` multi-fields, as Elastic Defend maps paths and names. */
function keywordWithCaselessAndText(name: string): Record<string, FieldMapping> {
  return {
    [name]: keyword,
    [`${name}.caseless`]: { type: 'keyword', ignore_above: 1024, normalizer: 'lowercase', sourcePath: name },
    [`${name}.text`]: { type: 'text', sourcePath: name },
  };
}

/** `command_line` is a `wildcard` field (no ignore_above) with caseless and text multi-fields. */
function commandLine(name: string): Record<string, FieldMapping> {
  return {
    [name]: { type: 'wildcard' },
    [`${name}.caseless`]: { type: 'keyword', ignore_above: 1024, normalizer: 'lowercase', sourcePath: name },
    [`${name}.text`]: { type: 'text', sourcePath: name },
  };
}

function processFields(prefix: string): Record<string, FieldMapping> {
  return {
    [`${prefix}.pid`]: long,
    [`${prefix}.entity_id`]: keyword,
    ...keywordWithCaselessAndText(`${prefix}.name`),
    ...keywordWithCaselessAndText(`${prefix}.executable`),
    ...commandLine(`${prefix}.command_line`),
    [`${prefix}.args`]: keyword,
    [`${prefix}.args_count`]: long,
    ...keywordWithCaselessAndText(`${prefix}.working_directory`),
    [`${prefix}.hash.md5`]: keyword,
    [`${prefix}.hash.sha1`]: keyword,
    [`${prefix}.hash.sha256`]: keyword,
  };
}

/**
 * Elastic Defend's mappings for the fields the hunts and the fleet use (`logs-endpoint.events.process-*`
 * and `logs-endpoint.events.file-*`), after the endpoint package's `fields.yml`: keywords with
 * `ignore_above: 1024`, command lines as `wildcard`, timestamps as `date`. One table serves both data streams.
 */
export const ELASTIC_DEFEND_MAPPINGS: FieldMappings = {
  '@timestamp': date,
  message: { type: 'match_only_text' },
  'agent.id': keyword,
  'agent.name': keyword,
  'agent.type': keyword,
  'agent.version': keyword,
  'agent.ephemeral_id': keyword,
  'data_stream.dataset': { type: 'constant_keyword' },
  'data_stream.namespace': { type: 'constant_keyword' },
  'data_stream.type': { type: 'constant_keyword' },
  'ecs.version': keyword,
  'event.action': keyword,
  'event.category': keyword,
  'event.code': keyword,
  'event.created': date,
  'event.dataset': keyword,
  'event.id': keyword,
  'event.ingested': date,
  'event.kind': keyword,
  'event.module': keyword,
  'event.outcome': keyword,
  'event.sequence': long,
  'event.type': keyword,
  'host.architecture': keyword,
  'host.hostname': keyword,
  'host.id': keyword,
  'host.name': keyword,
  'host.os.family': keyword,
  'host.os.full': keyword,
  'host.os.kernel': keyword,
  'host.os.name': keyword,
  'host.os.platform': keyword,
  'host.os.type': keyword,
  'host.os.version': keyword,
  'user.id': keyword,
  'user.name': keyword,
  'user.name.text': { type: 'match_only_text', sourcePath: 'user.name' },
  'group.id': keyword,
  'group.name': keyword,
  'container.id': keyword,
  'container.name': keyword,
  'container.image.name': keyword,
  'container.image.tag': keyword,
  ...processFields('process'),
  'process.interactive': { type: 'boolean' },
  'process.Ext.ancestry': keyword,
  ...processFields('process.parent'),
  ...keywordWithCaselessAndText('file.path'),
  'file.name': keyword,
  'file.extension': keyword,
  'file.directory': keyword,
  'file.size': long,
  'file.inode': keyword,
  'file.mode': keyword,
  'file.owner': keyword,
  'file.group': keyword,
  'file.mtime': date,
  'file.ctime': date,
  'file.hash.md5': keyword,
  'file.hash.sha1': keyword,
  'file.hash.sha256': keyword,
  'file.Ext.original.path': keyword,
  'file.Ext.original.name': keyword,
  'file.Ext.header_bytes': keyword,
  'file.Ext.entropy': { type: 'double' },
};
