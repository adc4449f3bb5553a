import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Position } from '@trustline/json';
import { PATH_RULE_IDS, PATH_RULE_LIST, type PathFinding, type PathRuleInfo, type SnapshotLocation } from '@trustline/paths';
import { RULE_IDS, RULES, type RuleId, type Severity } from '@trustline/trust';
import { resourcePolicies, stackPolicies, type LocatedFinding, type Report, type Subject } from '@trustline/trust-guard';
import { version } from '../../package.json';
import { locateFinding } from '../inputs/locate';
import { STDIN, type InputRead } from '../inputs/read';
import type { PathsReport } from './paths-report';
import { type ReadError } from './report';

/** The SARIF version written; https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html */
export const SARIF_VERSION = '2.1.0';
const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * trust-guard's documentation on GitHub: the SARIF tool's `informationUri`, and with {@link RULE_TABLE_ANCHOR}
 * every rule's `helpUri` (the rule table). A test checks that the path exists in this repository and that
 * the anchor is a heading of that README, above a table that lists every rule of `tool.driver.rules`.
 */
export const TRUST_GUARD_DOCS_URL = 'https://github.com/trustline/trustline/blob/main/policies/trust-guard/README.md';
/** GitHub's anchor of the README's "### Rules" heading. */
export const RULE_TABLE_ANCHOR = 'rules';

/** The base every relative artifact URI resolves against: the directory the command ran in. */
export const SRCROOT = '%SRCROOT%';

/** SARIF 3.27.10: mandatory fails the run (error), advisory warns, informational is a note. */
export const SARIF_LEVEL: Readonly<Record<Severity, Sarif.ReportingConfiguration.level>> = { mandatory: 'error', advisory: 'warning', informational: 'note' };

export interface SarifContext {
  /** The directory FILE arguments are relative to; artifact URIs are relative to it. */
  readonly cwd: string;
  /** Each FILE that was read, with its positions. */
  readonly inputs: ReadonlyMap<string, Extract<InputRead, { ok: true }>>;
  /** Every subject judged (to find each finding's document). */
  readonly subjects: readonly Subject[];
}

/**
 * `trust-guard check --format sarif`: one run; the tool's rules from the trust library's rule table; one
 * result per finding (exempted findings too, each with a `suppressions` entry giving the reason), with
 * the line and column of the principal or statement in the input file; unreadable files as
 * tool execution notifications. GitHub code scanning reads this with github/codeql-action/upload-sarif.
 */
export function renderSarif(report: Report, errors: readonly ReadError[], context: SarifContext): string {
  const rules = ruleTable();
  const ruleIndex = new Map<string, number>(rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = [];
  for (const file of report.files) {
    const input = context.inputs.get(file.file);
    for (const resource of file.resources) {
      const subjects = context.subjects.filter((s) => s.source === file.file && s.type === resource.type && s.name === resource.name && s.urn === resource.urn);
      const result = (finding: LocatedFinding, suppression?: Sarif.Suppression): Sarif.Result => {
        const at = input?.json ? locateFinding(input.json, subjects, finding, resource.urn) : undefined;
        return {
          ruleId: finding.ruleId,
          ruleIndex: ruleIndex.get(finding.ruleId),
          level: SARIF_LEVEL[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              ...(file.file === STDIN ? {} : { physicalLocation: physical(file.file, context.cwd, at) }),
              logicalLocations: [{ name: resource.name, fullyQualifiedName: `${resource.urn ?? resource.name}#${finding.location}`, kind: 'resource' }],
            },
          ],
          // The finding key is what an exemption names; with the resource it identifies the finding across runs.
          partialFingerprints: { 'findingKey/v1': finding.key, 'resourceFindingKey/v1': `${resource.urn ?? resource.name}|${finding.location}|${finding.key}` },
          ...(suppression ? { suppressions: [suppression] } : {}),
          properties: {
            severity: finding.severity,
            findingKey: finding.key,
            resourceType: resource.type,
            documentLocation: finding.location,
            statementIndex: finding.statementIndex,
            ...(finding.principal !== undefined ? { principal: finding.principal } : {}),
          },
        };
      };
      for (const f of resource.findings) results.push(result(f));
      for (const e of resource.exempted) {
        results.push(result(e.finding, { kind: 'external', status: 'accepted', justification: e.reason, ...(e.expires ? { properties: { expires: e.expires } } : {}) }));
      }
    }
  }
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: 'trust-guard', semanticVersion: version, informationUri: TRUST_GUARD_DOCS_URL, rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(`${path.resolve(context.cwd)}${path.sep}`).href } },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((e) => ({
              level: 'error',
              descriptor: { id: 'unreadable-input' },
              message: { text: `cannot read ${e.file === STDIN ? 'standard input' : e.file}: ${e.problem}.` },
              ...(e.file === STDIN ? {} : { locations: [{ physicalLocation: physical(e.file, context.cwd, e.position) }] }),
            })),
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * The whole rule table of the README: every trust rule (the trust library's `RULES`, in the rule list's
 * order), then the pack's provider and stack policies (their names, descriptions, enforcement and fixes).
 * `check` reports only the trust rules; the others are listed so the table is complete and a result of
 * any trust-guard run can name its rule.
 */
export function ruleTable(): Sarif.ReportingDescriptor[] {
  const ruleIds: readonly string[] = RULE_IDS;
  const policies = [...resourcePolicies, ...stackPolicies].filter((p) => !ruleIds.includes(p.name));
  return [
    ...RULE_IDS.map(rule),
    ...policies.map((p) =>
      descriptor(p.name, p.description, p.enforcementLevel === 'mandatory' ? 'mandatory' : 'advisory', p.remediationSteps ?? '', 'Reported by the policy pack and npm start (not by check).', ['security', 'pulumi-provider']),
    ),
  ];
}

/** A rule descriptor from the trust library's rule table (`RULES`): descriptions, help and default level. */
function rule(id: RuleId): Sarif.ReportingDescriptor {
  const info = RULES[id];
  const exemption = info.exemptable
    ? 'To accept one finding, add an exemption naming its key (the result\'s findingKey), with a reason and an optional expiry, to the trust-guard configuration; an unbounded "*" principal can never be exempted.'
    : 'No exemption can silence this rule.';
  const level = info.defaultEnforcement === 'disabled' ? 'informational' : info.defaultEnforcement;
  const d = descriptor(id, info.description, level, info.fix, `Each result's message names the principal and the fix. ${exemption}`, ['security', 'iam', id.startsWith('identity-') ? 'identity-policy' : 'trust-policy']);
  return { ...d, properties: { ...d.properties, exemptable: info.exemptable } };
}

/** One row of the rule table: descriptions, help with the fix, the link to the README's rule table, default level. */
function descriptor(id: string, description: string, enforcement: Severity, fix: string, note: string, tags: string[]): Sarif.ReportingDescriptor {
  return {
    id,
    name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: shortDescription(description) },
    fullDescription: { text: description },
    helpUri: `${TRUST_GUARD_DOCS_URL}#${RULE_TABLE_ANCHOR}`,
    help: {
      text: `${description} Default enforcement: ${enforcement}. Fix: ${fix} ${note}`,
      markdown: `${description}\n\nDefault enforcement: **${enforcement}**.\n\nFix: ${fix}\n\n${note}`,
    },
    defaultConfiguration: { level: SARIF_LEVEL[enforcement] },
    properties: { tags, defaultEnforcement: enforcement },
  };
}

/** The description up to its first clause break, so the short form reads as a title. */
function shortDescription(description: string): string {
  const cut = description.search(/: |, which |; /);
  const head = cut > 0 ? description.slice(0, cut) : description.replace(/\.$/, '');
  return `${head}.`;
}

/** The file as a URI relative to %SRCROOT% (the directory the command ran in), or absolute outside it. */
function physical(file: string, cwd: string, at: Pick<Position, 'line' | 'column'> | undefined): Sarif.PhysicalLocation {
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(path.resolve(cwd), absolute);
  const artifactLocation: Sarif.ArtifactLocation =
    relative === '' || relative.startsWith('..') || path.isAbsolute(relative)
      ? { uri: pathToFileURL(absolute).href }
      : { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  return { artifactLocation, ...(at ? { region: { startLine: at.line, startColumn: at.column } } : {}) };
}

export interface PathsSarifContext {
  readonly cwd: string;
  /** The file each account's IAM came from (a finding about a role points at its account's file). */
  readonly accountFiles: ReadonlyMap<string, string>;
  /** Where each role starts in its file: a result about a role points at its line. */
  readonly locations: ReadonlyMap<string, SnapshotLocation>;
}

/**
 * `trust-guard paths --format sarif`: one run through the same writer conventions as `check` (levels, URIs
 * relative to %SRCROOT%, fingerprints by finding key); the tool's rules are the path rules; one result per
 * finding (exempted ones with a suppression), located at the target role's entry in its account's snapshot
 * file (line and column) and, logically, at the target role; input problems as tool execution notifications with their line and column.
 */
export function renderPathsSarif(report: PathsReport, context: PathsSarifContext): string {
  const ids = PATH_RULE_IDS;
  const result = (finding: PathFinding, suppression?: Sarif.Suppression): Sarif.Result => {
    const account = finding.target === undefined ? undefined : /^arn:aws[\w-]*:iam::(\d{12}):/.exec(finding.target)?.[1];
    const at = finding.target === undefined ? undefined : context.locations.get(finding.target);
    const file = at?.file ?? (account === undefined ? undefined : context.accountFiles.get(account));
    return {
      ruleId: finding.ruleId,
      ruleIndex: ids.indexOf(finding.ruleId),
      level: SARIF_LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          ...(file !== undefined ? { physicalLocation: physical(file, context.cwd, at) } : {}),
          logicalLocations: [{ name: finding.target ?? finding.key, fullyQualifiedName: finding.target ?? finding.key, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'findingKey/v1': finding.key },
      ...(suppression ? { suppressions: [suppression] } : {}),
      properties: { severity: finding.severity, findingKey: finding.key, fix: finding.fix, ...(finding.path !== undefined ? { from: finding.path.from, hops: finding.path.hops, verdict: finding.path.verdict } : {}) },
    };
  };
  const results = [
    ...report.judgement.findings.map((f) => result(f)),
    ...report.judgement.exempted.map((e) => result(e.finding, { kind: 'external', status: 'accepted', justification: e.exemption.reason, ...(e.exemption.expires ? { properties: { expires: e.exemption.expires } } : {}) })),
  ];
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: 'trust-guard', semanticVersion: version, rules: PATH_RULE_LIST.map(pathRule) } },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(`${path.resolve(context.cwd)}${path.sep}`).href } },
        invocations: [
          {
            executionSuccessful: report.problems.length === 0,
            toolExecutionNotifications: report.problems.map((p) => ({
              level: 'error',
              descriptor: { id: 'unreadable-input' },
              message: { text: `${p.file}: ${p.message}` },
              locations: [{ physicalLocation: physical(p.file, context.cwd, p.line !== undefined ? { line: p.line, column: p.column ?? 1 } : undefined) }],
            })),
          },
        ],
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** A path rule as a SARIF rule descriptor (the trust rules' descriptors have the same shape). */
function pathRule(info: PathRuleInfo): Sarif.ReportingDescriptor {
  const level = SARIF_LEVEL[info.defaultEnforcement === 'disabled' ? 'informational' : info.defaultEnforcement];
  const exemption = 'To accept one finding, add an exemption naming its key (the result\'s findingKey), with a reason and an optional expiry, to the "paths" section of the trust-guard configuration.';
  return {
    id: info.id,
    name: info.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: shortDescription(info.description) },
    fullDescription: { text: info.description },
    help: { text: `${info.description} Default enforcement: ${info.defaultEnforcement}. ${info.fix} ${exemption}`, markdown: `${info.description}\n\nDefault enforcement: **${info.defaultEnforcement}**. ${info.fix}\n\n${exemption}` },
    defaultConfiguration: { level },
    properties: { tags: ['security', 'iam', 'access-path'], defaultEnforcement: info.defaultEnforcement, exemptable: true },
  };
}
