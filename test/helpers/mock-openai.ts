// A stand-in for the OpenAI Responses API on 127.0.0.1, for driving the real Codex CLI offline
// through a custom `model_providers` entry with `wire_api = "responses"` (see makeCodexHome in claude-home.ts). The
// test chooses the usage of every reply, so the rollout's `token_count` events can be checked.
//
// What Codex 0.169 asks of it (with makeCodexHome's config): only `POST /v1/responses`, streamed. One
// main request per turn (13 tools); with the first turn of each thread, one thread-naming side request
// (`tools: []`) whose text becomes the thread name. Only main responses produce `token_count` events.
//
// Like mock-anthropic.ts, it doubles as the run's HTTP(S) proxy (mock-model-server.ts): attempts to
// reach any other host are refused and recorded in `external`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { fillJsonSchema } from './mock-anthropic.js';
import { sendJson, startModelServer, type ModelServer, type RecordedRequest } from './mock-model-server.js';

/** The usage figures the test picks; `total_tokens` is input + output, as the API computes it. */
export interface ResponsesUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

export type ResponsesKind = 'main' | 'side';

export interface MockOpenAIRequest extends RecordedRequest {
  kind?: ResponsesKind;
  /** Main requests: their number among main requests, from 1. */
  n?: number;
  model?: string;
  usage?: ResponsesUsage;
  reply?: string;
}

export interface MockOpenAIOptions {
  usage?: (n: number, body: any) => ResponsesUsage;
  reply?: (n: number, body: any) => string;
  sideUsage?: (body: any) => ResponsesUsage;
  sideReply?: (body: any) => string;
  /** Main conversation vs helper request (default: main when the request carries tools). */
  classify?: (body: any) => ResponsesKind;
  /**
   * Main requests: answer with a function call instead of text (the tool's name and its JSON
   * arguments), so the real Codex runs a tool; null answers with text as usual. The tool's output
   * comes back in the next request's `input` as a `function_call_output` item.
   */
  toolCall?: (n: number, body: any) => ToolCall | null;
  log?: (line: string) => void;
}

/**
 * A function call the mock answers with. Tools Codex groups (an MCP server's, offered as one
 * `{type: "namespace", name: "mcp__flower", tools: [...]}` entry) are called by their own name
 * with the group's name as `namespace`.
 */
export interface ToolCall {
  name: string;
  namespace?: string;
  arguments: Record<string, unknown>;
}

/** The namespace entry (e.g. "mcp__flower") that offers the function `name`, if any. */
export function namespaceOf(body: any, name: string): string | undefined {
  const tools = Array.isArray(body?.tools) ? body.tools : [];
  return tools.find((t: any) => t?.type === 'namespace' && Array.isArray(t.tools) && t.tools.some((f: any) => f?.name === name))?.name;
}

/**
 * Codex's shell tool for one command line, in whichever shape this version offers it (`extra`:
 * more arguments, e.g. asking to run outside Codex's own sandbox).
 */
export function codexShellCall(body: any, line: string, extra: Record<string, unknown> = {}): ToolCall {
  const tools = offeredTools(body);
  if (tools.includes('shell_command')) return { name: 'shell_command', arguments: { command: line, ...extra } };
  if (tools.includes('exec_command')) return { name: 'exec_command', arguments: { cmd: line, ...extra } };
  if (tools.includes('shell')) return { name: 'shell', arguments: { command: ['bash', '-lc', line], ...extra } };
  throw new Error(`no shell tool offered: ${tools.join(', ')}`);
}

/** The tool names a Responses request offers (function tools and others). */
export function offeredTools(body: any): string[] {
  return Array.isArray(body?.tools) ? body.tools.map((t: any) => t?.name ?? t?.type).filter(Boolean) : [];
}

/** The `function_call_output` items of a request, as strings. */
export function functionCallOutputs(body: any): string[] {
  const items = Array.isArray(body?.input) ? body.input : [];
  return items.filter((i: any) => i?.type === 'function_call_output').map((i: any) => (typeof i.output === 'string' ? i.output : JSON.stringify(i.output)));
}

/** `url` is the origin: the provider's base_url is `${url}/v1`. */
export interface MockOpenAI extends ModelServer<MockOpenAIRequest> {
  mainRequests(): MockOpenAIRequest[];
}

const DEFAULT_SIDE_USAGE: ResponsesUsage = { input_tokens: 9, cached_input_tokens: 0, output_tokens: 4, reasoning_output_tokens: 0 };

export function classifyResponsesRequest(body: any): ResponsesKind {
  if (!body || typeof body !== 'object') return 'side';
  return Array.isArray(body.tools) && body.tools.length > 0 ? 'main' : 'side';
}

function decode(buf: Buffer, encoding: string | undefined): string {
  try {
    switch ((encoding ?? '').toLowerCase()) {
      case 'gzip':
        return zlib.gunzipSync(buf).toString('utf8');
      case 'deflate':
        return zlib.inflateSync(buf).toString('utf8');
      case 'br':
        return zlib.brotliDecompressSync(buf).toString('utf8');
      case 'zstd': {
        // zstd in node:zlib exists from Node 22.15 / 23.8; absent on Node 20.
        const z = (zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer }).zstdDecompressSync;
        return z ? z(buf).toString('utf8') : '';
      }
      default:
        return buf.toString('utf8');
    }
  } catch {
    return buf.toString('utf8');
  }
}

const json = (res: ServerResponse, status: number, obj: unknown): void => sendJson(res, status, obj, 'x-request-id');

function apiUsage(u: ResponsesUsage): Record<string, unknown> {
  return {
    input_tokens: u.input_tokens,
    input_tokens_details: { cached_tokens: u.cached_input_tokens },
    output_tokens: u.output_tokens,
    output_tokens_details: { reasoning_tokens: u.reasoning_output_tokens },
    total_tokens: u.input_tokens + u.output_tokens,
  };
}

export async function startMockOpenAI(opts: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  let mainCount = 0;
  const log = opts.log ?? (() => {});
  const usageOf = opts.usage ?? ((n: number) => ({ input_tokens: 20000 + 1000 * n, cached_input_tokens: 15000, output_tokens: 300, reasoning_output_tokens: 0 }));
  const replyOf = opts.reply ?? ((n: number) => `Mock codex reply number ${n}.`);
  const sideUsageOf = opts.sideUsage ?? (() => DEFAULT_SIDE_USAGE);
  const sideReplyOf = opts.sideReply ?? (() => 'Mock side reply');
  const classify = opts.classify ?? classifyResponsesRequest;

  function responses(res: ServerResponse, rec: MockOpenAIRequest): void {
    const body = rec.body && typeof rec.body === 'object' ? rec.body : {};
    const kind = classify(body);
    rec.kind = kind;
    rec.model = typeof body.model === 'string' ? body.model : 'mock-model';
    let usage: ResponsesUsage;
    let text: string;
    let call: ToolCall | null = null;
    if (kind === 'main') {
      rec.n = ++mainCount;
      usage = usageOf(rec.n, body);
      call = opts.toolCall?.(rec.n, body) ?? null;
      text = call ? '' : replyOf(rec.n, body);
    } else {
      usage = sideUsageOf(body);
      text = sideReplyOf(body);
      const schema = body.text?.format?.schema;
      if (body.text?.format?.type === 'json_schema' && schema) text = JSON.stringify(fillJsonSchema(schema, text));
    }
    rec.usage = usage;
    rec.reply = text;
    log(`${rec.seq} POST ${rec.path} ${kind}${rec.n ? ` #${rec.n}` : ''} model=${rec.model} stream=${body.stream} tools=${Array.isArray(body.tools) ? body.tools.length : 0}`);
    const respId = `resp_mock_${randomBytes(8).toString('hex')}`;
    const itemId = `msg_mock_${randomBytes(8).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id: respId, object: 'response', created_at: created, model: rec.model };
    const item = { type: 'message', id: itemId, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] };
    if (call) return functionCall(res, base, call, usage);
    if (body.stream === false) {
      json(res, 200, { ...base, status: 'completed', output: [item], usage: apiUsage(usage) });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': `req_mock_${randomBytes(6).toString('hex')}` });
    let sn = 0;
    const send = (type: string, data: Record<string, unknown>): void => {
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sn++, ...data })}\n\n`);
    };
    send('response.created', { response: { ...base, status: 'in_progress', output: [] } });
    send('response.in_progress', { response: { ...base, status: 'in_progress', output: [] } });
    send('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
    send('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    const half = Math.ceil(text.length / 2);
    for (const part of [text.slice(0, half), text.slice(half)]) {
      if (part) send('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: part });
    }
    send('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text });
    send('response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [] } });
    send('response.output_item.done', { output_index: 0, item });
    send('response.completed', { response: { ...base, status: 'completed', output: [item], usage: apiUsage(usage) } });
    res.end();
  }

  function functionCall(res: ServerResponse, base: Record<string, unknown>, call: ToolCall, usage: ResponsesUsage): void {
    const args = JSON.stringify(call.arguments);
    const item = { type: 'function_call', id: `fc_mock_${randomBytes(8).toString('hex')}`, call_id: `call_mock_${randomBytes(8).toString('hex')}`, name: call.name, ...(call.namespace ? { namespace: call.namespace } : {}), arguments: args, status: 'completed' };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    let sn = 0;
    const send = (type: string, data: Record<string, unknown>): void => {
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sn++, ...data })}\n\n`);
    };
    send('response.created', { response: { ...base, status: 'in_progress', output: [] } });
    send('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } });
    send('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: args });
    send('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: args });
    send('response.output_item.done', { output_index: 0, item });
    send('response.completed', { response: { ...base, status: 'completed', output: [item], usage: apiUsage(usage) } });
    res.end();
  }

  function answer(_req: IncomingMessage, res: ServerResponse, rec: MockOpenAIRequest): void {
    const pathname = rec.path.split('?')[0]!;
    if (rec.method === 'POST' && /\/responses$/.test(pathname)) return responses(res, rec);
    log(`${rec.seq} ${rec.method} ${rec.path}`);
    if (rec.method === 'GET' && /\/models$/.test(pathname)) {
      // Both shapes: OpenAI's {object: list, data} and Codex's own {models: []} (an empty list
      // makes Codex fall back to its built-in model info).
      return json(res, 200, { object: 'list', data: [{ id: 'mock-model', object: 'model', created: 0, owned_by: 'mock' }], models: [] });
    }
    json(res, 404, { error: { message: `mock-openai: no ${rec.method} ${pathname}`, type: 'invalid_request_error', code: 'not_found' } });
  }

  // Codex can stream Responses over a websocket: upgrades are refused, so it falls back to HTTP.
  const server = await startModelServer<MockOpenAIRequest>({ name: 'mock-openai', log, decode, answer, refuseUpgrades: true });
  return { ...server, mainRequests: () => server.requests.filter((r) => r.kind === 'main') };
}
