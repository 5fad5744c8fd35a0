/** Redaction itself, and what it makes of an agent's args and of text sent to it in the trace. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretKey, redactArgs, redactDeep, redactEnv, redactText, REDACTED } from '../../../src/core/store/redact.js';
import { traceDetails } from '../../../src/core/commands/trace-details.js';

describe('redact', () => {
  test('isSecretKey: secret-looking names yes, ordinary names no', () => {
    for (const k of ['API_KEY', 'api_key', 'apiKey', 'OPENAI_API_KEY', 'GITHUB_TOKEN', 'token', 'SECRET', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'password', 'PASS', 'CREDENTIALS', 'AUTH', 'PRIVATE_KEY']) {
      assert.equal(isSecretKey(k), true, `${k} is secret`);
    }
    for (const k of ['PATH', 'HOME', 'NODE_ENV', 'TERM', 'MONKEY', 'KEYBOARD', 'AUTHOR', 'PASSPORT', 'TOKENIZER_MODEL', 'profile', 'sessionId', 'cwd']) {
      assert.equal(isSecretKey(k), false, `${k} is not secret`);
    }
  });

  test('isSecretKey: camelCase names (JSON fields) too', () => {
    for (const k of ['apiToken', 'accessToken', 'clientSecret', 'githubToken']) assert.equal(isSecretKey(k), true, `${k} is secret`);
  });

  test('redactEnv: every value replaced, keys kept; undefined → {}', () => {
    assert.deepEqual(redactEnv({ A: '1', PATH: '/bin' }), { A: REDACTED, PATH: REDACTED });
    assert.deepEqual(redactEnv(undefined), {});
  });

  test('redactText: KEY=value and export KEY=… with secret-looking keys', () => {
    assert.equal(redactText('API_KEY=abc123'), `API_KEY=${REDACTED}`);
    assert.equal(redactText('export GITHUB_TOKEN=xyz789 && run'), `export GITHUB_TOKEN=${REDACTED} && run`);
    assert.equal(redactText(`DB_PASSWORD="two words" next`), `DB_PASSWORD=${REDACTED} next`);
    assert.equal(redactText(`SECRET='x y'`), `SECRET=${REDACTED}`);
    assert.equal(redactText('password: hunter2'), `password: ${REDACTED}`, 'YAML style');
    assert.equal(redactText('--api-key=abcdef'), `--api-key=${REDACTED}`, 'a flag named like a key');
  });

  test('redactText: non-secret keys are untouched', () => {
    for (const s of ['PATH=/usr/bin:/bin', 'NODE_ENV=production', 'MONKEY=banana', 'KEYBOARD=us', 'name: flower', 'see http://host:8080/x?a=b', 'agent feat/echo exited 0']) {
      assert.equal(redactText(s), s, s);
    }
  });

  test('redactText: credential-looking values whatever their key', () => {
    assert.equal(redactText('use sk-ant-api03-abcdefghijklmnop please'), `use ${REDACTED} please`);
    assert.equal(redactText('ghp_abcdefghijklmnopqrstuvwxyz0123'), REDACTED);
    assert.equal(redactText('github_pat_abcdefghijklmnopqrstuvwx_yz'), REDACTED);
    assert.equal(redactText('Authorization: Bearer abcdefghijklmnopqrstuvwxyz.12'), `Authorization: Bearer ${REDACTED}`);
    assert.equal(redactText('id AKIAABCDEFGHIJKLMNOP ok'), `id ${REDACTED} ok`);
    assert.equal(redactText('x-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----y'), `x${REDACTED}y`);
    assert.equal(redactText('sk-short'), 'sk-short', 'too short to be a key');
  });

  test('redactText: a secret value after a secret key is removed entirely, the key kept', () => {
    const out = redactText('API_TOKEN=sk-live-abcdefghijklmnop1234');
    assert.equal(out, `API_TOKEN=${REDACTED}`);
  });

  test('redactText: JSON-ish "password": "…" in free text', () => {
    assert.equal(redactText('{"password": "hunter2", "user": "bob"}').includes('hunter2'), false, 'the JSON password value is redacted');
    assert.equal(redactText(`{'api_key': 'abc123'}`).includes('abc123'), false, 'a single-quoted JSON-ish key too');
    assert.ok(redactText('{"password": "hunter2"}').includes('password'), 'the key name is kept');
  });

  test('redactDeep: env maps, secret-named keys, nested strings; numbers/booleans kept; the input is not changed', () => {
    const input = {
      env: { HOME: '/home/x', OPENAI_API_KEY: 'abc' },
      password: 'hunter2',
      api_token: 'tok',
      list: ['plain', 'GITHUB_TOKEN=abc', { token: 'deep', n: 7 }],
      note: 'call sk-abcdefghijklmnopqrstu now',
      count: 3,
      ok: true,
      nothing: null,
    };
    const copy = JSON.parse(JSON.stringify(input)) as typeof input;
    const out = redactDeep(input);
    assert.deepEqual(out, {
      env: { HOME: REDACTED, OPENAI_API_KEY: REDACTED },
      password: REDACTED,
      api_token: REDACTED,
      list: ['plain', `GITHUB_TOKEN=${REDACTED}`, { token: REDACTED, n: 7 }],
      note: `call ${REDACTED} now`,
      count: 3,
      ok: true,
      nothing: null,
    });
    assert.deepEqual(input, copy, 'input untouched');
  });
});

describe('redactArgs and sent text in the trace', () => {
  test('secrets in args: inline values, the value after a secret flag, token shapes; other args kept', () => {
    assert.deepEqual(redactArgs(['--api-key=sk-ant-abcdefghijklmnopqrstuv', '--password', 'hunter2', '--model', 'opus', '--token=abc', '-p', 'hello', 'ghp_abcdefghijklmnopqrstuvwxyz0123']), [
      `--api-key=${REDACTED}`,
      '--password',
      REDACTED,
      '--model',
      'opus',
      `--token=${REDACTED}`,
      '-p',
      'hello',
      REDACTED,
    ]);
    assert.deepEqual(redactDeep({ args: ['--secret', 'hunter2'] }), { args: ['--secret', REDACTED] }, 'state and trace redact args the same way');
    assert.deepEqual(redactArgs(redactArgs(['--password', 'x', '--api-key=sk-ant-abcdefghijklmnopqrstuv'])), redactArgs(['--password', 'x', '--api-key=sk-ant-abcdefghijklmnopqrstuv']), 'idempotent');
  });

  test('a send is traced as its size and sha256 only, a preview only when configured', () => {
    const cmd = { type: 'send' as const, agent: 'feat/a', text: 'my password is hunter2', enter: true };
    const d = traceDetails(cmd)!;
    assert.equal(d.chars, 22);
    assert.match(String(d.sha256), /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(d).includes('hunter2'), false);
    assert.equal('preview' in d, false);
    assert.equal(traceDetails(cmd, undefined, { sentText: 'preview' })!.preview, 'my password is hunter2');
  });
});
