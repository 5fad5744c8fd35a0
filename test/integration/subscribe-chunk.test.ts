// RemoteBackend.subscribe: frames that share a socket read with the last initial screen must not be dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encodeControl, encodeOutput, FrameDecoder, FRAME_CONTROL } from '../../src/protocol/frames.js';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.js';
import { FlowerClient } from '../../src/client/client.js';
import { RemoteBackend } from '../../src/client/remote-backend.js';

test('output that follows the last subscribe screen in the same socket read reaches the mirror', async () => {
  const sock = path.join(os.tmpdir(), `flower-subscribe-${process.pid}.sock`);
  const agent = { id: 'feat/a', cols: 20, rows: 5, state: { kind: 'running' } };
  const server = net.createServer((s) => {
    const d = new FrameDecoder();
    s.on('data', (chunk) => {
      for (const f of d.push(chunk)) {
        if (f.kind !== FRAME_CONTROL) continue;
        const m = f.msg as { t: string };
        if (m.t === 'hello') s.write(encodeControl({ t: 'welcome', protocol: PROTOCOL_VERSION, server: {} }));
        if (m.t === 'subscribe')
          // What a real server does when the client reads late: screen and the next output in one read.
          s.write(Buffer.concat([
            encodeControl({ t: 'event', event: { type: 'snapshot', snapshot: { agents: [agent] } } }),
            encodeControl({ t: 'screen', agent: agent.id, cols: 20, rows: 5, data: 'old' }),
            encodeOutput(agent.id, '\r\nNEW-OUTPUT'),
          ]));
      }
    });
  });
  await new Promise<void>((r) => server.listen(sock, r));
  const client = await FlowerClient.connect(sock, { role: 'tui', version: 'x' });
  const b = await RemoteBackend.open(client, { scrollback: 100 });
  await new Promise((r) => setTimeout(r, 50));
  const text = b.agent(agent.id)!.screen.visibleText().join('\n');
  b.closeNow();
  server.close();
  assert.match(text, /NEW-OUTPUT/);
});
