/**
 * Throughput of analyzeTrustPolicy against JSON.parse on the same 100,000 trust policies.
 * Run: `npm run bench` (tsx packages/trust/bench/analyzer.bench.ts). Not a test: it only prints figures.
 * Goal: >= 100,000 docs/s on one core, and analysis <= 5x the cost of JSON.parse alone.
 */
import { performance } from 'node:perf_hooks';
import { analyzeTrustPolicy } from '../src';
import { CONFIG } from '../test/sample-config';

const DOCS = 100_000;
const ROUNDS = 7;

/** mulberry32: a tiny deterministic PRNG, so every run judges the same corpus. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(20240601);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const trusted = CONFIG.trustedAccounts;
const account = () => (rand() < 0.7 ? pick(trusted) : String(100000000000 + Math.floor(rand() * 899999999999)));
const roleName = () => pick(['deploy', 'trustline-hub', 'ci/github-actions-deploy', 'readonly', 'admin', `svc-${Math.floor(rand() * 500)}`]);
const role = () => `arn:${pick(['aws', 'aws', 'aws', 'aws-us-gov', 'aws-cn'])}:iam::${account()}:role/${roleName()}`;
const repo = () => pick(['acme/infra', 'acme/app', 'acme/payments', `acme/svc-${Math.floor(rand() * 200)}`]);

type S = Record<string, unknown>;
const allow = (Principal: unknown, Action: unknown = 'sts:AssumeRole', Condition?: S): S => ({ Effect: 'Allow', Principal, Action, ...(Condition && { Condition }) });

const shapes: (() => S | S[])[] = [
  () => allow({ AWS: role() }),
  () => allow({ AWS: [role(), role(), role()] }, ['sts:AssumeRole', 'sts:TagSession']),
  () => allow({ AWS: '*' }, 'sts:AssumeRole', { StringEquals: { 'aws:PrincipalOrgID': pick(['o-exampleorg01', 'o-otherorg999']) } }),
  () => allow({ AWS: '*' }, 'sts:AssumeRole', { [pick(['StringLike', 'StringEqualsIfExists', 'ForAllValues:StringEquals'])]: { 'aws:PrincipalOrgID': pick(['o-*', 'o-exampleorg01']) } }),
  () => allow({ AWS: `arn:aws:iam::${account()}:root` }, 'sts:AssumeRole', rand() < 0.5 ? { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${pick(trusted)}:role/deploy-*` } } : undefined),
  () => allow({ AWS: 'arn:aws:iam::999999999999:root' }, 'sts:AssumeRole', rand() < 0.7 ? { StringEquals: { 'sts:ExternalId': `ext-${Math.floor(rand() * 1e9)}` } } : undefined),
  () => [
    allow({ Federated: `arn:aws:iam::${pick(trusted)}:oidc-provider/token.actions.githubusercontent.com` }, 'sts:AssumeRoleWithWebIdentity', {
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': pick([`repo:${repo()}:*`, `repo:${repo()}:ref:refs/heads/main`, 'repo:acme*', 'repo:*/infra:*', [`repo:${repo()}:*`, `repo:${repo()}:environment:prod`]]) },
    }),
  ],
  () => allow({ Service: pick(['events.amazonaws.com', 'lambda.amazonaws.com', 'ec2.amazonaws.com', 'sns.amazonaws.com', 'scheduler.amazonaws.com']) }, 'sts:AssumeRole', rand() < 0.5 ? { StringEquals: { 'aws:SourceAccount': pick(trusted) } } : undefined),
  () => [{ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-exampleorg01' } } }, allow({ AWS: '*' })],
  () => allow({ Federated: `arn:aws:iam::${pick(trusted)}:saml-provider/okta` }, ['sts:AssumeRoleWithSAML', 'sts:TagSession'], rand() < 0.8 ? { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } : undefined),
  () => allow({ AWS: pick(['*', 'arn:aws:iam::*:root', `arn:aws:iam::${account()}:role/deploy-*`, 'arn:aws:iam::<Source_Account_ID>:root']) }, pick(['sts:AssumeRole', 'sts:*', '*', ['sts:AssumeRole', 'sts:TagSession']])),
  () => allow({ Federated: `arn:aws:iam::${pick(trusted)}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/${Math.floor(rand() * 1e6).toString(16).toUpperCase()}` }, 'sts:AssumeRoleWithWebIdentity', {
    StringEquals: { [`oidc.eks.eu-west-1.amazonaws.com/id/X:sub`]: `system:serviceaccount:${pick(['payments', 'web', '*'])}:api`, 'oidc.eks.eu-west-1.amazonaws.com/id/X:aud': 'sts.amazonaws.com' },
  }),
];

function makeDoc(): string {
  const n = 1 + Math.floor(rand() * 3);
  const statements: S[] = [];
  for (let i = 0; i < n; i++) {
    const s = pick(shapes)();
    if (Array.isArray(s)) statements.push(...s);
    else statements.push(rand() < 0.2 ? { Sid: `S${i}`, ...s } : s);
  }
  const version = rand() < 0.02 ? '2012–10–17' : '2012-10-17';
  const doc = { Version: version, Statement: statements.length === 1 && rand() < 0.5 ? statements[0] : statements };
  return rand() < 0.3 ? JSON.stringify(doc, null, 2) : JSON.stringify(doc);
}

const corpus: string[] = new Array<string>(DOCS);
for (let i = 0; i < DOCS; i++) corpus[i] = makeDoc();
const bytes = corpus.reduce((n, s) => n + s.length, 0);

let sink = 0;
function parseAll(): number {
  const t = performance.now();
  for (let i = 0; i < corpus.length; i++) {
    const v = JSON.parse(corpus[i]) as { Statement: unknown };
    if (v.Statement !== undefined) sink++;
  }
  return performance.now() - t;
}
function analyzeAll(): number {
  const t = performance.now();
  for (let i = 0; i < corpus.length; i++) sink += analyzeTrustPolicy(corpus[i], CONFIG).length;
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Warm-up: let the JIT settle on both loops before measuring.
parseAll();
analyzeAll();
const parseMs: number[] = [];
const analyzeMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  parseMs.push(parseAll());
  analyzeMs.push(analyzeAll());
}
const p = median(parseMs);
const a = median(analyzeMs);

const counts = new Map<string, number>();
for (const s of corpus) for (const f of analyzeTrustPolicy(s, CONFIG)) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`corpus: ${fmt(DOCS)} trust policies, ${fmt(bytes / DOCS)} bytes on average; ${ROUNDS} rounds after warm-up, median shown (node ${process.version})`);
console.log(`JSON.parse:         ${fmt((DOCS / p) * 1000)} docs/s, ${fmt((p * 1e6) / DOCS)} ns/doc`);
console.log(`analyzeTrustPolicy: ${fmt((DOCS / a) * 1000)} docs/s, ${fmt((a * 1e6) / DOCS)} ns/doc (includes parsing the string)`);
console.log(`ratio analysis / JSON.parse: ${(a / p).toFixed(2)}x`);
console.log(`goal: >= 100,000 docs/s on one core: ${(DOCS / a) * 1000 >= 100_000 ? 'met' : 'NOT met'}; ratio <= 5x: ${a / p <= 5 ? 'met' : 'NOT met'}`);
console.log(`findings per rule: ${[...counts].sort((x, y) => y[1] - x[1]).map(([r, n]) => `${r} ${fmt(n)}`).join(', ')}`);
if (sink === -1) console.log('unreachable');
