/** Hosts over ssh as data (src/client/ssh-transport.ts, src/config/hosts-schema.ts): the ssh command line, the quoting, the one-line failures. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeCommand, explainBridgeFailure, remoteWord } from '../../src/client/ssh-transport.js';
import { parseConfig } from '../../src/config/config.js';
import { gitOverSsh, laneBaseRef } from '../../src/client/host-push.js';

const host = { ssh: 'box', repo: '/srv/shop', command: 'flower-tui', sshArgs: [] as string[] };

describe('hosts over ssh', () => {
  test('the path is one word for the remote shell; "~/" still expands there', () => {
    assert.equal(remoteWord('/srv/my shop'), "'/srv/my shop'");
    assert.equal(remoteWord("/srv/it's"), "'/srv/it'\\''s'");
    assert.equal(remoteWord('~/code/shop'), `"$HOME"/'code/shop'`);
    assert.equal(remoteWord('/x;rm -rf /'), "'/x;rm -rf /'", 'never a second command');
  });

  test('ssh -T, batch mode, keep-alives, the host\'s own options, then the destination and the bridge', () => {
    assert.deepEqual(bridgeCommand({ ...host, sshArgs: ['-p', '2222'], command: 'npx flower-tui' }), {
      file: 'ssh',
      args: ['-T', '-o', 'BatchMode=yes', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3', '-p', '2222', '--', 'box', "npx flower-tui server bridge --repo '/srv/shop'"],
    });
  });

  test('failures name the host and say what to fix, in one line', () => {
    assert.equal(explainBridgeFailure('box', host, 255, 'ssh: connect to host box port 22: Connection refused\n'), 'box: cannot reach box over ssh (connect to host box port 22: Connection refused)');
    assert.equal(explainBridgeFailure('box', host, 127, 'sh: 1: flower-tui: not found\n'), 'box: flower-tui is not installed there (hosts.box.command is "flower-tui")');
    assert.equal(explainBridgeFailure('box', host, 2, 'flower-tui: not a git repository: /srv/shop\n'), 'box: not a git repository: /srv/shop');
    assert.equal(explainBridgeFailure('box', host, 1, ''), 'box: the bridge ended (exit 1)');
  });

  test('the config refuses options in the destination, relative repos and reserved names', () => {
    const bad = (hosts: unknown) => assert.throws(() => parseConfig({ hosts }, 'test.json', {}), /hosts/);
    bad({ box: { ssh: '-oProxyCommand=evil box', repo: '/srv/shop' } });
    bad({ box: { ssh: 'user@box', repo: 'shop' } });
    bad({ local: { ssh: 'box', repo: '/srv/shop' } });
    bad({ 'a b': { ssh: 'box', repo: '/srv/shop' } });
    const ok = parseConfig({ hosts: { box: { ssh: 'user@box', repo: '~/shop' } } }, 'test.json', {});
    assert.deepEqual(ok.hosts.box, { ssh: 'user@box', repo: '~/shop', command: 'flower-tui', sshArgs: [] });
  });

  test('git reaches the host with the bridge\'s ssh options, each one word for the local shell', () => {
    const g = gitOverSsh({ ...host, ssh: 'user@box', repo: '~/shop', sshArgs: ['-F', '/tmp/my config', '-o', "ProxyCommand=nc %h 22 # it's"] });
    assert.equal(g.url, 'user@box:~/shop');
    assert.equal(g.env.GIT_SSH_COMMAND, "ssh -o BatchMode=yes -F '/tmp/my config' -o 'ProxyCommand=nc %h 22 # it'\\''s'");
    assert.equal(laneBaseRef('feature-x'), 'refs/flower/base/feature-x');
  });
});
