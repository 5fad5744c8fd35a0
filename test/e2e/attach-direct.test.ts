/**
 * Attached, the server writes the agent's output to the cockpit's terminal itself (issue 20: one
 * hop less per echo, as tmux's server does). Checked from outside, by /proc: while attached the
 * server holds the very tty the cockpit runs in (and nothing else of it, and no controlling
 * terminal); after the detach, after a killed cockpit, or with FLOWER_DIRECT_TTY=0, it holds none.
 * What is on screen stays exact either way (the other attach tests run with it on).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { makeRepo } from '../helpers/git-repo.js';
import { TmuxSession } from '../helpers/tmux.js';
import { BIN, cleanupList, removedAfterItsServer } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait-until.js';

const onCleanup = cleanupList();
const repo = removedAfterItsServer(makeRepo({ worktrees: ['feat'] }), onCleanup);

const flower = (args: string[]) => spawnSync(process.execPath, [BIN, ...args, '--repo', repo.mainRoot], { encoding: 'utf8', timeout: 30_000 });
const serverPid = () => (JSON.parse(flower(['status', '--json']).stdout) as { server: { pid: number } }).server.pid;
/** The terminals (/dev/pts/N) a process has open. */
function ttysOf(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      const t = readlinkSync(`/proc/${pid}/fd/${fd}`);
      return t.startsWith('/dev/pts/') ? [t] : [];
    } catch {
      return [];
    }
  });
}
/** Field 7 of /proc/PID/stat: the controlling terminal (0: none). */
const controllingTty = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ')[4]);

async function openAttached(env: Record<string, string | undefined> = {}): Promise<{ s: TmuxSession; tty: string }> {
  const s = TmuxSession.start({ command: [process.execPath, BIN, '--repo', repo.mainRoot], cols: 100, rows: 30, env });
  onCleanup(() => s.kill());
  await s.waitFor(/feat/, { timeoutMs: 30_000 });
  await s.waitFor(/sh · shell/, { timeoutMs: 30_000 });
  s.sendKeys('Enter');
  await s.waitForGone('1 MAIN · read-only', { timeoutMs: 10_000 });
  return { s, tty: s.run(['display-message', '-p', '-t', s.pane, '#{pane_tty}']).trim() };
}

test('attached, the server writes to the cockpit\'s own terminal; detached, a killed cockpit, or FLOWER_DIRECT_TTY=0: not at all', { timeout: 180_000 }, async () => {
  assert.equal(flower(['spawn', 'feat', 'shell', '--name', 'sh']).status, 0);
  const { s, tty } = await openAttached();
  const pid = serverPid();
  await waitUntil(() => ttysOf(pid).length > 0, { timeoutMs: 10_000, what: () => `the server to open the terminal; it has ${ttysOf(pid).join(', ') || 'none'}` });
  assert.deepEqual(ttysOf(pid), [tty], 'exactly the cockpit\'s terminal, once');
  assert.equal(controllingTty(pid), 0, 'and it never becomes the server\'s controlling terminal');
  s.typeText('echo "direct-$((6*7))"');
  s.sendKeys('Enter');
  await s.waitFor(/direct-42/, { timeoutMs: 10_000 });

  // Detach: the server lets go before the grid is drawn, and the grid is whole.
  s.sendKeys('C-q');
  const grid = await s.waitFor('1 MAIN · read-only', { timeoutMs: 10_000 });
  assert.match(grid, /direct-42/, 'the pane shows what happened while attached');
  assert.deepEqual(ttysOf(pid), [], 'detached: the server holds no terminal');

  // Attached again, then the cockpit is killed: the server closes the terminal it was writing to.
  s.sendKeys('Enter');
  await s.waitForGone('1 MAIN · read-only', { timeoutMs: 10_000 });
  await waitUntil(() => ttysOf(pid).length === 1, { timeoutMs: 10_000, what: 'the terminal handed over again' });
  process.kill(s.panePid(), 'SIGKILL');
  await waitUntil(() => ttysOf(pid).length === 0, { timeoutMs: 10_000, what: () => `the server to let go of a dead cockpit's terminal: ${ttysOf(pid).join(', ')}` });
  s.kill();

  // Asked not to: the cockpit writes every byte itself.
  const off = await openAttached({ FLOWER_DIRECT_TTY: '0' });
  off.s.typeText('echo "indirect-$((2*3))"');
  off.s.sendKeys('Enter');
  await off.s.waitFor(/indirect-6/, { timeoutMs: 10_000 });
  assert.deepEqual(ttysOf(pid), [], 'FLOWER_DIRECT_TTY=0: never handed over');
  off.s.sendKeys('C-q');
  await off.s.waitFor('1 MAIN · read-only', { timeoutMs: 10_000 });
});
