import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A local Elasticsearch stand-in for `POST /_query`: a real HTTP server the real client talks to.
 * It behaves like an 8.x or 9.x server about REST compatibility headers and records every request.
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
}

export interface StandInOptions {
  /** Server major version: 8 rejects `compatible-with=9`, 9 accepts 8 and 9. */
  readonly majorVersion: 8 | 9;
  readonly respond: (request: RecordedRequest) => StandInReply | Promise<StandInReply>;
}

export interface ElasticsearchStandIn {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startElasticsearchStandIn(options: StandInOptions): Promise<ElasticsearchStandIn> {
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
        const reply = rejection ?? (await options.respond(request));
        if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          'x-elastic-product': 'Elasticsearch',
        });
        res.end(reply.raw ? String(reply.body) : JSON.stringify(reply.body));
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
