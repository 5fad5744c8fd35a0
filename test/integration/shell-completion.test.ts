/**
 * Shell completion in real shells (issue 13.6): zsh and bash source `flower-tui completion`, and Tab
 * completes commands, agent ids, lane names and profiles from the running server. Both shells pass
 * the program's name as the first word (zsh's $words, bash's COMP_WORDS), which yargs alone read
 * as the default command's argument: after `kill ` it offered nothing. The built CLI, a real server,
 * a real shell in tmux. Skipped, saying so, only where the shell is not installed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRepo } from '../helpers/git-repo.js';
import { BIN, cli, cleanupList, removedAfterItsServer } from '../helpers/cli.js';
import { TmuxSession } from '../helpers/tmux.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ECHO = path.join(ROOT, 'test', 'fixtures', 'echo-agent.mjs');
const cleanup = cleanupList();

function which(program: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

interface ShellCase {
  shell: 'zsh' | 'bash';
  /** The rc file's name and its text. */
  rc: { file: string; text: string };
  argv: (home: string) => string[];
}

const CASES: ShellCase[] = [
  {
    shell: 'zsh',
    // compinit -u: the temp dirs are not "secure" to compaudit; the script is printed for zsh by $SHELL.
    rc: { file: '.zshrc', text: 'autoload -Uz compinit && compinit -u\nsource <(flower-tui completion)\nPS1="READY%% "\n' },
    argv: () => ['zsh', '-i'],
  },
  {
    shell: 'bash',
    rc: { file: '.bashrc', text: 'source <(flower-tui completion)\nPS1="READY$ "\n' },
    argv: (home) => ['bash', '--noprofile', '--rcfile', path.join(home, '.bashrc'), '-i'],
  },
];

describe('completion in a real shell', () => {
  for (const c of CASES) {
    const found = which(c.shell);
    test(
      `${c.shell}: Tab completes a command, then agent ids, lane names and profiles from the running server`,
      { skip: found ? false : `${c.shell} is not installed (apt-get install ${c.shell}): the real-${c.shell} completion test needs it`, timeout: 180_000 },
      async () => {
        const repo = removedAfterItsServer(makeRepo({ worktrees: ['feat'] }), cleanup);
        const config = path.join(repo.dir, 'flower.config.json');
        writeFileSync(config, JSON.stringify({ profiles: { echo: { command: process.execPath, args: [ECHO, '--raw'] } } }));
        const started = cli(repo, ['spawn', 'feat', 'echo', '--name', 'probe', '--config', config]);
        assert.equal(started.status, 0, started.stderr);
        // The shell finds flower-tui on its PATH, as after `npm install -g`.
        const home = path.join(repo.dir, 'home');
        const bin = path.join(home, 'bin');
        mkdirSync(bin, { recursive: true });
        symlinkSync(BIN, path.join(bin, 'flower-tui'));
        writeFileSync(path.join(home, c.rc.file), c.rc.text);
        const s = TmuxSession.start({
          command: c.argv(home),
          cols: 120,
          rows: 30,
          cwd: repo.mainRoot,
          env: { HOME: home, ZDOTDIR: home, SHELL: found!, PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
        });
        cleanup(() => s.kill());
        const line = () => s.capture().split('\n').filter((l) => l.startsWith('READY')).at(-1) ?? '';
        const complete = async (typed: string, expect: RegExp, what: string) => {
          s.sendKeys('C-u');
          s.typeText(typed);
          s.sendKeys('Tab');
          await s.waitFor(expect, { timeoutMs: 30_000 }).catch(() => assert.fail(`${what}: after "${typed}<Tab>" the screen is\n${s.capture()}`));
        };
        await s.waitFor(/^READY/m, { timeoutMs: 30_000 });
        await complete('flower-tui kil', /^READY\S* flower-tui kill\s*$/m, 'the command');
        s.sendKeys('Tab');
        await s.waitFor(/^READY\S* flower-tui kill feat\/probe\s*$/m, { timeoutMs: 30_000 }).catch(() => assert.fail(`the agent id: ${s.capture()}`));
        await complete('flower-tui merge ', /^READY\S* flower-tui merge feat\s*$/m, 'the lane');
        await complete('flower-tui worktree rm f', /^READY\S* flower-tui worktree rm feat\s*$/m, 'the lane after worktree rm');
        await complete('flower-tui spawn feat ech', /^READY\S* flower-tui spawn feat echo\s*$/m, 'the profile');
        assert.match(line(), /flower-tui spawn feat echo\s*$/);
        s.sendKeys('C-u');
        s.typeText('exit');
        s.sendKeys('Enter');
      },
    );
  }
});
