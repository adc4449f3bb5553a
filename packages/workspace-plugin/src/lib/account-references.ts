import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Tree, getProjects, visitNotIgnoredFiles } from '@nx/devkit';
import { type AccountRegistry, REGISTRY_FILE, principalAccount } from '@trustline/registry';
import * as ts from 'typescript';
import { TEMPLATES_DIR } from '../generators/account/generator';

/**
 * Who still references an account that is about to go (`account:remove`, `org:init` replacing the sample
 * accounts): the one reference search both generators call. Removing a referenced account leaves a workspace
 * that fails later (`npm start`: `account "qa" is not in the registry`), so the generators refuse instead.
 *
 * What counts, in every file git sees (tracked, or untracked and not ignored; without git: the tree's files
 * not ignored by .gitignore), as the generator's tree holds it:
 * - registry lookups, found as the compiler finds them: a TypeScript program over the workspace's code
 *   (TypeScript and JavaScript), in which each call's callee is resolved by the type checker to an export of
 *   `@trustline/registry` that takes an account key (a parameter named `key` or `accountKey`: `getAccount`,
 *   `hopSessionName`), through aliases, re-exports, `import * as r` and `const f = getAccount`, and whose key
 *   argument is a constant equal to the key: a string literal, a template without substitutions, or a `const`
 *   initialised with one (in any file). A key computed at run time (a parameter, `'q' + 'a'`, a template with
 *   `${}`) cannot be known before the program runs and is not counted;
 * - the account's Nx project in commands: `<key>:<target>` for each target of the account project
 *   (`nx run qa:up`), `-p`/`--projects` lists on a line that runs Nx (`nx run-many -p qa`), and
 *   `nx <target> <key>`; in workflows and every file under .github/ and scripts/, shell scripts, code,
 *   package.json and project.json, YAML. Markdown is not searched: it documents commands, it does not run
 *   them (the README's examples name the sample accounts);
 * - the account's package (`@trustline/account-<key>`) and folder (`projects/<key>`) in those files, and its
 *   12-digit account id in the account programs (projects tagged {@link ACCOUNT_SCOPE_TAG}); libraries get
 *   accounts from the registry, so an id there is an example, not a dependency.
 * Not counted: comments in code (and whole-line `#` comments in YAML and shell), tests, benchmarks and
 * fixtures (they run on the frozen sample registry, never on the live one), generator templates (`files/`),
 * `accounts.json` itself, and the folders that go with the account (`skipRoots`).
 */

/** Project tag of the programs that deploy into accounts (projects/*, access): the only code that may name an account id. */
export const ACCOUNT_SCOPE_TAG = 'scope:account';

/** The package whose exported account lookups are searched for. */
export const REGISTRY_PACKAGE = '@trustline/registry';

/** Parameter names of the registry's exports that take an account key. */
const ACCOUNT_KEY_PARAMETERS = new Set(['key', 'accountKey']);

/** Code the TypeScript program reads (declaration files hold no calls). */
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
/** Files searched as text for Nx commands, packages, folders and ids (besides code). */
const TEXT = /(\.ya?ml|\.(?:ba|z)?sh|(^|\/)(package|project)\.json|(^|\/)Makefile)$/;
/** Folders every file of which is searched: CI workflows and actions, scripts. */
const SEARCHED_FOLDERS = /^(\.github|scripts)\//;
const MARKDOWN = /\.(md|mdx|markdown)$/i;
/** Not references (see the module comment). */
const NOT_SEARCHED =
  /(^|\/)(files|fixtures|test|tests|__tests__|bench|node_modules)(\/|$)|(^|\/)(accounts\.json|package-lock\.json)$|\.(test|spec|bench)\.[cm]?[jt]sx?$/;

/** One reference to an account: where it is, what it is, and its text. */
export interface AccountReference {
  /** The account key referenced. */
  readonly key: string;
  /** Workspace-relative path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** What the text does with the account, as a phrase: `looks up account "qa"`. */
  readonly what: string;
  /** The referencing text (a lookup's call, or the line of a command). */
  readonly text: string;
}

/** An account about to go. */
export interface RemovedAccount {
  readonly key: string;
  readonly accountId?: string;
}

/** The sentence a refusal lists for a reference. */
export function referenceProblem(r: AccountReference): string {
  return `${r.file}:${r.line}:${r.column} ${r.what} (${r.text}); remove that reference first.`;
}

/**
 * Registry entries that trust a role in `accountId` (their `trustedPrincipals` name it). Removing the
 * account would leave those entries naming an account the registry no longer knows, which fails validation.
 */
export function registryReferences(registry: AccountRegistry, key: string, accountId: string): string[] {
  const found: string[] = [];
  for (const a of registry.accounts) {
    if (a.key === key) continue;
    for (const p of a.trustedPrincipals) {
      if (principalAccount(p) === accountId) {
        found.push(`${REGISTRY_FILE}: account "${a.key}" lists ${p} in trustedPrincipals; remove that principal first.`);
      }
    }
  }
  return found;
}

/**
 * `text` without its comments, for code files, lengths and line breaks kept (positions stay true): an
 * account id in a TSDoc example is not a dependency. Strings are kept whole, so `'https://x'` or `'a/*b'`
 * inside one is not taken for a comment.
 */
export function stripComments(text: string): string {
  return text.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m, str: string | undefined) =>
    str !== undefined ? m : m.replace(/[^\n]/g, ' '),
  );
}

/** `text` with whole-line `#` comments blanked (YAML, shell), positions kept. */
const stripHashComments = (text: string): string => text.replace(/^([ \t]*)#.*$/gm, (m) => m.replace(/[^\n]/g, ' '));

/**
 * The workspace's files as git sees them: tracked, plus untracked files not ignored (a script written
 * today and not yet committed still runs), with the tree's own pending changes applied. Outside a git
 * repository (a copy of the workspace, a test tree), the tree's files that .gitignore does not ignore.
 */
export function workspaceFiles(tree: Tree): string[] {
  let listed: string[] | undefined;
  if (fs.existsSync(path.join(tree.root, '.git'))) {
    try {
      const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: tree.root,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      listed = out.split('\0').filter(Boolean);
    } catch {
      listed = undefined;
    }
  }
  if (listed === undefined) {
    const walked: string[] = [];
    visitNotIgnoredFiles(tree, '', (f) => void walked.push(f));
    return walked.sort();
  }
  const files = new Set(listed);
  for (const c of tree.listChanges()) if (c.type !== 'DELETE') files.add(c.path);
  return [...files].filter((f) => tree.isFile(f)).sort();
}

/** Whether `file` lies in one of `roots`. */
const under = (file: string, roots: readonly string[]): boolean => roots.some((r) => file === r || file.startsWith(`${r}/`));

/** 1-based line and column of `offset` in `text`. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The line of `text` around `offset`, trimmed and shortened for a message. */
function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return clip(text.slice(start, end === -1 ? text.length : end).trim());
}

const clip = (s: string): string => {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Targets every account project has: the account generator's template (its package.json renders as JSON). */
function templateTargets(): string[] {
  const text = fs.readFileSync(path.join(TEMPLATES_DIR, 'package.json__tmpl__'), 'utf8');
  return Object.keys((JSON.parse(text) as { nx?: { targets?: Record<string, unknown> } }).nx?.targets ?? {});
}

/** Nx commands that are not targets: `nx run-many`, `nx graph`, ... (`nx <target> <project>` runs a target). */
const NX_COMMANDS = new Set(['run', 'run-many', 'affected', 'graph', 'g', 'generate', 'show', 'reset', 'list', 'add', 'init', 'migrate', 'format', 'format:check', 'format:write', 'release', 'daemon', 'report', 'repair', 'sync', 'watch', 'exec', 'connect', 'login', 'logout', 'view-logs', 'import', 'mcp']);
/** A line that runs Nx: `nx`, `npx nx`, `scripts/nx.sh`, `'nx'` in an argument list. */
const RUNS_NX = /(^|[^\w.-])nx(\.sh|\.js)?(?![\w.-])/;
/** Argument tokens of a command line, also as an argument array: quotes, commas, brackets and `=` separate. */
const TOKEN = /[^\s'"`,=[\](){}]+/g;

interface TextHit {
  readonly offset: number;
  readonly key: string;
  readonly what: string;
}

/** Nx commands naming one of `keys` in `text` (see the module comment). */
function nxCommandHits(text: string, keys: ReadonlySet<string>, targetsOf: (key: string) => readonly string[]): TextHit[] {
  const hits: TextHit[] = [];
  for (const key of keys) {
    const targets = targetsOf(key).map(escape).join('|');
    const re = new RegExp(`(?<![\\w$./@:-])${escape(key)}:(?:${targets})(?![\\w-])`, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) hits.push({ offset: m.index, key, what: `runs ${m[0]}, an Nx target of account "${key}"` });
  }
  let lineStart = 0;
  for (const line of text.split('\n')) {
    if (RUNS_NX.test(line)) {
      const tokens = [...line.matchAll(TOKEN)].map((m) => ({ text: m[0], offset: lineStart + (m.index ?? 0) }));
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i].text;
        if (t === '-p' || t === '--projects') {
          for (let j = i + 1; j < tokens.length && !tokens[j].text.startsWith('-') && !/^(&&|\|\|?|;)$/.test(tokens[j].text); j++) {
            if (keys.has(tokens[j].text)) hits.push({ offset: tokens[j].offset, key: tokens[j].text, what: `names the Nx project of account "${tokens[j].text}" after ${t}` });
          }
        } else if (/(^|\/)nx(\.sh|\.js)?$/.test(t) && i + 2 < tokens.length) {
          const target = tokens[i + 1].text;
          const project = tokens[i + 2].text;
          if (!NX_COMMANDS.has(target) && keys.has(project) && targetsOf(project).includes(target)) {
            hits.push({ offset: tokens[i + 2].offset, key: project, what: `runs the Nx target ${target} of account "${project}"` });
          }
        }
      }
    }
    lineStart += line.length + 1;
  }
  return hits;
}

/** The account's package, folder and (in account programs) id in `text`. */
function nameHits(text: string, accounts: readonly RemovedAccount[], idsToo: boolean): TextHit[] {
  const hits: TextHit[] = [];
  for (const { key, accountId } of accounts) {
    const k = escape(key);
    const patterns: [RegExp, string][] = [
      [new RegExp(`@trustline/account-${k}(?![\\w-])`, 'g'), `names the package of account "${key}"`],
      [new RegExp(`(?<![\\w-])projects/${k}(?![\\w-])`, 'g'), `names the folder of account "${key}"`],
      ...(idsToo && accountId ? ([[new RegExp(`(?<!\\d)${accountId}(?!\\d)`, 'g'), `names the account id of "${key}", ${accountId},`]] as [RegExp, string][]) : []),
    ];
    for (const [re, what] of patterns) {
      for (let m = re.exec(text); m; m = re.exec(text)) hits.push({ offset: m.index, key, what });
    }
  }
  return hits;
}

/** `node` without parentheses, type assertions, `as const`, `satisfies` and `!`. */
function bare(node: ts.Expression): ts.Expression {
  let e = node;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) {
    e = e.expression;
  }
  return e;
}

const isConstDeclaration = (d: ts.Declaration | undefined): d is ts.VariableDeclaration =>
  d !== undefined && ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) && d.initializer !== undefined && (ts.getCombinedNodeFlags(d) & ts.NodeFlags.Const) !== 0;

/** A symbol with its import and re-export aliases resolved. */
function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The string a key argument always has: a literal, a template without substitutions, or a `const` holding one. */
function constantString(checker: ts.TypeChecker, node: ts.Expression, depth = 0): string | undefined {
  const e = bare(node);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (!ts.isIdentifier(e) || depth > 8) return undefined;
  const declaration = resolveAlias(checker, checker.getSymbolAtLocation(e))?.valueDeclaration;
  return isConstDeclaration(declaration) ? constantString(checker, declaration.initializer as ts.Expression, depth + 1) : undefined;
}

/** The function a call's callee is, through aliases, namespaces and `const f = getAccount`. */
function calleeSymbol(checker: ts.TypeChecker, callee: ts.Expression): ts.Symbol | undefined {
  let e = bare(callee);
  for (let depth = 0; depth < 8; depth++) {
    const at = ts.isPropertyAccessExpression(e) ? e.name : e;
    const symbol = resolveAlias(checker, checker.getSymbolAtLocation(at));
    const declaration = symbol?.valueDeclaration;
    if (!isConstDeclaration(declaration)) return symbol;
    const init = bare(declaration.initializer as ts.Expression);
    if (!ts.isIdentifier(init) && !ts.isPropertyAccessExpression(init)) return symbol;
    e = init;
  }
  return undefined;
}

/** A workspace package: its name and folder. */
interface WorkspacePackage {
  readonly name: string;
  readonly root: string;
}

/** The workspace's npm packages (projects with a package.json), which bare imports resolve to (as npm's workspace links do). */
function workspacePackages(tree: Tree): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  for (const [, config] of getProjects(tree)) {
    const text = tree.read(`${config.root}/package.json`, 'utf-8');
    if (text === null || config.root === '.' || config.root === '') continue;
    try {
      const name = (JSON.parse(text) as { name?: unknown }).name;
      if (typeof name === 'string') found.push({ name, root: config.root });
    } catch {
      // A package.json that does not parse names no package; npm would refuse it anyway.
    }
  }
  return found;
}

/** A root that cannot clash with a real one: the program's paths are this plus the tree's paths. */
const PROGRAM_ROOT = '/__trustline_workspace__';

/**
 * Registry lookups of `keys` in `files` (see the module comment), with a TypeScript program over `files`
 * read from `tree`. Bare imports resolve to the workspace's packages; other packages (Pulumi, the AWS SDK)
 * are not loaded: they cannot call this workspace's registry, and leaving them out keeps the program to
 * the workspace's own code.
 */
function lookupReferences(tree: Tree, files: readonly string[], allCode: readonly string[], keys: ReadonlySet<string>): AccountReference[] {
  const abs = (rel: string) => `${PROGRAM_ROOT}/${rel}`;
  const rel = (file: string): string | undefined => (file.startsWith(`${PROGRAM_ROOT}/`) ? file.slice(PROGRAM_ROOT.length + 1) : undefined);
  const isFile = (file: string) => {
    const r = rel(file);
    return r !== undefined && tree.exists(r) && tree.isFile(r);
  };
  const readFile = (file: string) => {
    const r = rel(file);
    return r === undefined ? undefined : (tree.read(r, 'utf-8') ?? undefined);
  };
  const resolutionHost: ts.ModuleResolutionHost = {
    fileExists: isFile,
    readFile,
    directoryExists: (dir) => {
      const r = dir === PROGRAM_ROOT ? '' : rel(dir);
      return r !== undefined && (r === '' || (tree.exists(r) && !tree.isFile(r)));
    },
    realpath: (p) => p,
    getCurrentDirectory: () => PROGRAM_ROOT,
  };
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: false,
    noLib: true,
    noEmit: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
  };
  const packages = workspacePackages(tree);
  const resolutions = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
  const resolve = (name: string, containingFile: string): ts.ResolvedModuleWithFailedLookupLocations => {
    let target: string | undefined;
    if (ts.isExternalModuleNameRelative(name)) target = name;
    else {
      const pkg = packages.find((p) => name === p.name || name.startsWith(`${p.name}/`));
      if (pkg) target = abs(pkg.root) + name.slice(pkg.name.length);
    }
    if (target === undefined) return { resolvedModule: undefined };
    // Every account project imports the same packages: resolved once per folder and name.
    const cacheKey = `${path.posix.dirname(containingFile)}\0${target}`;
    let resolved = resolutions.get(cacheKey);
    if (resolved === undefined) {
      resolved = ts.resolveModuleName(target, containingFile, options, resolutionHost);
      resolutions.set(cacheKey, resolved);
    }
    return resolved;
  };
  const host: ts.CompilerHost = {
    ...resolutionHost,
    getSourceFile: (file, languageVersion) => {
      const text = readFile(file);
      return text === undefined ? undefined : ts.createSourceFile(file, text, languageVersion, true);
    },
    getCurrentDirectory: () => PROGRAM_ROOT,
    getDefaultLibFileName: () => `${PROGRAM_ROOT}/lib.d.ts`,
    writeFile: () => undefined,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    resolveModuleNameLiterals: (literals, containingFile) => literals.map((l) => resolve(l.text, containingFile)),
  };

  const registry = resolve(REGISTRY_PACKAGE, abs('package.json')).resolvedModule?.resolvedFileName;
  // Without the registry's source in the workspace, no call can resolve to it.
  if (registry === undefined) return [];

  // Only files that can hold such a call go into the program: a constant key is written as a string
  // literal somewhere, and a call elsewhere reaches that literal through imports (a `const` imported, or
  // re-exported, from the file that writes it). So: the files whose text holds a key as a literal, and
  // the files that import them, transitively, found with TypeScript's import scanner (no parse, no checker).
  const literals = [...keys].flatMap((k) => [`'${k}'`, `"${k}"`, `\`${k}\``]);
  const importers = new Map<string, string[]>();
  const reached: string[] = [];
  for (const file of allCode) {
    const text = tree.read(file, 'utf-8');
    if (text === null) continue;
    if (literals.some((l) => text.includes(l))) reached.push(file);
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      const target = resolve(imported.fileName, abs(file)).resolvedModule?.resolvedFileName;
      const r = target === undefined ? undefined : rel(target);
      if (r !== undefined) importers.set(r, [...(importers.get(r) ?? []), file]);
    }
  }
  const candidates = new Set(reached);
  for (let i = 0; i < reached.length; i++) {
    for (const importer of importers.get(reached[i]) ?? []) {
      if (!candidates.has(importer)) {
        candidates.add(importer);
        reached.push(importer);
      }
    }
  }
  const roots = files.filter((f) => candidates.has(f));
  if (roots.length === 0) return [];
  const program = ts.createProgram({ rootNames: [registry, ...roots.map(abs)], options, host });
  const checker = program.getTypeChecker();

  // The registry's exported functions that take an account key, and that parameter's position.
  const lookups = new Map<ts.Symbol, { name: string; index: number }>();
  const entry = program.getSourceFile(registry);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  for (const exported of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
    const symbol = resolveAlias(checker, exported);
    const d = symbol?.valueDeclaration;
    const fn = d && (ts.isFunctionDeclaration(d) ? d : isConstDeclaration(d) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer)) ? d.initializer : undefined);
    const index = fn ? fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && ACCOUNT_KEY_PARAMETERS.has(p.name.text)) : -1;
    if (symbol && index >= 0) lookups.set(symbol, { name: exported.name, index });
  }
  const positions = new Set([...lookups.values()].map((l) => l.index));

  const found: AccountReference[] = [];
  for (const file of roots) {
    const source = program.getSourceFile(abs(file));
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        for (const index of positions) {
          const arg = node.arguments[index];
          const key = arg && !ts.isSpreadElement(arg) ? constantString(checker, arg) : undefined;
          if (key === undefined || !keys.has(key)) continue;
          const symbol = calleeSymbol(checker, node.expression);
          const lookup = symbol && lookups.get(symbol);
          if (lookup?.index !== index) continue;
          const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
          found.push({ key, file, line: line + 1, column: character + 1, what: `looks up account "${key}" with ${REGISTRY_PACKAGE}'s ${lookup.name}`, text: clip(node.getText(source)) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * Every reference to the `accounts` about to go, outside `skipRoots` (the folders that go with them), in
 * file, line and column order. See the module comment for what counts.
 */
export function findAccountReferences(tree: Tree, accounts: readonly RemovedAccount[], skipRoots: readonly string[]): AccountReference[] {
  if (accounts.length === 0) return [];
  const keys = new Set(accounts.map((a) => a.key));
  const projects = [...getProjects(tree)];
  const accountPrograms = projects.filter(([, c]) => c.tags?.includes(ACCOUNT_SCOPE_TAG) && c.root !== '.' && c.root !== '').map(([, c]) => c.root);
  const defaults = templateTargets();
  const targets = new Map<string, readonly string[]>();
  const targetsOf = (key: string): readonly string[] => {
    let t = targets.get(key);
    if (t === undefined) {
      const own = projects.find(([name]) => name === key)?.[1].targets ?? {};
      t = [...new Set([...defaults, ...Object.keys(own)])];
      targets.set(key, t);
    }
    return t;
  };

  const all = workspaceFiles(tree);
  const isCode = (f: string) => CODE.test(f) && !DECLARATION.test(f);
  const searched = all.filter((f) => !NOT_SEARCHED.test(f) && !MARKDOWN.test(f) && !under(f, skipRoots));
  const found = lookupReferences(tree, searched.filter(isCode), all.filter(isCode), keys);
  for (const file of searched) {
    const code = CODE.test(file);
    if (!code && !TEXT.test(file) && !SEARCHED_FOLDERS.test(file)) continue;
    const raw = tree.read(file, 'utf-8');
    if (raw === null || raw.includes('\0')) continue;
    const text = code ? stripComments(raw) : /\.(ya?ml|(ba|z)?sh)$/.test(file) ? stripHashComments(raw) : raw;
    const hits = [...nxCommandHits(text, keys, targetsOf), ...nameHits(text, accounts, under(file, accountPrograms))];
    for (const hit of hits) {
      found.push({ key: hit.key, file, ...position(text, hit.offset), what: hit.what, text: lineAt(raw, hit.offset) });
    }
  }
  const seen = new Set<string>();
  return found
    .filter((r) => {
      const id = `${r.file}:${r.line}:${r.column}:${r.what}`;
      return !seen.has(id) && (seen.add(id), true);
    })
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
