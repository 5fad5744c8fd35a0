// A stand-in for the Anthropic Messages API on 127.0.0.1, for driving the real Claude Code CLI
// offline. The test chooses the usage of every reply, so the transcript the CLI writes can be
// checked against known numbers.
//
// What Claude Code 2.1.330 asks of it (seen in `requests`): only `POST /v1/messages?beta=true`,
// streamed, with `authorization: Bearer <ANTHROPIC_AUTH_TOKEN>` and `x-claude-code-session-id`; no
// count_tokens, no model listing, no HEAD probe at start (they are answered anyway). One main request
// per user prompt (13 tools, model claude-opus-5-5 by default). Unless
// CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set, each user prompt also sends a title-generation
// side request (same model, `tools: []`, `output_config.format` json_schema `{title}`). Only main
// responses become `assistant` lines of the transcript; side usage is never written there.
//
// It also acts as the run's HTTP(S) proxy (see `proxyEnv`): a CLI pointed at it that tries to reach
// any other host sends a CONNECT (or an absolute-URI request) here, which is refused and recorded in
// `external`, so nothing leaves the machine and a test can assert that nothing tried to (the server,
// the recording and the proxy are mock-model-server.ts, shared with mock-openai.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { sendJson, startModelServer, type ModelServer, type RecordedRequest } from './mock-model-server.js';

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** Which conversation a POST /v1/messages belongs to (see `classifyAnthropicRequest`). */
export type MessageKind = 'main' | 'side';

export interface MockAnthropicRequest extends RecordedRequest {
  /** For POST /v1/messages only. */
  kind?: MessageKind;
  /** For main requests: their number among main requests, from 1 (the `n` given to `usage`/`reply`). */
  n?: number;
  /** For side requests: what they are for, when recognised ('title': session title generation). */
  purpose?: 'title' | 'quota' | 'other';
  /** Claude Code's `x-claude-code-session-id` header: the session the request belongs to. */
  sessionId?: string;
  model?: string;
  stream?: boolean;
  /** The usage this request was answered with (messages only). */
  usage?: AnthropicUsage;
  /** The text this request was answered with (messages only). */
  reply?: string;
  /** The tool call it was answered with, if any. */
  toolUse?: { id: string; name: string; input: Record<string, unknown> };
}

export interface MockAnthropicOptions {
  /** Usage of the n-th main-conversation reply (n from 1). */
  usage?: (n: number, body: any) => AnthropicUsage;
  /** Text of the n-th main-conversation reply. */
  reply?: (n: number, body: any) => string;
  /**
   * A tool call to answer the n-th main request with instead of (after) the text: the reply then
   * ends with a `tool_use` block and stop_reason "tool_use", as the real API asks a client to run a
   * tool (Claude Code then asks the operator's permission for e.g. Bash). null: a plain reply.
   */
  toolUse?: (n: number, body: any) => { name: string; input: Record<string, unknown> } | null;
  /** Usage of side requests (title generation, quota checks, …): small and distinct by default. */
  sideUsage?: (body: any) => AnthropicUsage;
  sideReply?: (body: any) => string;
  /** Override the main/side classification. */
  classify?: (body: any) => MessageKind;
  /**
   * Output tokens reported in `message_start` of a stream; the final figure comes in
   * `message_delta`, as the real API does (it reports 1–few tokens at the start). Default 1.
   */
  startOutputTokens?: number;
  /** Called with one line per request (path, kind, model), for seeing what a CLI asks for. */
  log?: (line: string) => void;
}

/** `url` is the base URL for ANTHROPIC_BASE_URL. */
export interface MockAnthropic extends ModelServer<MockAnthropicRequest> {
  /** The POST /v1/messages requests of the main conversation. */
  mainRequests(): MockAnthropicRequest[];
}

const DEFAULT_SIDE_USAGE: AnthropicUsage = { input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 };

function systemText(body: any): string {
  const s = body?.system;
  if (typeof s === 'string') return s;
  if (Array.isArray(s)) return s.map((b: any) => (typeof b?.text === 'string' ? b.text : '')).join('\n');
  return '';
}

/**
 * Main conversation vs side request. Both start their system prompt with "You are Claude Code…" and
 * use the same model, but the main conversation sends its tool list (13 tools in 2.1.330) while side
 * requests (session title generation, sent with every user prompt unless nonessential traffic is
 * disabled; older versions' haiku quota probe with `max_tokens: 1`) send `tools: []`.
 */
export function classifyAnthropicRequest(body: any): MessageKind {
  if (!body || typeof body !== 'object') return 'side';
  if (body.max_tokens === 1) return 'side';
  const hasTools = Array.isArray(body.tools) && body.tools.length > 0;
  return hasTools ? 'main' : 'side';
}

/**
 * A value satisfying a simple JSON schema (strings become `text`), for side requests that ask for
 * structured output (Claude Code's title generation asks for `{"title": string}`).
 */
export function fillJsonSchema(schema: any, text: string): unknown {
  if (!schema || typeof schema !== 'object') return text;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = fillJsonSchema(v, text);
      return out;
    }
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return 0;
    default:
      return Array.isArray(schema.enum) ? schema.enum[0] : text;
  }
}

function sidePurpose(body: any): 'title' | 'quota' | 'other' {
  if (/naming a coding session|title/i.test(systemText(body))) return 'title';
  const first = body?.messages?.[0]?.content;
  const text = typeof first === 'string' ? first : Array.isArray(first) ? first.map((b: any) => b?.text ?? '').join('') : '';
  if (body?.max_tokens === 1 || /^quota$/i.test(text.trim())) return 'quota';
  return 'other';
}

const json = (res: ServerResponse, status: number, obj: unknown): void => sendJson(res, status, obj, 'request-id');

function notFound(res: ServerResponse, what: string): void {
  json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `mock-anthropic: no ${what}` } });
}

const MODELS = [
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5' },
];

export async function startMockAnthropic(opts: MockAnthropicOptions = {}): Promise<MockAnthropic> {
  let mainCount = 0;
  const log = opts.log ?? (() => {});
  const usageOf = opts.usage ?? ((n: number) => ({ input_tokens: 100, cache_creation_input_tokens: 1000 * n, cache_read_input_tokens: 40000, output_tokens: 50 }));
  const replyOf = opts.reply ?? ((n: number) => `Mock reply number ${n}.`);
  const sideUsageOf = opts.sideUsage ?? (() => DEFAULT_SIDE_USAGE);
  const sideReplyOf = opts.sideReply ?? (() => 'Mock side reply');
  const classify = opts.classify ?? classifyAnthropicRequest;
  const startOutput = opts.startOutputTokens ?? 1;

  function messages(req: IncomingMessage, res: ServerResponse, rec: MockAnthropicRequest): void {
    const body = rec.body && typeof rec.body === 'object' ? rec.body : {};
    const kind = classify(body);
    rec.kind = kind;
    rec.model = typeof body.model === 'string' ? body.model : 'claude-mock';
    rec.stream = body.stream === true;
    const sid = req.headers['x-claude-code-session-id'];
    if (typeof sid === 'string') rec.sessionId = sid;
    let usage: AnthropicUsage;
    let text: string;
    let tool: { id: string; name: string; input: Record<string, unknown> } | null = null;
    if (kind === 'main') {
      rec.n = ++mainCount;
      usage = usageOf(rec.n, body);
      text = replyOf(rec.n, body);
      const t = opts.toolUse?.(rec.n, body) ?? null;
      if (t) tool = rec.toolUse = { id: `toolu_mock_${randomBytes(8).toString('hex')}`, ...t };
    } else {
      usage = sideUsageOf(body);
      text = sideReplyOf(body);
      rec.purpose = sidePurpose(body);
      const format = body.output_config?.format;
      if (format?.type === 'json_schema' && format.schema) text = JSON.stringify(fillJsonSchema(format.schema, text));
    }
    rec.usage = usage;
    rec.reply = text;
    log(`${rec.seq} POST ${rec.path} ${kind}${rec.n ? ` #${rec.n}` : ''}${rec.purpose ? ` (${rec.purpose})` : ''} model=${rec.model} stream=${rec.stream} max_tokens=${body.max_tokens} tools=${Array.isArray(body.tools) ? body.tools.length : 0}`);
    const id = `msg_mock_${randomBytes(8).toString('hex')}`;
    const model = rec.model!;
    const stopReason = tool ? 'tool_use' : 'end_turn';
    if (!rec.stream) {
      json(res, 200, {
        id, type: 'message', role: 'assistant', model,
        content: [{ type: 'text', text }, ...(tool ? [{ type: 'tool_use', ...tool }] : [])],
        stop_reason: stopReason, stop_sequence: null, usage,
      });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': `req_mock_${randomBytes(6).toString('hex')}`,
    });
    const send = (event: string, data: unknown): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    send('message_start', {
      type: 'message_start',
      message: {
        id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
        usage: { ...usage, output_tokens: Math.min(startOutput, usage.output_tokens) },
      },
    });
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    send('ping', { type: 'ping' });
    const half = Math.ceil(text.length / 2);
    for (const part of [text.slice(0, half), text.slice(half)]) {
      if (part) send('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } });
    }
    send('content_block_stop', { type: 'content_block_stop', index: 0 });
    if (tool) {
      // As the real API streams a tool call: the block, then its input as JSON deltas.
      send('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } });
      send('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) } });
      send('content_block_stop', { type: 'content_block_stop', index: 1 });
    }
    send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage });
    send('message_stop', { type: 'message_stop' });
    res.end();
  }

  function answer(req: IncomingMessage, res: ServerResponse, rec: MockAnthropicRequest, raw: string): void {
    const pathname = rec.path.split('?')[0]!;
    if (rec.method === 'POST' && pathname === '/v1/messages') return messages(req, res, rec);
    log(`${rec.seq} ${rec.method} ${rec.path}`);
    if (rec.method === 'POST' && pathname === '/v1/messages/count_tokens') {
      // A rough count, as the real endpoint returns only this one number.
      return json(res, 200, { input_tokens: Math.max(1, Math.ceil(raw.length / 4)) });
    }
    if (rec.method === 'GET' && pathname === '/v1/models') {
      return json(res, 200, {
        data: MODELS.map((m) => ({ type: 'model', id: m.id, display_name: m.display_name, created_at: '2025-01-01T00:00:00Z' })),
        has_more: false, first_id: MODELS[0]!.id, last_id: MODELS[MODELS.length - 1]!.id,
      });
    }
    const model = /^\/v1\/models\/([^/]+)$/.exec(pathname);
    if (rec.method === 'GET' && model) {
      return json(res, 200, { type: 'model', id: decodeURIComponent(model[1]!), display_name: decodeURIComponent(model[1]!), created_at: '2025-01-01T00:00:00Z' });
    }
    if ((rec.method === 'HEAD' || rec.method === 'GET') && pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(rec.method === 'HEAD' ? undefined : 'mock-anthropic\n');
      return;
    }
    notFound(res, `${rec.method} ${pathname}`);
  }

  const server = await startModelServer<MockAnthropicRequest>({ name: 'mock-anthropic', log, answer });
  return { ...server, mainRequests: () => server.requests.filter((r) => r.kind === 'main') };
}
