/**
 * The real-world corpus: trust policies found in public repositories and vendors' documentation, stored
 * as data (one JSON file per source family, see README.md beside this file) with their source, what was
 * substituted, the expected verdict and a reason. Used by `corpus.test.ts` and `bench/corpus.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type Finding, type RuleId, type TrustGuardConfig } from '../../src';

export interface CorpusSource {
  /** GitHub `owner/name`, with `path` (and `commit` where known). */
  readonly repository?: string;
  readonly path?: string;
  readonly commit?: string;
  /** A documentation page, gist or pull request. */
  readonly url?: string;
}

export interface CorpusEntry {
  readonly id: string;
  readonly source: CorpusSource;
  /** How the policy was written where it was found (terraform-template, cloudformation-yaml, cdk, doc, ...). */
  readonly form: string;
  /** Variables and placeholders replaced by the test registry's ids, or "nothing". */
  readonly substituted: string;
  /** Anything else that differs from the source, and why. */
  readonly changed?: string;
  /** The trust policy: a JSON object, or JSON text when the text itself is the point (broken JSON). */
  readonly policy: unknown;
  /** broad = at least one mandatory finding; fine = none. */
  readonly verdict: 'broad' | 'fine';
  /** Exactly the rule ids of the mandatory findings expected (empty for fine). */
  readonly rules: readonly RuleId[];
  /** Exactly the rule ids of the advisory or informational findings expected. */
  readonly advisory: readonly RuleId[];
  readonly reason: string;
  /** The file the entry came from (filled in by the loader). */
  readonly file: string;
}

const DIR = __dirname;

/** Every entry of every `*.json` file in this folder, in file order. */
export function loadCorpus(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { entries: Omit<CorpusEntry, 'file'>[] };
    for (const e of data.entries) out.push({ ...e, file });
  }
  return out;
}

/**
 * The test registry the corpus is judged against: the sample registry's accounts and organization
 * (packages/registry/fixtures/sample-accounts.json), plus the vendors whose documented policies are in
 * the corpus. Spacelift declares the ExternalId patterns its documentation describes.
 */
export const CORPUS_CONFIG: TrustGuardConfig = parseConfig(
  {
    trustedAccounts: ['012345678901', '111111111111', '222222222222', '333333333333'],
    organizationId: 'o-exampleorg01',
    externalAccounts: [
      { accountId: '999999999999', name: 'example-monitoring-vendor' },
      { accountId: '464622532012', name: 'Datadog' },
      { accountId: '324880187172', name: 'Spacelift', externalIdPatterns: ['acme@*', 'acme-github@*'] },
      { accountId: '601538168777', name: 'Ory Network' },
      { accountId: '565881507882', name: 'Svix' },
    ],
  },
  'corpus config',
);

export interface Judgement {
  readonly entry: CorpusEntry;
  readonly findings: readonly Finding[];
  /** Sorted, distinct rule ids of mandatory findings. */
  readonly mandatory: RuleId[];
  /** Sorted, distinct rule ids of advisory and informational findings. */
  readonly advisory: RuleId[];
}

const distinct = (ids: RuleId[]): RuleId[] => [...new Set(ids)].sort();

export function judge(entry: CorpusEntry, analyze: (doc: unknown, config: TrustGuardConfig) => Finding[]): Judgement {
  const findings = analyze(entry.policy, CORPUS_CONFIG);
  return {
    entry,
    findings,
    mandatory: distinct(findings.filter((f) => f.severity === 'mandatory').map((f) => f.ruleId)),
    advisory: distinct(findings.filter((f) => f.severity !== 'mandatory').map((f) => f.ruleId)),
  };
}

export interface Scores {
  readonly total: number;
  readonly broad: number;
  readonly fine: number;
  /** Labelled broad, at least one mandatory finding. */
  readonly truePositives: number;
  /** Labelled fine, at least one mandatory finding. */
  readonly falsePositives: number;
  /** Labelled broad, no mandatory finding. */
  readonly falseNegatives: number;
  readonly trueNegatives: number;
  readonly precision: number;
  readonly recall: number;
  /** Broad entries whose mandatory rule ids are exactly the labelled ones. */
  readonly ruleMatches: number;
  readonly disagreements: readonly Judgement[];
}

/** Precision and recall of "at least one mandatory finding" against the labels. */
export function score(judgements: readonly Judgement[]): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let ruleMatches = 0;
  const disagreements: Judgement[] = [];
  for (const j of judgements) {
    const flagged = j.mandatory.length > 0;
    const broad = j.entry.verdict === 'broad';
    if (broad && flagged) tp++;
    else if (!broad && flagged) fp++;
    else if (broad) fn++;
    else tn++;
    const rulesAgree = j.mandatory.join() === [...j.entry.rules].sort().join();
    if (broad && flagged && rulesAgree) ruleMatches++;
    if (broad !== flagged || !rulesAgree || j.advisory.join() !== [...j.entry.advisory].sort().join()) disagreements.push(j);
  }
  return {
    total: judgements.length,
    broad: tp + fn,
    fine: fp + tn,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    ruleMatches,
    disagreements,
  };
}
