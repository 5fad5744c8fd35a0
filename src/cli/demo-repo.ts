import { BriefStore } from '../core/briefs/brief-store.js';
import { mkdtempSync, writeFileSync, mkdirSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import { DEMO_MARKER } from '../server/unattended-stop.js';

/** Scratch repositories are `<tmp>/flower-demo-XXXXXX/` (MAIN is `shop/` in it, the lanes beside it). */
export const DEMO_PREFIX = 'flower-demo-';

/** Where the demo agent script lives in the installed package (dist/cli → demo/). */
export const DEMO_AGENT = fileURLToPath(new URL('../../demo/demo-agent.mjs', import.meta.url));

export interface DemoRepo {
  dir: string;
  mainRoot: string;
  configFile: string;
}

/**
 * A scratch repository a newcomer can explore without any agent CLI: MAIN with a little history, two
 * linked worktrees on their own branches, and a config whose agents are the demo script.
 */
export async function createDemoRepo(baseDir = os.tmpdir()): Promise<DemoRepo> {
  const dir = realpathSync(mkdtempSync(path.join(baseDir, DEMO_PREFIX)));
  const mainRoot = path.join(dir, 'shop');
  mkdirSync(path.join(mainRoot, 'src'), { recursive: true });
  const git = simpleGit({ baseDir: mainRoot });
  await git.raw(['init', '--quiet', '--initial-branch=main']);
  // Local identity so commits work on machines without a global git config.
  await git.addConfig('user.name', 'flower demo');
  await git.addConfig('user.email', 'demo@flower-tui.invalid');
  await git.addConfig('commit.gpgsign', 'false');
  writeFileSync(path.join(mainRoot, 'README.md'), '# shop\n\nThe demo app flower-tui watches. MAIN is what is served.\n');
  writeFileSync(path.join(mainRoot, 'src', 'app.js'), "export const greet = (name) => `hello ${name}`;\n");
  writeFileSync(path.join(mainRoot, '.gitignore'), 'node_modules/\n.env\n');
  await git.add('.');
  await git.commit('Initial commit');
  writeFileSync(path.join(mainRoot, 'src', 'health.js'), "export const health = () => ({ ok: true });\n");
  await git.add('.');
  await git.commit('Add health endpoint');
  for (const branch of ['feature-auth', 'design']) {
    await git.raw(['worktree', 'add', '--quiet', '-b', branch, path.join(dir, `shop-${branch}`)]);
  }
  const wt = simpleGit({ baseDir: path.join(dir, 'shop-feature-auth') });
  writeFileSync(path.join(dir, 'shop-feature-auth', 'src', 'auth.js'), 'export const login = (user) => Boolean(user);\n');
  await wt.add('.');
  await wt.commit('Add login');

  const agent = (style: string) => ({ command: process.execPath, args: [DEMO_AGENT, '--style', style], env: {}, description: `demo agent (${style} look)` });
  const config = {
    profiles: { 'demo-claude': agent('claude'), 'demo-codex': agent('codex'), 'demo-plain': agent('plain') },
    worktrees: {
      'feature-auth': { agents: [{ profile: 'demo-claude', name: 'impl' }, { profile: 'demo-codex', name: 'review' }] },
      design: { agents: [{ profile: 'demo-claude', name: 'design' }] },
    },
  };
  const configFile = path.join(dir, 'flower.config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  // Marks the repository as a demo: its server stops itself when no cockpit is attached (unattended-stop.ts).
  const flowerDir = path.join(mainRoot, '.git', 'flower');
  mkdirSync(flowerDir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(flowerDir, DEMO_MARKER), JSON.stringify({ createdAt: new Date().toISOString(), dir }) + '\n', { mode: 0o600 });
  demoBriefs(flowerDir, (await wt.revparse(['HEAD'])).trim());
  return { dir, mainRoot, configFile };
}

/** Two briefs to look at in `b`: one claimed by feature-auth's agent (with its commit linked), one planned. */
function demoBriefs(flowerDir: string, loginSha: string): void {
  const { store } = BriefStore.open(flowerDir);
  const now = new Date().toISOString();
  const base = { reason: null, ephemeral: null, served: false, profile: null, auto: false, createdAt: now, updatedAt: now, packet: null, notes: [] };
  store.insert((id) => ({
    ...base, id, title: 'Log in with a user name', spec: 'Add `login(user)` to src/auth.js and a test for it.', status: 'claimed',
    lane: 'feature-auth', agent: 'feature-auth/impl', dispatchedAt: now, claimedAt: now,
    links: [{ kind: 'commit', sha: loginSha, subject: 'Add login', via: 'trailer', ts: now }],
  }));
  store.insert((id) => ({ ...base, id, title: 'Dark mode for the design system', spec: 'Tokens first, then the components.', status: 'planned', lane: 'design', agent: null, dispatchedAt: null, claimedAt: null, links: [] }));
}
