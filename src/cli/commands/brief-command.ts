import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BRIEF_STATUSES, briefLine, parseBriefId } from '../../core/briefs/brief.js';
import type { BriefDetail, BriefOp, BriefView } from '../../core/briefs/brief-ops.js';
import { FlowerError } from '../../shared/errors.js';
import { editText } from '../../shared/editor.js';
import { print, withClient, type RepoArgs } from './common.js';
import type { BriefAction } from './brief-yargs.js';

export interface BriefArgs extends RepoArgs {
  action: BriefAction;
  args?: string[];
  spec?: string;
  specFile?: string;
  title?: string;
  lane?: string;
  agent?: string;
  ephemeral?: string;
  served?: boolean;
  profile?: string;
  auto?: boolean;
  status?: string;
  reason?: string;
  summary?: string;
  asAgent?: boolean;
}

const MAX_SPEC = 1024 * 1024;

/** A spec from --spec, --spec - (stdin) or --spec-file: text only, at most 1 MiB. */
export function readSpec(a: { spec?: string; specFile?: string }): string | undefined {
  if (a.spec !== undefined && a.specFile !== undefined) throw new FlowerError('bad-usage', '--spec and --spec-file cannot be used together');
  let text: string | undefined = a.spec;
  if (a.spec === '-') text = readFileSync(0, 'utf8');
  if (a.specFile !== undefined) {
    let st;
    try {
      st = statSync(a.specFile);
    } catch (e) {
      throw new FlowerError('bad-usage', `cannot read --spec-file ${a.specFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as NodeJS.ErrnoException).code}`);
    }
    if (!st.isFile()) throw new FlowerError('bad-usage', `--spec-file ${a.specFile} is not a regular file`);
    if (st.size > MAX_SPEC) throw new FlowerError('bad-usage', `--spec-file ${a.specFile} is over 1 MiB`);
    const buf = readFileSync(a.specFile);
    if (buf.includes(0)) throw new FlowerError('bad-usage', `--spec-file ${a.specFile} is not text`);
    text = buf.toString('utf8');
  }
  if (text !== undefined && Buffer.byteLength(text) > MAX_SPEC) throw new FlowerError('bad-usage', 'the spec is over 1 MiB');
  return text;
}

/** The brief number among the positional args: "12" or "#12". */
function idArg(a: BriefArgs, required: boolean): number | undefined {
  const raw = a.args?.[0];
  if (raw === undefined) {
    if (required) throw new FlowerError('bad-usage', `brief ${a.action} needs the brief's number (see flower-tui brief ls)`);
    return undefined;
  }
  const id = parseBriefId(raw);
  if (id === null) throw new FlowerError('bad-usage', `"${raw}" is not a brief number (e.g. 12 or #12)`);
  return id;
}

/** Open $VISUAL (then $EDITOR, then vi) on the spec; the edited text, or null when unchanged. */
function editInEditor(spec: string): string | null {
  if (!process.stdin.isTTY) throw new FlowerError('bad-usage', 'no terminal for an editor: pass --spec, --spec-file or --title');
  const r = editText(spec, 'spec.md');
  if ('error' in r) throw new FlowerError('bad-usage', `${r.error}: nothing changed`);
  return r.text === spec ? null : r.text;
}

export function formatBrief(d: BriefDetail): string {
  const b = d.brief;
  const lines = [`#${b.id} ${b.title}`, `  status   ${b.unclaimed ? 'unclaimed (dispatched, not claimed)' : b.status}${b.reason ? ` — ${b.reason}` : ''}`];
  if (b.lane || b.ephemeral) lines.push(`  lane     ${b.lane ?? `${b.ephemeral} (created at dispatch)`}${b.agent ? `, agent ${b.agent}` : ''}`);
  if (b.auto) lines.push('  auto     dispatched to the first idle agent of a standing lane');
  lines.push(`  created  ${b.createdAt}   updated ${b.updatedAt}`);
  lines.push('', b.spec.trim() ? b.spec.trim().split('\n').map((l) => `  ${l}`).join('\n') : '  (no spec)');
  if (b.links.length) {
    lines.push('', '  links:');
    for (const l of b.links) lines.push(`    ${l.kind === 'merge' ? `merge ${l.outcome}` : 'commit'} ${l.sha.slice(0, 7)} ${l.subject}${l.kind === 'commit' ? ` (${l.via})` : ''}`);
  }
  if (b.notes.length) {
    lines.push('', '  notes:');
    for (const n of b.notes) lines.push(`    ${n.ts.slice(0, 19).replace('T', ' ')} ${n.by}: ${n.text}`);
  }
  if (d.trace.length) {
    lines.push('', '  trace:');
    for (const e of d.trace) lines.push(`    ${e.ts.slice(0, 19).replace('T', ' ')}  ${traceWords(e.action, e.details ?? {})} · ${String(e.details?.by ?? e.actor)}`);
  }
  return lines.join('\n');
}

/** "status change planned → claimed", "link added commit 1a2b3c4 …": the brief trace's words. */
function traceWords(action: string, d: Record<string, unknown>): string {
  switch (action) {
    case 'brief.add':
      return 'created';
    case 'brief.status':
      return `status change ${d.from} → ${d.to}${d.reason ? ` (${d.reason})` : ''}`;
    case 'brief.dispatch':
      return d.error ? `dispatch to ${d.agent} failed: ${d.error}` : `dispatched to ${d.agent}`;
    case 'brief.link':
      return d.kind === 'merge' ? `link added merge ${d.outcome} ${String(d.sha ?? '').slice(0, 7)}` : `link added commit ${String(d.sha).slice(0, 7)} ${d.subject} (${d.via})`;
    case 'brief.note':
      return `note added: ${d.text}`;
    case 'brief.edit':
      return 'edited';
    default:
      return action;
  }
}

function opFor(a: BriefArgs): BriefOp {
  switch (a.action) {
    case 'add': {
      const title = (a.args ?? []).join(' ');
      if (!title.trim()) throw new FlowerError('bad-usage', 'brief add needs a title: flower-tui brief add "Title" [--spec-file F]');
      return { op: 'add', title, spec: readSpec(a), lane: a.lane, ephemeral: a.ephemeral === undefined ? undefined : a.ephemeral || true, served: a.served, profile: a.profile, auto: a.auto };
    }
    case 'ls':
      if (a.status && a.status !== 'unclaimed' && !(BRIEF_STATUSES as readonly string[]).includes(a.status)) throw new FlowerError('bad-usage', `unknown status "${a.status}" (one of: ${BRIEF_STATUSES.join(', ')}, unclaimed)`);
      return { op: 'list', status: a.status as never };
    case 'show':
      return a.asAgent ? { op: 'packet', id: idArg(a, true) } : { op: 'show', id: idArg(a, true)! };
    case 'note': {
      const id = idArg(a, true)!;
      const text = (a.args ?? []).slice(1).join(' ');
      if (!text.trim()) throw new FlowerError('bad-usage', 'brief note needs the text: flower-tui brief note N "text"');
      return { op: 'note', id, text };
    }
    case 'close':
      return { op: 'close', id: idArg(a, true)!, reason: a.reason };
    case 'block':
      return { op: 'block', id: idArg(a, true)!, reason: a.reason ?? '' };
    case 'fail':
      return { op: 'fail', id: idArg(a, false), reason: a.reason ?? '' };
    case 'dispatch':
      return { op: 'dispatch', id: idArg(a, true)!, lane: a.lane, agent: a.agent, ephemeral: a.ephemeral === undefined ? undefined : a.ephemeral || true, served: a.served, profile: a.profile };
    case 'claim':
      return { op: 'claim', id: idArg(a, false), agent: a.agent };
    case 'done':
      return { op: 'done', id: idArg(a, false), summary: a.summary };
    case 'edit':
      return { op: 'edit', id: idArg(a, true)!, title: a.title, spec: readSpec(a) };
  }
}

/** Who asks: the agent this runs in (FLOWER_AGENT), else the operator. */
export function briefCaller(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.FLOWER_AGENT?.trim() || undefined;
}

export async function briefCommand(a: BriefArgs): Promise<void> {
  let op = opFor(a);
  await withClient(a, true, async (c) => {
    const ask = async (o: BriefOp) => (await c.request({ type: 'brief', by: briefCaller(), ...o })) as never;
    if (op.op === 'edit' && op.title === undefined && op.spec === undefined) {
      const d: BriefDetail = await ask({ op: 'show', id: op.id });
      const spec = editInEditor(d.brief.spec);
      if (spec === null) return print(a, `#${op.id} unchanged`, { brief: d.brief, changed: false });
      op = { ...op, spec };
    }
    const r = await ask(op);
    switch (op.op) {
      case 'list': {
        const briefs = (r as { briefs: BriefView[] }).briefs;
        return print(a, briefs.length ? briefs.map((b) => briefLine(b, Date.now(), b.unclaimed ? 0 : Infinity)).join('\n') : 'no briefs (add one: flower-tui brief add "Title")', r);
      }
      case 'show':
        return print(a, formatBrief(r as BriefDetail), r);
      case 'packet':
        return print(a, (r as { packet: string }).packet, r);
      default: {
        const b = (r as { brief: BriefView }).brief;
        const said: Record<string, string> = {
          add: `added #${b.id} ${b.title} (${b.status}${b.auto ? ', auto' : ''})`,
          dispatch: `dispatched #${b.id} to ${b.agent} (lane ${b.lane})`,
          claim: `#${b.id} claimed by ${b.agent}`,
          done: `#${b.id} is ready: it waits for the merge of ${b.lane}`,
          note: `note added to #${b.id}`,
          close: `closed #${b.id}`,
          block: `#${b.id} is blocked: ${b.reason}`,
          fail: `#${b.id} failed: ${b.reason}`,
          edit: `#${b.id} updated`,
        };
        return print(a, said[op.op] ?? `#${b.id} ${b.status}`, r);
      }
    }
  });
}
