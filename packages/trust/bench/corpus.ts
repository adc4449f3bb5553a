/**
 * Precision and recall of the analyzer over the real-world corpus (packages/trust/test/corpus/*.json).
 * Run: `npm run corpus` (tsx packages/trust/bench/corpus.ts). Positive = at least one mandatory finding.
 * `--analyzer <module>` judges with another build of the analyzer (a module exporting analyzeTrustPolicy),
 * e.g. an older checkout, to compare before and after a change. Not a test: it only prints figures.
 */
import { resolve } from 'node:path';
import { analyzeTrustPolicy as current, type Finding, type TrustGuardConfig } from '../src';
import { judge, loadCorpus, score } from '../test/corpus/corpus';

type Analyze = (doc: unknown, config: TrustGuardConfig) => Finding[];

async function main(): Promise<void> {
  const i = process.argv.indexOf('--analyzer');
  let analyze: Analyze = current;
  let label = 'packages/trust/src';
  if (i >= 0) {
    const path = process.argv[i + 1];
    if (path === undefined) throw new Error('--analyzer needs the path of a module that exports analyzeTrustPolicy.');
    const mod = (await import(resolve(path))) as { analyzeTrustPolicy?: Analyze };
    if (typeof mod.analyzeTrustPolicy !== 'function') throw new Error(`${path} does not export analyzeTrustPolicy.`);
    analyze = mod.analyzeTrustPolicy;
    label = path;
  }
  const corpus = loadCorpus();
  const s = score(corpus.map((e) => judge(e, analyze)));
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  const files = [...new Set(corpus.map((e) => e.file))];
  console.log(`analyzer: ${label}`);
  console.log(`corpus: ${s.total} trust policies (${s.broad} labelled broad, ${s.fine} fine) in ${files.length} files: ${files.join(', ')}`);
  console.log(`true positives ${s.truePositives}, false positives ${s.falsePositives}, false negatives ${s.falseNegatives}, true negatives ${s.trueNegatives}`);
  console.log(`precision ${pct(s.precision)} (${s.truePositives}/${s.truePositives + s.falsePositives}), recall ${pct(s.recall)} (${s.truePositives}/${s.truePositives + s.falseNegatives})`);
  console.log(`broad policies reported with exactly the labelled rule ids: ${s.ruleMatches}/${s.broad}`);
  for (const d of s.disagreements) {
    console.log(`  disagrees: ${d.entry.id} (${d.entry.file}) labelled ${d.entry.verdict} [${d.entry.rules.join(', ')}] advisory [${d.entry.advisory.join(', ')}]; analyzer mandatory [${d.mandatory.join(', ')}] advisory [${d.advisory.join(', ')}]`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});
