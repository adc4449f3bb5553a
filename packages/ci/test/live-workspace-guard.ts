import * as path from 'node:path';

/**
 * A static scan of test sources for reads of the checkout's live registry (the root accounts.json), of
 * its account projects (projects/), and of its policy pack (policies/trust-guard, which reads the root
 * accounts.json when started there). Those change whenever a team onboards an account or runs
 * `npm run org:init`, so a test that reads them passes on the sample and fails on the team's organization.
 * Tests build their workspace from the frozen sample instead: `useSampleOrganization` on a temporary copy
 * (`workspaceCopy()` of packages/workspace-plugin/test, or `copyWorkspace` of @trustline/bench), or
 * @trustline/registry's `SAMPLE_REGISTRY_FILE` / `sampleRegistryText()`.
 *
 * What counts as the root: `workspaceRoot` (@nx/devkit), and every identifier any scanned file sets to the
 * repository root with `path.resolve(__dirname, '../../..')` or `path.join(...)` (ROOT, REPO,
 * WORKSPACE_ROOT, ...). The scan is by line; it catches the ways this repository's tests read the
 * workspace, not every conceivable one.
 */

/** One finding: where, and what the line does. */
export interface LiveRead {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

const PATH_CALL = /\bpath\.(?:resolve|join)\(\s*__dirname\s*,\s*((?:'[^']*'\s*,?\s*)+)\)/g;
const ROOT_ASSIGNMENT = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*((?:'[^']*'\s*,?\s*)+)\)/g;
const LITERALS = /'([^']*)'/g;

/** Comments removed, line breaks kept (so line numbers stay right); `//` inside a URL is not a comment. */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, '')).replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
}

/** The path a `path.resolve(__dirname, 'a', 'b')` call in `file` (relative to `root`) names, relative to `root`. */
function resolvedFrom(root: string, file: string, literals: string): string {
  const parts = [...literals.matchAll(LITERALS)].map((m) => m[1]);
  return path.relative(root, path.resolve(root, path.dirname(file), ...parts));
}

/** The identifiers `text` (of `file`) sets to the repository root: `exported` ones, and `local` ones. */
export function rootNamesIn(root: string, file: string, text: string): { exported: string[]; local: string[] } {
  const code = stripComments(text);
  const out = { exported: [] as string[], local: [] as string[] };
  for (const m of code.matchAll(ROOT_ASSIGNMENT)) {
    if (resolvedFrom(root, file, m[2]) !== '') continue;
    const exported = new RegExp(`export\\s+(?:const|let|var)\\s+${m[1].replace(/\$/g, '\\$')}\\b`).test(code);
    (exported ? out.exported : out.local).push(m[1]);
  }
  return out;
}

/** The names a file declares itself (a const, let, var, function or parameter-free binding), which shadow imported ones. */
function declaredIn(text: string): Set<string> {
  return new Set([...stripComments(text).matchAll(/\b(?:const|let|var|function)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
}

/**
 * The root names that hold in `file`: the exported ones (`shared`) that the file does not declare itself
 * with another value, and the ones it sets to the root itself.
 */
export function rootNamesFor(root: string, file: string, text: string, shared: ReadonlySet<string>): Set<string> {
  const own = rootNamesIn(root, file, text);
  const mine = new Set([...own.exported, ...own.local]);
  const declared = declaredIn(text);
  return new Set([...[...shared].filter((n) => !declared.has(n) || mine.has(n)), ...mine]);
}

/** True for a path (relative to the root) that is the live registry or lies in the account projects. */
const isLive = (rel: string): boolean => rel === 'accounts.json' || rel === 'projects' || rel.startsWith(`projects${path.sep}`);

/** Every line of `text` (the source of `file`, relative to `root`) that reads the live registry or projects/. */
/** `text` with the contents of every string and template literal replaced by spaces (newlines kept, so lines keep their numbers). */
export function blankStrings(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === undefined) {
      // Comments are copied as they are (a quote inside one opens no string).
      const end = c === '/' && text[i + 1] === '/' ? text.indexOf('\n', i) : c === '/' && text[i + 1] === '*' ? text.indexOf('*/', i + 2) + 1 : -2;
      if (end !== -2) {
        const stop = end < 0 || end === 0 ? text.length : end;
        out += text.slice(i, stop);
        i = stop - 1;
        continue;
      }
      if (c === "'" || c === '"' || c === '`') quote = c;
      out += c;
    } else if (c === '\\') {
      out += text[i + 1] === '\n' ? ' \n' : '  ';
      i++;
    } else if (c === quote) {
      quote = undefined;
      out += c;
    } else {
      out += c === '\n' ? '\n' : ' ';
      if (c === '\n' && quote !== '`') quote = undefined;
    }
  }
  return out;
}

export function liveReads(root: string, file: string, text: string, rootNames: ReadonlySet<string>): LiveRead[] {
  const names = [...rootNames].map((n) => n.replace(/\$/g, '\\$')).join('|');
  const rootRef = new RegExp(`(?<![\\w$.])(?:${names})(?![\\w$])`);
  const registryRef = /'accounts\.json'|"accounts\.json"|\bREGISTRY_FILE\b/;
  const projectsRef = /['"`]projects(?:\/[^'"`]*)?['"`]/;
  const packRef = /['"`]policies(?:\/trust-guard[^'"`]*)?['"`]/;
  const found: LiveRead[] = [];
  const lines = stripComments(text).split('\n');
  const wholeFile = lines.join('\n');
  // A call written inside a string or template is test data (a planted source file), not a call.
  const codeLines = stripComments(blankStrings(text)).split('\n');
  lines.forEach((line, i) => {
    const at = (reason: string) => found.push({ file, line: i + 1, reason });
    if (rootRef.test(line) && registryRef.test(line)) at('reads the root accounts.json');
    if (rootRef.test(line) && projectsRef.test(line)) at('lists or reads the root projects/');
    // The pack loads the registry found from its own folder upwards: started in the checkout, it judges
    // against the checkout's organization (engine-conformance's pack.e2e did, and failed after org:init).
    if (rootRef.test(line) && packRef.test(line)) at("names the checkout's policy pack, which judges against the root accounts.json found from its folder");
    for (const m of line.matchAll(PATH_CALL)) {
      const rel = resolvedFrom(root, file, m[1]);
      if (isLive(rel)) at(`names ${rel} of the checkout (path relative to __dirname)`);
    }
    if (/\b(?:loadRegistry|findRegistryFile)\(\s*(?:undefined\s*)?\)/.test(codeLines[i])) at('loads the registry found by walking up from the working folder (the root accounts.json)');
    if (/\bworkspaceCopy\(\s*\{[^}]*\bsample\s*:\s*false\b/.test(line)) at('copies the workspace with its live registry (workspaceCopy({ sample: false }))');
  });
  // @trustline/bench's copyWorkspace copies the checkout as it is; the sample comes from useSampleOrganization.
  if (/\bcopyWorkspace\(/.test(wholeFile) && !/\buse(?:SampleOrganization|SampleRegistry)\(/.test(wholeFile) && /from '@trustline\/bench'|from '\.\/workspace-copy'/.test(wholeFile)) {
    const line = lines.findIndex((l) => /\bcopyWorkspace\(/.test(l));
    found.push({ file, line: line + 1, reason: 'copies the workspace (copyWorkspace) without useSampleOrganization, so it keeps the live registry' });
  }
  return found;
}

/** Whether `file` (relative to the root) is a test source: a test, spec or e2e file, or a file under a test/ folder. */
export function isTestSource(file: string): boolean {
  if (!/\.(?:[cm]?[jt]s)$/.test(file)) return false;
  // The account projects' own tests check their own account by design; the scan is about the shared packages.
  if (!/^(?:packages|policies|access)\//.test(file)) return false;
  return /(?:^|\/)test\//.test(file) || /\.(?:test|spec)\.[cm]?[jt]s$/.test(file) || /(?:^|\/)vitest[^/]*\.config\.[cm]?[jt]s$/.test(file);
}
