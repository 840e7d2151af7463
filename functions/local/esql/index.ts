/** A local ES|QL evaluator over stored Elastic Defend events, for the stand-in, the demo and benchmarks. */
export { evaluateEsql, type EsqlCluster, type EsqlRequest, type EsqlResult, type EvaluateOptions } from './evaluate';
export { EsqlError } from './errors';
export { ELASTIC_DEFEND_MAPPINGS, esqlTypeOf, type FieldMapping, type FieldMappings, type MappingType } from './mappings';
export type { MissingIndexBehaviour } from './index-resolution';
export type { StoredEvent } from './stored-event';
export { clusterOf } from './cluster';
