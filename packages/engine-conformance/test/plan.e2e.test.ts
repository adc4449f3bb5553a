/**
 * Which programs the suite runs and which it proves identical (src/distinct.ts), on temporary workspaces
 * built from the frozen sample registry. No program runs here: these tests check the plan itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPrograms, summarizePlan, type ProjectPlan } from '../src';
import { conformanceWorkspace } from './conformance-workspace';

const runOf = (plans: readonly ProjectPlan[]) => plans.filter((p) => p.role !== 'identical');
const provenOf = (plans: readonly ProjectPlan[]) => plans.filter((p) => p.role === 'identical').map((p) => p.project);

let ws: string;
let sample: ProjectPlan[];
beforeAll(async () => {
  ws = await conformanceWorkspace(0, false);
  sample = planPrograms(ws);
});
afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));

describe('on the sample organization', () => {
  it('runs the access program and one template; proves the other generated projects identical', () => {
    expect(sample.map((p) => [p.project, p.role, p.stacks])).toEqual([
      ['access', 'access', ['identity']],
      ['dev', 'template', ['dev']],
      ['prod', 'identical', ['prod']],
      ['test', 'identical', ['test']],
    ]);
    expect(summarizePlan(sample)).toContain('2 program(s) run through the language host, 2 proven identical');
  });
});

describe('N template-identical accounts add no program runs', () => {
  it('five accounts onboarded by the generator are all proven identical; the programs run stay those of the sample', async () => {
    const copy = await conformanceWorkspace(5, false);
    try {
      const plans = planPrograms(copy);
      console.log(summarizePlan(plans));
      expect(runOf(plans).length).toBe(runOf(sample).length);
      expect(runOf(plans).flatMap((p) => p.stacks).length).toBe(runOf(sample).flatMap((p) => p.stacks).length);
      // The template is the first identical project by name; acct-0001 sorts before dev.
      expect(runOf(plans).map((p) => p.project)).toEqual(['access', 'acct-0001']);
      expect(provenOf(plans)).toEqual(['acct-0002', 'acct-0003', 'acct-0004', 'acct-0005', 'dev', 'prod', 'test']);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('a project that differs from its rendering keeps its full run, and the plan says why', () => {
  /** Each case changes projects/test of a fresh copy of the sample workspace. */
  const cases: { name: string; change: (dir: string, ws: string) => void; reason: string }[] = [
    { name: 'a hand-edited index.ts', change: (d) => fs.appendFileSync(path.join(d, 'index.ts'), '\nexport const extra = 1;\n'), reason: 'edited index.ts' },
    { name: 'another region in the stack file', change: (d) => fs.writeFileSync(path.join(d, 'Pulumi.test.yaml'), fs.readFileSync(path.join(d, 'Pulumi.test.yaml'), 'utf8').replace(/aws:region: \S+/, 'aws:region: ap-south-1')), reason: 'edited Pulumi.test.yaml' },
    { name: 'an edited tsconfig.json', change: (d) => fs.writeFileSync(path.join(d, 'tsconfig.json'), fs.readFileSync(path.join(d, 'tsconfig.json'), 'utf8').replace('"strict": true', '"strict": false')), reason: 'edited tsconfig.json' },
    { name: 'an added module', change: (d) => fs.writeFileSync(path.join(d, 'extra.ts'), 'export const x = 1;\n'), reason: 'not rendered by the generator: extra.ts' },
    { name: 'a second stack file', change: (d) => fs.writeFileSync(path.join(d, 'Pulumi.other.yaml'), 'config: {}\n'), reason: 'not rendered by the generator: Pulumi.other.yaml' },
    { name: 'a removed package.json', change: (d) => fs.rmSync(path.join(d, 'package.json')), reason: 'missing package.json' },
    // The comparison is per account: dev's files are a valid project, but not what the generator renders for test.
    {
      name: "another account's files",
      change: (d, w) => {
        for (const f of ['index.ts', 'index.test.ts', 'Pulumi.yaml']) fs.copyFileSync(path.join(w, 'projects', 'dev', f), path.join(d, f));
      },
      reason: 'edited Pulumi.yaml, index.test.ts, index.ts',
    },
  ];

  it.each(cases)('$name', async ({ change, reason }) => {
    const copy = await conformanceWorkspace(0, false);
    try {
      change(path.join(copy, 'projects', 'test'), copy);
      const plans = planPrograms(copy);
      expect(plans.find((p) => p.project === 'test')).toMatchObject({ role: 'differs', reason: `differs from what the account generator renders for "test": ${reason}` });
      expect(provenOf(plans)).toEqual(['prod']);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});
