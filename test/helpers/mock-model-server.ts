// What the loopback mock model APIs (mock-anthropic.ts, mock-openai.ts) share: an HTTP server on
// 127.0.0.1 that records every request, refuses being used as a proxy for any other host (recorded
// in `external`: nothing leaves the machine, and a test can assert that nothing tried to), the
// proxy environment pointing at it, and a close that does not wait for keep-alive sockets.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';

/** What is recorded of every request; each mock adds what it learns of its own API's requests. */
export interface RecordedRequest {
  /** Order of arrival over all requests, from 1. */
  seq: number;
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or the raw text when it is not JSON, or null when empty. */
  body: any;
  at: number;
}

export interface ModelServerOptions<R extends RecordedRequest> {
  /** Its name, in refusals ("mock-anthropic: no external traffic in tests"). */
  name: string;
  log: (line: string) => void;
  /** The request body's text from its bytes (default: UTF-8 as sent). */
  decode?: (buf: Buffer, encoding: string | undefined) => string;
  /** Answer a request to the API itself (already recorded in `requests`); `raw` is its body's text. */
  answer(req: IncomingMessage, res: ServerResponse, rec: R, raw: string): void;
  /** WebSocket upgrades are refused (426), so a client that would stream over one falls back to HTTP. */
  refuseUpgrades?: boolean;
}

export interface ModelServer<R extends RecordedRequest> {
  /** Origin, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: R[];
  /** Hosts (host:port, or absolute URLs) that something tried to reach through the proxy. */
  external: string[];
  /** HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY (both cases) pointing at this server. */
  proxyEnv(): Record<string, string>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, decode: (buf: Buffer, encoding: string | undefined) => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(decode(Buffer.concat(chunks), req.headers['content-encoding'] as string | undefined)));
    req.on('error', reject);
  });
}

/** A JSON answer with its length and a fresh request id under `idHeader` (each API names it its own way). */
export function sendJson(res: ServerResponse, status: number, obj: unknown, idHeader: string): void {
  const text = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), [idHeader]: `req_mock_${randomBytes(6).toString('hex')}` });
  res.end(text);
}

export async function startModelServer<R extends RecordedRequest>(o: ModelServerOptions<R>): Promise<ModelServer<R>> {
  const requests: R[] = [];
  const external: string[] = [];
  const sockets = new Set<Duplex>();
  let seq = 0;
  const { log } = o;
  const decode = o.decode ?? ((buf: Buffer) => buf.toString('utf8'));
  const record = (method: string, path: string, headers: IncomingMessage['headers'], body: any): R => {
    const rec = { seq: ++seq, method, path, headers, body, at: Date.now() } as R;
    requests.push(rec);
    return rec;
  };

  const server = createServer(async (req, res) => {
    const raw = await readBody(req, decode).catch(() => '');
    let body: any = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const rec = record(req.method ?? 'GET', req.url ?? '/', req.headers, body);
    // An absolute URI means we are being used as a plain-HTTP proxy for some other host: refuse.
    if (/^[a-z]+:\/\//i.test(rec.path)) {
      external.push(rec.path);
      log(`${rec.seq} REFUSED proxy ${rec.method} ${rec.path}`);
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(`${o.name}: no external traffic in tests\n`);
      return;
    }
    o.answer(req, res, rec, raw);
  });

  // HTTPS through the proxy: CONNECT host:port. Refused and recorded.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const target = req.url ?? '?';
    external.push(target);
    record('CONNECT', target, req.headers, null);
    log(`${seq} REFUSED CONNECT ${target}`);
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  if (o.refuseUpgrades) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      record('UPGRADE', req.url ?? '/', req.headers, null);
      log(`${seq} REFUSED UPGRADE ${req.url}`);
      socket.on('error', () => {});
      socket.end('HTTP/1.1 426 Upgrade Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    external,
    proxyEnv: () => ({
      HTTPS_PROXY: url, https_proxy: url, HTTP_PROXY: url, http_proxy: url,
      ALL_PROXY: url, all_proxy: url,
      NO_PROXY: '127.0.0.1,localhost,::1', no_proxy: '127.0.0.1,localhost,::1',
    }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
