import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { FlowerError } from '../shared/errors.js';

// Reading a config file safely: only a regular file, only so many bytes, JSON with comments (JSONC),
// no duplicate keys. Everything here fails with one line naming the file (and the line when the text
// is at fault), never hangs: a FIFO or /dev/zero given as --config must not block or fill memory.

/** A config is a few kilobytes; anything near this is not a config. */
export const CONFIG_MAX_BYTES = 1024 * 1024;

/** The file's text: opened without blocking, checked to be a regular file, at most CONFIG_MAX_BYTES. */
export function readConfigText(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, for ever.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FlowerError('config-unreadable', `cannot read config ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new FlowerError('config-unreadable', `cannot read config ${file}: EISDIR (a directory, not a file)`);
    if (!st.isFile()) {
      const kind = st.isFIFO() ? 'a FIFO' : st.isCharacterDevice() ? 'a character device' : st.isSocket() ? 'a socket' : st.isBlockDevice() ? 'a block device' : 'not a file';
      throw new FlowerError('config-unreadable', `cannot read config ${file}: not a regular file (${kind})`);
    }
    if (st.size > CONFIG_MAX_BYTES) throw tooBig(file);
    // Read to the end but never past the limit: the file may grow while we read it.
    const buf = Buffer.alloc(Math.min(st.size, CONFIG_MAX_BYTES) + 1);
    let len = 0;
    for (;;) {
      if (len === buf.length) throw tooBig(file);
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
      if (len > CONFIG_MAX_BYTES) throw tooBig(file);
    }
    return buf.subarray(0, len).toString('utf8');
  } catch (e) {
    if (e instanceof FlowerError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FlowerError('config-unreadable', `cannot read config ${file}: ${code ?? String(e)}`);
  } finally {
    closeSync(fd);
  }
}

function tooBig(file: string): FlowerError {
  return new FlowerError('config-unreadable', `cannot read config ${file}: larger than ${CONFIG_MAX_BYTES / 1024 / 1024} MiB (a config is a few KB)`);
}

/** 1-based line and column of an offset, for messages a user can find in an editor. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Keys that would change an object's prototype (or shadow Object's own) when assigned: refused. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Parse JSONC: JSON plus `//` and block comments and trailing commas (what editors call "JSON with
 * Comments"), a UTF-8 BOM allowed. Duplicate keys are an error (in plain JSON the last one silently
 * wins, so half a setting would be ignored). Objects are built by hand from the syntax tree, so a
 * key such as `__proto__` can never reach an object's prototype; such keys are refused by name.
 */
export function parseConfigText(text: string, file: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new FlowerError('config-invalid', `invalid config ${file}: the file is empty (write {} for the defaults)`);
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const err = errors[0];
  if (err || !tree) {
    const what = err ? printParseErrorCode(err.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'no value';
    throw new FlowerError('config-invalid', `invalid config ${file}: not valid JSON: ${what} at ${lineCol(text, err?.offset ?? 0)}`);
  }
  return build(tree, [], text, file);
}

function build(node: Node, at: string[], text: string, file: string): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = String(keyNode.value);
        const where = [...at, key].join('.');
        if (UNSAFE_KEYS.has(key)) throw new FlowerError('config-invalid', `invalid config ${file}: ${where}: "${key}" is not allowed as a name (${lineCol(text, keyNode.offset)})`);
        if (seen.has(key)) throw new FlowerError('config-invalid', `invalid config ${file}: ${where}: duplicate key (${lineCol(text, keyNode.offset)}); keep one`);
        seen.add(key);
        out[key] = build(valueNode, [...at, key], text, file);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((c, i) => build(c, [...at, String(i)], text, file));
    default:
      return node.value;
  }
}
