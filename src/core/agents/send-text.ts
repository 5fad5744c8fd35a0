import { agentStateLabel, type AgentInfo } from '../types.js';
import { FlowerError } from '../../shared/errors.js';

/** What typing into an agent needs of it (an Agent is one). */
export interface SendTarget {
  readonly info: AgentInfo;
  /** When the program last printed. */
  readonly lastOutputAt: number;
  readonly isLive: boolean;
  write(data: string): void;
}

export interface SendHow {
  /** Its hooks say when its input is ready (AgentSpawnSpec.readyWhen); none: a quiet screen is enough. */
  readyWhen?: (info: AgentInfo) => boolean;
  /** The program asked for bracketed paste (asked when the text goes: it may change while starting). */
  bracketedPaste: () => boolean;
  /** Whether a dialog is drawn at the bottom of its screen now (see status/screen-dialog.ts). */
  dialogShown?: () => boolean;
}

const QUIET_MS = 400;
/** A TUI that says it is ready by hook still draws its input box after the hook: a longer quiet. */
const HOOK_QUIET_MS = 1000;
const ENTER_WAIT_MS = 1500;
/**
 * A hook reports a permission request before the TUI draws its dialog (Codex runs the hook and only
 * then shows the approval): keys typed in between reach the input box and the dialog stays. So a
 * hook's needs-you waits for the dialog on screen, at most this long for one the screen reader does
 * not know.
 */
const DIALOG_DRAW_MAX_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether keys typed now would land: running, the hook (if any) says ready, and the screen quiet for
 * a moment so a starting TUI has drawn its input box. A prompt the agent said it shows (a permission
 * dialog, its input box) or a dialog seen on its screen counts as drawn once it has been up that
 * long, even if the TUI keeps redrawing a spinner.
 */
export function readyForText(info: AgentInfo, lastOutputAt: number, readyWhen: SendHow['readyWhen'], now: number, dialogShown?: () => boolean): boolean {
  const hookSaysReady = !readyWhen || readyWhen(info);
  const quiet = readyWhen ? HOOK_QUIET_MS : QUIET_MS;
  const st = info.status;
  const since = Date.parse(st.since);
  const atPrompt = st.state === 'needs-you' || (st.state === 'idle' && st.source === 'hook');
  const askedByHook = st.state === 'needs-you' && st.source === 'hook';
  const drawn = !askedByHook || !dialogShown || now - since >= DIALOG_DRAW_MAX_MS || dialogShown();
  const settled = atPrompt && now - since >= quiet;
  return info.state.kind === 'running' && hookSaysReady && drawn && (settled || now - lastOutputAt >= quiet);
}

/** Lines end in CR (what Enter sends); multi-line text as one bracketed paste when the program asked for it, so it is not submitted line by line. */
export function typedForm(text: string, bracketedPaste: boolean): { data: string; paste: boolean } {
  const body = text.replace(/\r?\n/g, '\r');
  const paste = text.includes('\n') && bracketedPaste;
  return { data: paste ? `\x1b[200~${body}\x1b[201~` : body, paste };
}

/** Type text into the agent once it is ready: keys sent earlier would be lost. */
export async function sendText(target: SendTarget, how: SendHow, text: string, opts: { enter: boolean; timeoutMs?: number }): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const s = target.info.state;
    if (s.kind !== 'starting' && s.kind !== 'running') {
      throw new FlowerError('agent-not-running', `${target.info.id} is not running (${agentStateLabel(s)})`);
    }
    if (readyForText(target.info, target.lastOutputAt, how.readyWhen, Date.now(), how.dialogShown)) break;
    if (Date.now() > deadline) throw new FlowerError('agent-not-running', `${target.info.id} did not become ready in time`);
    await sleep(50);
  }
  const { data, paste } = typedForm(text, how.bracketedPaste());
  const typedAt = Date.now();
  target.write(data);
  if (opts.enter) {
    // TUIs treat a CR that comes with the text as part of it: Claude Code one in the same read as a
    // paste, Codex one within its paste-burst window (quick keys are a paste, shown only once the
    // burst is over; an Enter during it is a newline). So Enter goes once the agent has drawn the
    // text (its output after the write), at most ENTER_WAIT_MS later, then after a short gap.
    const enterBy = typedAt + ENTER_WAIT_MS;
    while (target.lastOutputAt <= typedAt && Date.now() < enterBy && target.isLive) await sleep(10);
    await sleep(paste ? 150 : 30);
    target.write('\r');
  }
}
