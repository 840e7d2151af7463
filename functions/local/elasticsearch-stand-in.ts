import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { clusterApi, type ClusterBackendOptions } from './stand-in/cluster-api';

/**
 * A local Elasticsearch stand-in: a real HTTP server the real client talks to. It behaves like an
 * 8.x or 9.x server about REST compatibility headers and records every request. Tests script its
 * answers (`respond`); the demo and benchmarks give it a cluster of stored events, and it answers
 * like Elasticsearch from them (`cluster`: `GET /`, `_query`, `_query/async`, `_has_privileges`,
 * `_resolve/index`, `_field_caps`), evaluating the real ES|QL text.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

export interface StandInReply {
  readonly status: number;
  readonly body: unknown;
  /** Send the body as-is (to test malformed responses). */
  readonly raw?: boolean;
  /** Delay before answering, in ms. */
  readonly delayMs?: number;
  /** Destroy the socket instead of answering. */
  readonly reset?: boolean;
  /** Extra response headers (`Warning` may hold several values). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

export interface StandInOptions {
  /** Server major version: 8 rejects `compatible-with=9`, 9 accepts 8 and 9. */
  readonly majorVersion: 8 | 9;
  /** Scripted answers; with a `cluster` too, answering undefined lets the cluster answer (fault injection). */
  readonly respond?: (request: RecordedRequest) => StandInReply | undefined | Promise<StandInReply | undefined>;
  /** Answer like Elasticsearch from an in-memory cluster of stored events. */
  readonly cluster?: ClusterBackendOptions;
}

export interface ElasticsearchStandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startElasticsearchStandIn(options: StandInOptions): Promise<ElasticsearchStandIn> {
  if (!options.respond && !options.cluster) throw new Error('the Elasticsearch stand-in needs `respond` or `cluster`');
  const cluster = options.cluster ? clusterApi(options.cluster, options.majorVersion) : undefined;
  const answer = async (request: RecordedRequest): Promise<StandInReply> => {
    const scripted = options.respond ? await options.respond(request) : undefined;
    if (scripted) return scripted;
    if (cluster) return cluster(request);
    throw new Error(`the stand-in's respond() gave no answer to ${request.method} ${request.path}`);
  };
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const text = decode(Buffer.concat(chunks), req.headers['content-encoding']);
        const request: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        };
        requests.push(request);
        const rejection = compatibilityRejection(options.majorVersion, req.headers);
        const reply = rejection ?? (await answer(request).catch((error: unknown) => internalError(error)));
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          'x-elastic-product': 'Elasticsearch',
          ...(reply.headers as Record<string, string | string[]> | undefined),
        });
        res.end(req.method === 'HEAD' ? undefined : reply.raw ? String(reply.body) : JSON.stringify(reply.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An unexpected failure (a bug, or an event Elasticsearch would have rejected) answers 500 with the reason. */
function internalError(error: unknown): StandInReply {
  const reason = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: { root_cause: [{ type: 'exception', reason }], type: 'exception', reason }, status: 500 } };
}

function decode(buffer: Buffer, encoding: string | undefined): string {
  return (encoding === 'gzip' ? gunzipSync(buffer) : buffer).toString('utf8');
}

/** What a real server says about the client's compatibility headers. */
function compatibilityRejection(major: 8 | 9, headers: IncomingHttpHeaders): StandInReply | undefined {
  for (const name of ['accept', 'content-type'] as const) {
    const value = headers[name] ?? '';
    const match = /compatible-with=(\d+)/.exec(value);
    if (!match) continue;
    const version = Number(match[1]);
    if (version !== major && version !== major - 1) {
      return {
        status: 400,
        body: {
          error: {
            type: 'media_type_header_exception',
            reason: `Invalid media-type value on headers [${name === 'accept' ? 'Accept' : 'Content-Type'}]`,
            root_cause: [{ type: 'media_type_header_exception', reason: 'Invalid media-type value' }],
          },
          status: 400,
        },
      };
    }
  }
  return undefined;
}

/** A `_query` response in the exact wire format. */
export const esqlResponse = (
  columns: { name: string; type: string }[],
  values: unknown[][],
  extra: { is_partial?: boolean } = {},
) => ({ took: 12, is_partial: false, ...extra, columns, values });

/** The error body Elasticsearch sends for an ES|QL verification failure. */
export const verificationException = (reason: string) => ({
  error: { root_cause: [{ type: 'verification_exception', reason }], type: 'verification_exception', reason },
  status: 400,
});

export type { ClusterBackendOptions } from './stand-in/cluster-api';
export type { Privileges, IndexGrant } from './stand-in/privileges';
