import type PrettierSync from '@prettier/sync';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isObj } from '@trustline/trust';
import { readRegistryJson } from './load';
import { REGISTRY_NOT_AN_OBJECT, RegistryError, validateRegistry } from './validate';
import type { AccountRegistry } from './types';

/**
 * Writing `accounts.json` (and the other files the account commands rewrite) as a transaction:
 *
 * - one writer at a time: an exclusive lock file beside the target (`accounts.json.lock`), created with
 *   O_EXCL, holding the owner's pid, the process start time and host; a lock whose owner is gone (or whose
 *   pid now belongs to another process) is stale and is broken, so a crashed writer never blocks forever;
 * - the edit is applied to the file as it is on disk once the lock is held, never to an earlier read;
 * - the result is validated, written to a temporary file in the same folder, flushed, then renamed over
 *   the target, so a reader sees the old file or the new one, never half of one;
 * - the file keeps its own formatting: indent (spaces or tabs, any width), line ending, final newline,
 *   key order, and its byte-order mark.
 *
 * BOM policy: a UTF-8 byte-order mark is tolerated by every reader (`parseRegistry` strips it) and kept
 * by every writer (a BOM file is written back with its BOM; a file without one never gets one).
 */

/** How a JSON file is laid out, so a rewrite changes only the lines whose values changed. */
export interface JsonFormat {
  /** One level of indent: `'  '`, `'    '` or `'\t'`. */
  readonly indent: string;
  readonly newline: '\n' | '\r\n';
  readonly finalNewline: boolean;
  /** The file starts with a UTF-8 byte-order mark (U+FEFF). */
  readonly bom: boolean;
}

let prettier: typeof PrettierSync | undefined;
/**
 * Prettier, loaded on the first write: it costs about 100 ms to load, and every process that only reads the
 * registry (each Pulumi program, the pack, the CLI) would pay it.
 */
function prettierSync(): typeof PrettierSync {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  prettier ??= (require('@prettier/sync') as { default: typeof PrettierSync }).default;
  return prettier;
}

/** What {@link formatJson} writes when there is no file to copy the layout from. */
export const DEFAULT_JSON_FORMAT: JsonFormat = { indent: '  ', newline: '\n', finalNewline: true, bom: false };

/** Prettier's `printWidth` for the registry (its default): an array of scalars longer than this is broken. */
export const PRINT_WIDTH = 80;

const BOM = '\uFEFF';

/** The layout of `text`: the indent of its first indented line, its line ending, final newline and BOM. */
export function detectJsonFormat(text: string): JsonFormat {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const indent = /^[{[][ \t]*\r?\n([ \t]+)\S/.exec(body.trimStart())?.[1] ?? DEFAULT_JSON_FORMAT.indent;
  return { indent, newline: body.includes('\r\n') ? '\r\n' : '\n', finalNewline: /\n$/.test(body), bom };
}

/**
 * Prints `value` as JSON the way Prettier prints the file (`parser: 'json'`, `printWidth` {@link PRINT_WIDTH}),
 * in the indent, line ending, final newline and BOM of `format`, with keys in their insertion order.
 * Prettier keeps an object expanded when its source has a newline after `{`, so it is given
 * `JSON.stringify(value, null, 2)`: every object stays expanded and an array of scalars goes on one
 * line when that line fits. Re-printing an unchanged file in its own format reproduces it byte for
 * byte, so an edit shows up in review as its own lines.
 *
 * Synchronous through `@prettier/sync` (Prettier's own synchronous wrapper: Prettier 3's `format` is
 * async), because the registry transaction that calls this runs under a lock file, read-edit-write
 * without yielding (see {@link updateRegistryFile}).
 */
export function formatJson(value: unknown, format: Partial<JsonFormat> = {}): string {
  const f = { ...DEFAULT_JSON_FORMAT, ...format };
  const useTabs = f.indent.includes('\t');
  const printed = prettierSync().format(JSON.stringify(value, null, 2), {
    parser: 'json',
    printWidth: PRINT_WIDTH,
    useTabs,
    // With tabs, a tab counts as one column when a line is measured: the width files written here have always had.
    tabWidth: useTabs ? 1 : f.indent.length,
    endOfLine: f.newline === '\r\n' ? 'crlf' : 'lf',
  });
  return (f.bom ? BOM : '') + (f.finalNewline ? printed : printed.replace(/\r?\n$/, ''));
}

// ---------------------------------------------------------------------------------------------------
// Lock

/** What a lock file holds: enough to tell whether its owner still runs. */
export interface LockOwner {
  readonly pid: number;
  /** The owner's start time as the OS reports it (Linux: /proc/<pid>/stat field 22), or null elsewhere. */
  readonly startTime: string | null;
  readonly host: string;
  readonly acquiredAt: string;
  readonly command: string;
  /** Random, so a release never removes a lock that another process took since. */
  readonly token: string;
}

/** A held lock; `release` is idempotent and removes the lock file only while it is still this one. */
export interface FileLock {
  readonly file: string;
  readonly owner: LockOwner;
  release(): void;
}

export interface LockOptions {
  /** How long to wait for a live holder, in ms. @default 120000 */
  readonly timeoutMs?: number;
  /** Called once when the lock is busy and this process starts waiting. */
  readonly onWait?: (holder: LockOwner | undefined, lockFile: string) => void;
}

/** The lock file guarding `target`. */
export const lockFileOf = (target: string): string => `${target}.lock`;

/**
 * A lock file may be empty for the instant between its O_EXCL creation and the owner's write; one still
 * empty or unreadable after this long was left by a writer killed in that instant.
 */
const UNWRITTEN_LOCK_GRACE_MS = 5000;

/** The start time of process `pid` (Linux), so a pid reused by another process is not taken for the owner. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces; field 22 is the 20th after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why the lock's owner is gone, or undefined while it may still be running. */
export function staleReason(owner: LockOwner | undefined, lockFile: string, now = Date.now()): string | undefined {
  if (owner === undefined) {
    let age = 0;
    try {
      age = now - fs.statSync(lockFile).mtimeMs;
    } catch {
      return undefined;
    }
    return age > UNWRITTEN_LOCK_GRACE_MS ? `it has no readable owner and is ${Math.round(age / 1000)} s old` : undefined;
  }
  // Another machine's process (a shared folder) cannot be checked from here; only its owner or a human can clear it.
  if (owner.host !== os.hostname()) return undefined;
  if (!processIsAlive(owner.pid)) return `its owner, process ${owner.pid} (${owner.command}), is no longer running`;
  const current = processStartTime(owner.pid);
  if (owner.startTime !== null && current !== null && current !== owner.startTime) {
    return `process ${owner.pid} now is another program than its owner (${owner.command}), which has exited`;
  }
  return undefined;
}

function readOwner(lockFile: string): { text: string; owner?: LockOwner } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(lockFile, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner?.pid === 'number' ? { text, owner } : { text };
  } catch {
    return { text };
  }
}

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(sleepBuffer, 0, 0, ms);

/**
 * Moves a stale lock aside and deletes it, unless another process replaced it meanwhile (then it is
 * put back). Renaming first means two processes breaking the same stale lock cannot delete each
 * other's fresh one.
 */
function breakStaleLock(lockFile: string, staleText: string): void {
  const aside = `${lockFile}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return;
  }
  if (fs.readFileSync(aside, 'utf8') === staleText) {
    fs.rmSync(aside, { force: true });
    return;
  }
  try {
    fs.linkSync(aside, lockFile);
  } catch {
    // Someone holds a newer lock already; the one we moved belonged to a process that lost the race.
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Takes the exclusive lock on `target` (the file `<target>.lock`), waiting while a live process holds
 * it and breaking it when its owner has exited. Throws a sentence naming the holder after `timeoutMs`.
 */
export function acquireFileLock(target: string, options: LockOptions = {}): FileLock {
  const lockFile = lockFileOf(target);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const owner: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: os.hostname(),
    acquiredAt: new Date().toISOString(),
    command: process.argv.slice(1).map((a) => path.basename(a)).join(' ').slice(0, 200),
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(owner)}\n`;
  const started = Date.now();
  let waited = false;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(lockFile, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`Cannot create the lock file ${lockFile}: ${(e as Error).message}`);
      }
    }
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        if (readOwner(lockFile)?.owner?.token === owner.token) fs.rmSync(lockFile, { force: true });
      };
      // A process that ends without releasing (an uncaught error) leaves no lock behind.
      process.on('exit', release);
      return { file: lockFile, owner, release };
    }
    const seen = readOwner(lockFile);
    if (seen === undefined) continue; // released between our attempt and the read: try again at once
    const stale = staleReason(seen.owner, lockFile);
    if (stale !== undefined) {
      breakStaleLock(lockFile, seen.text);
      continue;
    }
    if (!waited) {
      waited = true;
      options.onWait?.(seen.owner, lockFile);
    }
    if (Date.now() - started > timeoutMs) {
      const who = seen.owner
        ? `process ${seen.owner.pid} on ${seen.owner.host} (${seen.owner.command}) has held it since ${seen.owner.acquiredAt}`
        : 'its owner is still writing it';
      throw new Error(
        `${target} is locked by ${lockFile}: ${who}, and it was still held after ${Math.round(timeoutMs / 1000)} s. ` +
          `Wait for that command to finish; if it is no longer running on any machine, delete ${lockFile}.`,
      );
    }
    sleep(25 + Math.floor(Math.random() * 50));
  }
}

/** Runs `fn` while holding the lock on `target`; the lock is released however `fn` ends. */
export function withFileLock<T>(target: string, fn: () => T, options?: LockOptions): T {
  const lock = acquireFileLock(target, options);
  try {
    return fn();
  } finally {
    lock.release();
  }
}

// ---------------------------------------------------------------------------------------------------
// Atomic write

/**
 * Replaces `file` with `text` atomically: a temporary file in the same folder (so the rename never
 * crosses file systems), flushed to disk, then renamed over `file`, keeping `file`'s permissions.
 * A crash leaves either the old file or the new one (and at worst a `.tmp` file beside it).
 */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = fs.statSync(file).mode & 0o777;
  } catch {
    // a new file
  }
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Registry edits

/** The registry as written (`raw`: every field in its order) and its layout. */
export interface RegistryText {
  readonly raw: Record<string, unknown>;
  readonly format: JsonFormat;
}

/**
 * The fields of registry `text` in their written order, and its layout, for an edit that must keep both.
 * `parseRegistry` is the reader that validates; this only keeps what validation would normalise away.
 */
export function readRegistryText(text: string, source: string): RegistryText {
  const format = detectJsonFormat(text);
  // The strict reader (BOM tolerated, a key given twice refused with its line), as parseRegistry reads it.
  const raw = readRegistryJson(text, source);
  if (!isObj(raw)) throw new RegistryError(source, [REGISTRY_NOT_AN_OBJECT]);
  return { raw, format };
}

/**
 * An edit of the registry: receives the fields as written and returns the new ones (or the same object
 * for no change). It may throw to refuse; nothing is written then.
 */
export type RegistryEdit = (raw: Record<string, unknown>, current: AccountRegistry) => Record<string, unknown>;

/** The result of {@link editRegistryText}: the new text (equal to the old one when nothing changed). */
export interface RegistryEditResult {
  readonly text: string;
  readonly changed: boolean;
  readonly registry: AccountRegistry;
}

/**
 * Applies `edit` to registry `text`, validates the result as a whole, and prints it in the text's own
 * layout. Throws a {@link RegistryError} when the result would not load, so it is never written.
 */
export function editRegistryText(text: string, source: string, edit: RegistryEdit): RegistryEditResult {
  const { raw, format } = readRegistryText(text, source);
  const current = validateRegistry(raw, source);
  const next = edit(structuredClone(raw), current);
  const registry = validateRegistry(next, source);
  const out = formatJson(next, format);
  // An unchanged value keeps the bytes it had, even where the hand-written layout differs from ours.
  const changed = JSON.stringify(next) !== JSON.stringify(raw);
  return { text: changed ? out : text, changed, registry };
}

/** `raw` with its `accounts` replaced, sorted by key (code-point order, independent of the locale). */
export function withAccounts(raw: Readonly<Record<string, unknown>>, accounts: readonly Record<string, unknown>[]): Record<string, unknown> {
  const sorted = [...accounts].sort((a, b) => (String(a.key) < String(b.key) ? -1 : String(a.key) > String(b.key) ? 1 : 0));
  return { ...raw, accounts: sorted };
}

/**
 * The registry transaction: takes the lock on `file`, reads it as it is now, applies `edit`, validates,
 * and replaces it atomically in its own layout. Concurrent callers are serialised, so each edit sees
 * every edit committed before it and none is lost.
 */
export function updateRegistryFile(file: string, edit: RegistryEdit, options?: LockOptions): RegistryEditResult {
  return withFileLock(
    file,
    () => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new RegistryError(file, [`cannot read the registry file: ${(e as Error).message}`]);
      }
      const result = editRegistryText(text, file, edit);
      if (result.changed) writeFileAtomic(file, result.text);
      return result;
    },
    options,
  );
}
