import { DEMO_IDLE_MS } from '../../server/unattended-stop.js';

// `flower-tui demo`: re-attach to the running demo (one scratch repository, not one per run), or make
// a fresh one (`--new`); `--clean` removes the scratch repositories no server runs for. A demo's
// server stops itself when no cockpit has been attached for 10 minutes (FLOWER_DEMO_IDLE_MS).

export interface DemoArgs {
  new?: boolean;
  clean?: boolean;
  inProcess?: boolean;
  debug?: boolean;
}

function idleText(): string {
  const ms = Number(process.env.FLOWER_DEMO_IDLE_MS) > 0 ? Number(process.env.FLOWER_DEMO_IDLE_MS) : DEMO_IDLE_MS;
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`;
}

export async function demoCommand(a: DemoArgs): Promise<number> {
  const { cleanDemos, runningDemo } = await import('../demo-sessions.js');
  if (a.clean) {
    const { removed, kept } = cleanDemos();
    const lines = [removed.length ? `flower-tui demo: removed ${removed.length} scratch repositor${removed.length === 1 ? 'y' : 'ies'}: ${removed.join(', ')}` : 'flower-tui demo: no old scratch repositories to remove'];
    for (const k of kept) lines.push(`  kept ${k.dir}: its server runs (pid ${k.serverPid}); stop it with: flower-tui server stop --repo ${k.mainRoot}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  const [{ createDemoRepo }, { openCockpit }] = await Promise.all([import('../demo-repo.js'), import('../open-cockpit.js')]);
  const running = a.new || a.inProcess ? null : runningDemo();
  const demo = running ?? (await createDemoRepo());
  const how = running ? `re-attached to the demo that was running: ${demo.dir}` : `a new demo: ${demo.dir}`;
  return openCockpit({
    repo: demo.mainRoot,
    config: demo.configFile,
    debug: a.debug,
    inProcess: a.inProcess,
    farewell: (outcome, agents) =>
      outcome === 'detached' && agents > 0
        ? [
            `flower-tui demo: detached — ${agents} demo agent${agents === 1 ? '' : 's'} keep running; they stop after ${idleText()} unattended`,
            `  ${how}`,
            '  re-attach: flower-tui demo' + (running ? ' · a fresh one: flower-tui demo --new' : ''),
            `  stop it now: flower-tui server stop --repo ${demo.mainRoot}`,
            '  remove old scratch repositories: flower-tui demo --clean',
          ].join('\n')
        : `flower-tui demo: stopped; the scratch repository is kept at ${demo.dir}\n  flower-tui demo --clean removes it`,
  });
}
