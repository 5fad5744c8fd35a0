// Exercises the tmux e2e helper against the demo agent (demo/demo-agent.mjs), which behaves like
// a real agent: raw stdin, prompt, echo, status row in a scroll region, Ctrl-C exits 130.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { TmuxSession, processAlive, waitUntil } from '../helpers/tmux.js';

const agent = fileURLToPath(new URL('../../demo/demo-agent.mjs', import.meta.url));
const start = (args: string[], extra: Partial<Parameters<typeof TmuxSession.start>[0]> = {}): TmuxSession =>
  TmuxSession.start({ command: [process.execPath, agent, ...args], cols: 80, rows: 24, ...extra });

test('type into the demo agent, get a reply, Ctrl-C exits 130 and the process is gone', async () => {
  const s = start(['--name', 'impl', '--style', 'claude']);
  try {
    const first = await s.waitFor(/^❯ ?$/m);
    assert.match(first, /impl · flower-tui demo agent/);
    assert.equal(first.split('\n').length, 24, 'screen is exactly 24 rows');
    const pid = s.panePid();
    assert.ok(processAlive(pid));

    s.typeText('hello wrld');
    s.sendKeys('BSpace', 'BSpace', 'BSpace');
    s.typeText('orld');
    s.sendKeys('Up', 'Escape'); // ignored without printing garbage
    s.typeText(' a;'); // a trailing ';' would end the tmux command if the helper didn't escape it
    await s.waitFor('❯ hello world a;');
    s.sendKeys('Enter');
    const reply = await s.waitFor('You said: hello world a;');
    assert.doesNotMatch(reply, /\[A|\^\[/);
    await s.waitFor(/You said: hello world a;[\s\S]*\n❯ ?\n/);
    assert.match(s.capture({ ansi: true }), /\x1b\[[0-9;]*38;2;217;119;87m/, 'truecolour accent survives capture -e');

    s.sendKeys('C-c');
    await waitUntil(() => s.paneDead(), { message: 'pane should die after Ctrl-C' });
    assert.equal(s.paneExitStatus(), 130);
    assert.match(s.capture(), /\^C/);
    await waitUntil(() => !processAlive(pid), { message: `pid ${pid} should be gone` });
  } finally {
    s.kill();
  }
});

test('env: variables are set and removed; cwd is used; size is exact', async () => {
  const probe = [
    process.execPath, '-e',
    'console.log(`CI=${process.env.CI ?? "unset"} FOO=${process.env.FOO} BAR=${process.env.BAR ?? "unset"} ` +' +
      '`CWD=${process.cwd()} SIZE=${process.stdout.columns}x${process.stdout.rows}`)',
  ];
  const prev = process.env.BAR;
  process.env.BAR = 'from-parent';
  const s = TmuxSession.start({ command: probe, cols: 100, rows: 30, cwd: '/tmp', env: { FOO: 'a b "c"', BAR: undefined } });
  if (prev === undefined) delete process.env.BAR;
  else process.env.BAR = prev;
  try {
    const screen = await s.waitFor('SIZE=');
    assert.match(screen, /CI=unset FOO=a b "c" BAR=unset CWD=\/tmp SIZE=100x30/);
    await waitUntil(() => s.paneExitStatus() === 0, { message: 'probe should exit 0' });
  } finally {
    s.kill();
  }
});

test('resize, status row, waitForGone, timeout error shows the screen, kill is idempotent', async () => {
  const s = start(['--name', 'rev', '--style', 'codex']);
  try {
    await s.waitFor(/^\S rev · tokens [\d.]+k · \d\d:\d\d:\d\d$/m);
    s.typeText('draft');
    await s.waitFor('❯ draft');
    s.sendKeys('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    await s.waitForGone('draft');
    s.resize(60, 12);
    const small = await s.waitFor(/rev · tokens/);
    const lines = small.split('\n');
    assert.equal(lines.length, 12);
    assert.match(lines[11] ?? '', /rev · tokens/, 'status row is the last row after resize');
    await assert.rejects(s.waitFor('never-appears', { timeoutMs: 200 }), (e: Error) => {
      assert.match(e.message, /never-appears/);
      assert.match(e.message, /last screen:[\s\S]*rev · tokens/);
      return true;
    });
    const pid = s.panePid();
    s.kill();
    s.kill();
    await waitUntil(() => !processAlive(pid), { message: 'agent should exit when its server is killed' });
  } finally {
    s.kill();
  }
});

test('a program that exits at once still leaves its screen and exit status', async () => {
  const s = TmuxSession.start({ command: [process.execPath, '-e', 'console.log("bye"); process.exit(3)'], cols: 40, rows: 5 });
  try {
    await s.waitFor('bye');
    await waitUntil(() => s.paneExitStatus() === 3, { message: 'exit status 3' });
    assert.ok(s.paneDead());
    // tmux scrolls a dead pane up a row to print its notice; capture() still gives the last screen
    assert.deepEqual(s.capture().split('\n'), ['bye', '', '', '', '']);
  } finally {
    s.kill();
  }
});

test('processAlive: current process alive, impossible pid dead', () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(2 ** 22 + 12345), false);
  assert.equal(processAlive(-1), false);
});
