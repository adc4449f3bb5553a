import { describe, expect, it } from 'vitest';
import { newUrn, parseUrn, providerRefUrn } from '../src';

// Cases follow Pulumi's URN format, sdk/go/common/resource/urn/urn.go at v3.248.0: `urn:pulumi:<stack>::
// <project>::<qualified type>::<name>`, IsValid (prefix and at least three `::`), Type (after the last `$`),
// Name (everything after the third `::`) and New (qualify by the parent's type unless it is the root stack).
describe('parseUrn', () => {
  it.each([
    ['urn:pulumi:dev::dev::aws:s3/bucket:Bucket::b', { stack: 'dev', project: 'dev', qualifiedType: 'aws:s3/bucket:Bucket', type: 'aws:s3/bucket:Bucket', parentTypes: [], name: 'b' }],
    [
      'urn:pulumi:prod::acct::trustline:x:Baseline$aws:iam/role:Role::deploy',
      { stack: 'prod', project: 'acct', qualifiedType: 'trustline:x:Baseline$aws:iam/role:Role', type: 'aws:iam/role:Role', parentTypes: ['trustline:x:Baseline'], name: 'deploy' },
    ],
    [
      'urn:pulumi:s::p::a:b:Outer$x:y:Inner$aws:s3/bucket:Bucket::n',
      { stack: 's', project: 'p', qualifiedType: 'a:b:Outer$x:y:Inner$aws:s3/bucket:Bucket', type: 'aws:s3/bucket:Bucket', parentTypes: ['a:b:Outer', 'x:y:Inner'], name: 'n' },
    ],
    ['urn:pulumi:dev::dev::pulumi:providers:aws::default_7_0_0', { stack: 'dev', project: 'dev', qualifiedType: 'pulumi:providers:aws', type: 'pulumi:providers:aws', parentTypes: [], name: 'default_7_0_0' }],
    ['urn:pulumi:dev::dev::aws:s3/bucket:Bucket::a::b', { stack: 'dev', project: 'dev', qualifiedType: 'aws:s3/bucket:Bucket', type: 'aws:s3/bucket:Bucket', parentTypes: [], name: 'a::b' }],
    ['urn:pulumi:dev::dev::aws:s3/bucket:Bucket::', { stack: 'dev', project: 'dev', qualifiedType: 'aws:s3/bucket:Bucket', type: 'aws:s3/bucket:Bucket', parentTypes: [], name: '' }],
  ])('reads %s', (urn, parts) => {
    expect(parseUrn(urn)).toEqual(parts);
  });

  it.each([
    ['', 'empty'],
    ['urn:pulumi:dev::dev::aws:s3/bucket:Bucket', 'only two delimiters'],
    ['urn:other:dev::dev::aws:s3/bucket:Bucket::b', 'another namespace'],
    ['dev::dev::aws:s3/bucket:Bucket::b', 'no prefix'],
  ])('refuses %j (%s)', (urn) => {
    expect(parseUrn(urn)).toBeUndefined();
  });
});

describe('newUrn', () => {
  it.each([
    [undefined, 'urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b'],
    ['pulumi:pulumi:Stack', 'urn:pulumi:dev::proj::aws:s3/bucket:Bucket::b'],
    ['a:b:Outer$x:y:Inner', 'urn:pulumi:dev::proj::a:b:Outer$x:y:Inner$aws:s3/bucket:Bucket::b'],
  ])('under parent type %s', (parentType, expected) => {
    const urn = newUrn('dev', 'proj', parentType, 'aws:s3/bucket:Bucket', 'b');
    expect(urn).toBe(expected);
    expect(parseUrn(urn)?.type).toBe('aws:s3/bucket:Bucket');
  });
});

describe('providerRefUrn', () => {
  it.each([
    ['urn:pulumi:dev::dev::pulumi:providers:aws::p::04da6b54-80e4-46f7-96ec-b56ff0331ba9', 'urn:pulumi:dev::dev::pulumi:providers:aws::p'],
    ['urn:pulumi:dev::dev::pulumi:providers:aws::p::', 'urn:pulumi:dev::dev::pulumi:providers:aws::p'],
    ['no-delimiter', 'no-delimiter'],
  ])('%s', (ref, urn) => {
    expect(providerRefUrn(ref)).toBe(urn);
  });
});
