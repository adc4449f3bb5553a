/**
 * Writes a snapshot folder atomically: every file goes into a hidden staging folder beside the output
 * folder, and one rename at the end puts it in place. A run that dies half way leaves the staging folder
 * (removed by the next run) and the previous snapshot intact, so a half-written snapshot never sits where a
 * complete one is read. `trust-guard collect --out` and `npm start -- --paths-out` both write through it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLLECT_REPORT_FILE, ORGANIZATION_FILE } from '@trustline/paths';

/** The files a snapshot folder holds: organization.json, collect.json (collect only) and `<accountId>.json`. */
const SNAPSHOT_FILE = /^(organization\.json|collect\.json|\d{12}\.json)$/;

export { COLLECT_REPORT_FILE, ORGANIZATION_FILE };

/** Who writes the folder, for the messages; the defaults are `trust-guard collect`'s. */
export interface SnapshotDirWriter {
  /** The option that named the folder (default `--out`). */
  readonly option?: string;
  /** The command, as the sentence names it (default `collect`). */
  readonly command?: string;
  /**
   * A previous snapshot of this writer has an organization.json (default true: collect always writes one).
   * The code's snapshot (`npm start -- --paths-out`) has none: the code declares no OUs or SCPs.
   */
  readonly withOrganization?: boolean;
}

/**
 * Why `out` may not receive a snapshot, or undefined when it may: it does not exist, is an empty folder, or
 * is a previous snapshot (no other files than organization.json, collect.json and `<accountId>.json`, and an
 * organization.json when the writer always writes one).
 */
export function outProblem(out: string, writer: SnapshotDirWriter = {}): string | undefined {
  const option = writer.option ?? '--out';
  const command = writer.command ?? 'collect';
  const withOrganization = writer.withOrganization ?? true;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `${option} ${JSON.stringify(out)} cannot be read (${(e as Error).message}).`;
  }
  if (!stat.isDirectory()) return `${option} ${JSON.stringify(out)} is a file; give a folder (new, empty, or a previous snapshot written by ${command}).`;
  const entries = fs.readdirSync(out);
  if (entries.length === 0) return undefined;
  const foreign = entries.filter((e) => !SNAPSHOT_FILE.test(e) || !fs.statSync(path.join(out, e)).isFile());
  if (foreign.length === 0 && (entries.includes(ORGANIZATION_FILE) || !withOrganization)) return undefined;
  const shown = (foreign.length > 0 ? foreign : entries).slice(0, 3).map((e) => JSON.stringify(e)).join(', ');
  return (
    `${option} ${JSON.stringify(out)} is not empty and is not a previous snapshot (${foreign.length > 0 ? `it holds ${shown}${foreign.length > 3 ? ', ...' : ''}` : 'it has no organization.json'}); ` +
    `${command} replaces only an empty folder or a folder it wrote before (${withOrganization ? 'organization.json, collect.json and <accountId>.json files' : '<accountId>.json files'}). Choose a new folder.`
  );
}

const stagingPrefix = (out: string) => `.${path.basename(out)}.collecting-`;

/** Whether process `pid` is alive (a staging folder of a live run is not removed). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A staging folder being filled; {@link commit} renames it to `out`, {@link abandon} removes it. */
export interface Staging {
  readonly dir: string;
  readonly out: string;
  /** Writes one file of the snapshot into the staging folder, as indented JSON. */
  write(name: string, value: unknown): void;
  /** Writes one file of the snapshot into the staging folder, as given (`snapshotFiles` of @trustline/paths). */
  writeText(name: string, text: string): void;
  commit(): void;
  abandon(): void;
}

/**
 * Creates the staging folder beside `out` (creating `out`'s parent if needed), after removing the staging
 * folders that runs no longer alive left there.
 */
export function createStaging(out: string): Staging {
  const parent = path.dirname(path.resolve(out));
  fs.mkdirSync(parent, { recursive: true });
  const prefix = stagingPrefix(out);
  for (const entry of fs.readdirSync(parent)) {
    const m = entry.startsWith(prefix) ? /^(\d+)-/.exec(entry.slice(prefix.length)) : null;
    if (!m || alive(Number(m[1]))) continue;
    // A run killed between its two renames left the previous snapshot aside: put it back.
    if (entry.endsWith('.previous') && !fs.existsSync(out)) fs.renameSync(path.join(parent, entry), path.resolve(out));
    else fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(parent, `${prefix}${process.pid}-`));
  const target = path.resolve(out);
  return {
    dir,
    out: target,
    write(name, value) {
      fs.writeFileSync(path.join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
    },
    writeText(name, text) {
      fs.writeFileSync(path.join(dir, name), text);
    },
    commit() {
      // rename(2) cannot replace a non-empty folder: the previous snapshot steps aside first, and comes back if
      // the second rename fails.
      let previous: string | undefined;
      if (fs.existsSync(target)) {
        previous = `${dir}.previous`;
        fs.renameSync(target, previous);
      }
      try {
        fs.renameSync(dir, target);
      } catch (e) {
        if (previous) fs.renameSync(previous, target);
        throw e;
      }
      if (previous) fs.rmSync(previous, { recursive: true, force: true });
    },
    abandon() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
