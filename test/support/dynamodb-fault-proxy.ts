import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one DynamoDB request. */
export type DynamoFault =
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message: string }
  /** Forward only the first `keep` items or keys of a batch and report the rest as unprocessed. */
  | { readonly kind: 'partial-batch'; readonly keep: number }
  /** Run `action` (e.g. a competing write) before forwarding. */
  | { readonly kind: 'before'; readonly action: () => Promise<void> };

export type FaultRule = (operation: string, body: Record<string, unknown>) => DynamoFault | undefined;

export interface DynamoFaultProxy {
  readonly endpoint: string;
  /** Operations seen, in order (e.g. "PutItem"). */
  readonly operations: string[];
  rule: FaultRule;
  close(): Promise<void>;
}

export const throttled = (): DynamoFault => ({ kind: 'error', status: 400, type: 'ProvisionedThroughputExceededException', message: 'Rate of requests exceeds the allowed throughput (injected).' });
export const internalError = (): DynamoFault => ({ kind: 'error', status: 500, type: 'InternalServerError', message: 'Internal server error (injected).' });
export const rejected = (): DynamoFault => ({ kind: 'error', status: 400, type: 'ValidationException', message: 'Injected failure: the run crashes here.' });

/**
 * A real HTTP proxy in front of dynalite that injects DynamoDB faults the way DynamoDB reports them:
 * error bodies with `__type`, and batches that come back with UnprocessedItems/UnprocessedKeys.
 */
export async function startDynamoFaultProxy(upstream: string): Promise<DynamoFaultProxy> {
  const target = new URL(upstream);
  const operations: string[] = [];
  const proxy: DynamoFaultProxy = { endpoint: '', operations, rule: () => undefined, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        operations.push(operation);
        let body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const fault = proxy.rule(operation, body);
        if (fault?.kind === 'error') {
          res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${fault.type}`, message: fault.message }));
          return;
        }
        if (fault?.kind === 'before') await fault.action();
        let unprocessed: Record<string, unknown> | undefined;
        if (fault?.kind === 'partial-batch') ({ body, unprocessed } = splitBatch(operation, body, fault.keep));
        const upstreamResponse = await forward(target, req.headers, body);
        let responseBody = upstreamResponse.body;
        if (unprocessed && upstreamResponse.status === 200) {
          const parsed = JSON.parse(responseBody) as Record<string, unknown>;
          parsed[operation === 'BatchWriteItem' ? 'UnprocessedItems' : 'UnprocessedKeys'] = unprocessed;
          responseBody = JSON.stringify(parsed);
        }
        res.writeHead(upstreamResponse.status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(responseBody);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(proxy, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
  return proxy;
}

function splitBatch(operation: string, body: Record<string, unknown>, keep: number) {
  const requestItems = body.RequestItems as Record<string, unknown>;
  const [table, value] = Object.entries(requestItems)[0] as [string, unknown];
  if (operation === 'BatchWriteItem') {
    const items = value as unknown[];
    return { body: { ...body, RequestItems: { [table]: items.slice(0, keep) } }, unprocessed: items.length > keep ? { [table]: items.slice(keep) } : undefined };
  }
  const { Keys: keys, ...rest } = value as { Keys: unknown[] };
  return { body: { ...body, RequestItems: { [table]: { ...rest, Keys: keys.slice(0, keep) } } }, unprocessed: keys.length > keep ? { [table]: { ...rest, Keys: keys.slice(keep) } } : undefined };
}

function forward(target: URL, headers: Record<string, unknown>, body: unknown): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, method: 'POST', path: '/', headers: { ...headers, host: target.host, 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
