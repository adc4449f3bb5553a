/**
 * A resource without `{ provider }`, run as the language host runs it: with `pulumi:disable-default-providers`
 * in the stack file the engine refuses the registration and the program fails; with no stack file the engine
 * quietly uses a default provider (the engine reads stack config only from Pulumi.<stack>.yaml).
 * Follows pkg/resource/deploy/source_eval.go (defaultProviders), step.go and providers/provider.go DefaultName.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProgram, runProgram } from '../src';

const fixture = path.join(__dirname, 'fixtures', 'no-provider');
const awsVersion = (JSON.parse(fs.readFileSync(require.resolve('@pulumi/aws/package.json'), 'utf8')) as { version: string }).version;
const defaultName = `default_${awsVersion.split(/[.-]/).slice(0, 3).join('_')}`;

describe('default providers (source_eval.go, step.go)', () => {
  it('with pulumi:disable-default-providers in Pulumi.<stack>.yaml the registration is refused and the program exits non-zero', async () => {
    const run = await runProgram(loadProgram(fixture, 'guarded'), true);
    expect(run.exitCode).not.toBe(0);
    expect(run.monitor.errors).toEqual([
      `Default provider for '${defaultName}' disabled. 'urn:pulumi:guarded::no-provider::aws:s3/bucket:Bucket::forgot-provider' must use an explicit provider.`,
    ]);
    expect(run.monitor.resources.map((r) => r.type)).toEqual(['pulumi:pulumi:Stack']);
  });

  it('without a stack file nothing disables it: the bucket gets the default AWS provider and the program exits 0', async () => {
    const run = await runProgram(loadProgram(fixture, 'no-stack-file'), true);
    expect(run.exitCode, run.stderr).toBe(0);
    const bucket = run.monitor.resources.find((r) => r.type === 'aws:s3/bucket:Bucket');
    expect(bucket?.provider).toMatch(new RegExp(`^urn:pulumi:no-stack-file::no-provider::pulumi:providers:aws::${defaultName}::`));
  });

  it('with the setting as project-level config in Pulumi.yaml (what our projects do) the guard holds even without a stack file', async () => {
    const project = path.join(__dirname, 'fixtures', 'project-guard');
    expect(fs.existsSync(path.join(project, 'Pulumi.no-stack-file.yaml'))).toBe(false);
    const run = await runProgram(loadProgram(project, 'no-stack-file'), true);
    expect(run.exitCode).not.toBe(0);
    expect(run.monitor.errors).toEqual([
      `Default provider for '${defaultName}' disabled. 'urn:pulumi:no-stack-file::project-guard::aws:s3/bucket:Bucket::forgot-provider' must use an explicit provider.`,
    ]);
  });
});
