/**
 * FileTailer without timing: start() fixes where to begin and is stopped at once (no watcher, no
 * interval left), then each append is followed by a direct poll().
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileTailer, type TailerOptions } from '../../src/core/tail/file-tailer.js';

let tmp: string;
let counter = 0;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flower-tail-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A tailer on a fresh file path, positioned by start() and then detached from timers and watchers. */
function tail(initial: string | Buffer | null, opts: TailerOptions): { file: string; t: FileTailer; batches: string[][]; lines: () => string[] } {
  const file = path.join(tmp, `f${++counter}.log`);
  if (initial !== null) fs.writeFileSync(file, initial);
  const batches: string[][] = [];
  const t = new FileTailer(file, (l) => batches.push(l), opts);
  t.start();
  t.stop();
  return { file, t, batches, lines: () => batches.flat() };
}

describe('FileTailer', () => {
  test("from: 'end' sees only what is appended after it started", () => {
    const { file, t, lines } = tail('old one\nold two\n', { from: 'end' });
    assert.deepEqual(lines(), []);
    fs.appendFileSync(file, 'new one\nnew two\n');
    t.poll();
    assert.deepEqual(lines(), ['new one', 'new two']);
    t.poll();
    assert.deepEqual(lines(), ['new one', 'new two'], 'nothing new: nothing handed over');
  });

  test("from: 'start' reads what is there, then what is appended", () => {
    const { file, t, lines, batches } = tail('a\nb\n', { from: 'start' });
    assert.deepEqual(lines(), ['a', 'b']);
    assert.equal(batches.length, 1, 'one batch for the initial read');
    fs.appendFileSync(file, 'c\n');
    t.poll();
    assert.deepEqual(lines(), ['a', 'b', 'c']);
  });

  test('a file that does not exist yet is read from its start once it appears', () => {
    const { file, t, lines } = tail(null, { from: 'end' });
    t.poll();
    assert.deepEqual(lines(), []);
    fs.writeFileSync(file, 'first\nsecond\n');
    t.poll();
    assert.deepEqual(lines(), ['first', 'second']);
  });

  test('a partial line is kept until its newline arrives', () => {
    const { file, t, lines } = tail('', { from: 'start' });
    fs.appendFileSync(file, 'hel');
    t.poll();
    assert.deepEqual(lines(), [], 'no newline yet');
    fs.appendFileSync(file, 'lo wor');
    t.poll();
    assert.deepEqual(lines(), []);
    fs.appendFileSync(file, 'ld\nnext');
    t.poll();
    assert.deepEqual(lines(), ['hello world']);
    fs.appendFileSync(file, '\n');
    t.poll();
    assert.deepEqual(lines(), ['hello world', 'next']);
  });

  test('a multi-byte UTF-8 character split across two appends arrives whole', () => {
    const { file, t, lines } = tail('', { from: 'start' });
    const text = Buffer.from('naïve 🌸 flower\n', 'utf8');
    const flower = text.indexOf(Buffer.from('🌸', 'utf8'));
    // Cut inside the 4-byte emoji, then inside the 2-byte ï on another run.
    fs.appendFileSync(file, text.subarray(0, flower + 2));
    t.poll();
    fs.appendFileSync(file, text.subarray(flower + 2));
    t.poll();
    const two = Buffer.from('ï!\n', 'utf8');
    fs.appendFileSync(file, two.subarray(0, 1));
    t.poll();
    fs.appendFileSync(file, two.subarray(1));
    t.poll();
    assert.deepEqual(lines(), ['naïve 🌸 flower', 'ï!']);
    assert.equal(lines().join('').includes('\ufffd'), false, 'no replacement character');
  });

  test('truncation starts again from the top', () => {
    const { file, t, lines } = tail('one\ntwo\nthree\n', { from: 'start' });
    assert.deepEqual(lines(), ['one', 'two', 'three']);
    fs.appendFileSync(file, 'half a li');
    t.poll();
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, 'fresh\n');
    t.poll();
    assert.deepEqual(lines(), ['one', 'two', 'three', 'fresh'], 'the old partial line is dropped, the new file read from 0');
  });

  test('replacement by a new file (rotation: rename, then a new file) restarts from its top', () => {
    const { file, t, lines } = tail('a1\na2\n', { from: 'end' });
    fs.appendFileSync(file, 'a3\n');
    t.poll();
    fs.renameSync(file, `${file}.1`);
    // The new file is longer than the old offset, so only the inode tells it apart.
    fs.writeFileSync(file, 'b1 a much longer first line than before\nb2\n');
    t.poll();
    assert.deepEqual(lines(), ['a3', 'b1 a much longer first line than before', 'b2']);
    fs.appendFileSync(file, 'b3\n');
    t.poll();
    assert.deepEqual(lines(), ['a3', 'b1 a much longer first line than before', 'b2', 'b3']);
  });

  test('a large existing file with from: start + maxInitialBytes reads only its tail, dropping the first fragment', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(40)}`);
    const content = lines.join('\n') + '\n';
    const max = 1000;
    const r = tail(content, { from: 'start', maxInitialBytes: max });
    const got = r.lines();
    assert.ok(got.length > 0 && got.length < 30, `only the tail was read (${got.length} lines)`);
    assert.equal(got[got.length - 1], lines[lines.length - 1]);
    assert.deepEqual(got, lines.slice(lines.length - got.length), 'whole lines only, in order: the cut first line is dropped');
    assert.ok(Buffer.byteLength(got.join('\n') + '\n') <= max, 'no more than maxInitialBytes were handed over');
    fs.appendFileSync(r.file, 'after\n');
    r.t.poll();
    assert.equal(r.lines()[r.lines().length - 1], 'after');
  });

  test('maxInitialBytes larger than the file: everything is read', () => {
    const r = tail('x\ny\n', { from: 'start', maxInitialBytes: 1000 });
    assert.deepEqual(r.lines(), ['x', 'y']);
  });

  test('maxInitialBytes cutting exactly at a line start keeps that (complete) line', () => {
    // The last 10 bytes are exactly "bbbb\ncccc\n": both lines are complete.
    const r = tail('aaaa\nbbbb\ncccc\n', { from: 'start', maxInitialBytes: 10 });
    assert.deepEqual(r.lines(), ['bbbb', 'cccc']);
  });

  test('a tail window with no newline yet never hands over the cut fragment', () => {
    const r = tail('x'.repeat(100), { from: 'start', maxInitialBytes: 10 });
    assert.deepEqual(r.lines(), []);
    fs.appendFileSync(r.file, 'yy\nnext\n');
    r.t.poll();
    assert.deepEqual(r.lines(), ['next']);
  });

  test('CRLF lines lose their CR, also when the CR and LF arrive in different reads; empty lines are skipped', () => {
    const { file, t, lines } = tail('', { from: 'start' });
    fs.appendFileSync(file, 'one\r\ntwo\r');
    t.poll();
    fs.appendFileSync(file, '\n\r\n\nthree\n');
    t.poll();
    assert.deepEqual(lines(), ['one', 'two', 'three']);
  });

  test('appends bigger than one read chunk (64 KiB) arrive whole and in order', () => {
    const { file, t, lines } = tail('', { from: 'start' });
    const big = Array.from({ length: 3000 }, (_, i) => `${i} ${'y'.repeat(60)}`);
    fs.appendFileSync(file, big.join('\n') + '\n');
    t.poll();
    assert.deepEqual(lines(), big);
  });
});
