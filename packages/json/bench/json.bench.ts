/**
 * Speed of the strict reader against JSON.parse on the same text. Run: `npm run bench:json`
 * (tsx packages/json/bench/json.bench.ts). Not a test: it only prints figures.
 * Two corpora: 20,000 small trust policies (the analyzer's typical input, parsed one by one) and one
 * `pulumi preview --json`-shaped file of 2,000 steps (about 2 MB, what `trust-guard check` reads).
 */
import { performance } from 'node:perf_hooks';
import { parseJson, readJson } from '../src';

const ROUNDS = 7;

const policy = (i: number) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: `s${i}`,
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${String(100000000000 + i)}:role/deploy`, 'arn:aws:iam::012345678901:role/trustline-hub'] },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: { StringEquals: { 'sts:ExternalId': `ext-${i}`, 'aws:PrincipalOrgID': 'o-exampleorg01' } },
      },
    ],
  });
const small = Array.from({ length: 20_000 }, (_, i) => policy(i));
const preview = JSON.stringify(
  {
    steps: Array.from({ length: 2_000 }, (_, i) => ({
      op: 'create',
      urn: `urn:pulumi:dev::acct::aws:iam/role:Role::role-${i}`,
      newState: { type: 'aws:iam/role:Role', urn: `urn:pulumi:dev::acct::aws:iam/role:Role::role-${i}`, inputs: { name: `role-${i}`, assumeRolePolicy: policy(i), maxSessionDuration: 3600, tags: { team: 'platform', 'cost-center': `${i % 40}` } } },
    })),
  },
  null,
  2,
);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(run: () => void): number {
  const ms: number[] = [];
  run();
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

let sink = 0;
const keep = (v: unknown) => {
  if (v !== null && typeof v === 'object') sink++;
};

const corpora: [string, readonly string[]][] = [
  [`small trust policies (${small.length.toLocaleString('en-US')} docs, ${(small.reduce((n, s) => n + s.length, 0) / 1e6).toFixed(1)} MB)`, small],
  [`pulumi preview --json (1 file, ${(preview.length / 1e6).toFixed(1)} MB)`, [preview]],
];
for (const [name, corpus] of corpora) {
  const native = time(() => corpus.forEach((t) => keep(JSON.parse(t))));
  const strict = time(() => corpus.forEach((t) => keep(parseJson(t, { file: 'bench.json' }))));
  const located = time(() => corpus.forEach((t) => keep(readJson(t, { file: 'bench.json' }).value)));
  const mb = corpus.reduce((n, s) => n + s.length, 0) / 1e6;
  console.log(name);
  console.log(`  JSON.parse          ${native.toFixed(1).padStart(8)} ms  ${(mb / (native / 1000)).toFixed(0).padStart(5)} MB/s`);
  console.log(`  parseJson (strict)  ${strict.toFixed(1).padStart(8)} ms  ${(mb / (strict / 1000)).toFixed(0).padStart(5)} MB/s  ${(strict / native).toFixed(2)}x JSON.parse`);
  console.log(`  readJson (+places)  ${located.toFixed(1).padStart(8)} ms  ${(mb / (located / 1000)).toFixed(0).padStart(5)} MB/s  ${(located / native).toFixed(2)}x JSON.parse`);
}
console.log(`(median of ${ROUNDS} rounds after one warm-up; Node ${process.version}; ${sink > 0 ? 'results kept' : ''})`);
