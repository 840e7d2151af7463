/** What `GET /` answers (docs: "Root API" / "Get cluster info"), per major version. */
export interface NodeVersion {
  readonly number: string;
  readonly lucene: string;
  readonly minimumWire: string;
  readonly minimumIndex: string;
  readonly buildHash: string;
}

export const DEFAULT_VERSIONS: Record<8 | 9, NodeVersion> = {
  8: { number: '8.15.5', lucene: '9.11.1', minimumWire: '7.17.0', minimumIndex: '7.0.0', buildHash: '005c2d2c4e3c54a1ff9ac9e15d7bb8bff0f1c35a' },
  9: { number: '9.1.5', lucene: '10.2.2', minimumWire: '8.19.0', minimumIndex: '8.0.0', buildHash: '90ee222e7e0136dd8ddbb34015538f3a00c129b7' },
};

export function nodeInfo(version: NodeVersion, clusterName: string) {
  return {
    name: 'stand-in-node-0',
    cluster_name: clusterName,
    cluster_uuid: 'c3RhbmQtaW4tY2x1c3Rlcg',
    version: {
      number: version.number,
      build_flavor: 'default',
      build_type: 'docker',
      build_hash: version.buildHash,
      build_date: '2025-01-01T00:00:00.000000000Z',
      build_snapshot: false,
      lucene_version: version.lucene,
      minimum_wire_compatibility_version: version.minimumWire,
      minimum_index_compatibility_version: version.minimumIndex,
    },
    tagline: 'You Know, for Search',
  };
}

/**
 * A `Warning` response header value as Elasticsearch formats it (HeaderWarning):
 * `299 Elasticsearch-<version>-<build hash> "<text>"`, with `\` and `"` escaped.
 */
export function warningHeader(version: NodeVersion, text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  // Characters outside printable ASCII are percent-encoded, as HeaderWarning.escapeAndEncode does.
  const encoded = escaped.replace(/[^\x20-\x7e\t]/gu, (c) => encodeURIComponent(c));
  return `299 Elasticsearch-${version.number}-${version.buildHash} "${encoded}"`;
}
