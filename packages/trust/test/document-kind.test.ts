// policyDocumentKind: telling a lone trust policy from an identity policy.
import { describe, expect, it } from 'vitest';
import { policyDocumentKind } from '../src';

const ANY = { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' };

describe('policyDocumentKind: a lone document is a trust policy when it names a principal or grants a trust action', () => {
  it.each([
    ['Principal in a statement', { Statement: [ANY] }, 'trust'],
    ['NotPrincipal in a single statement object', { Statement: { Effect: 'Allow', NotPrincipal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' } }, 'trust'],
    ['Principal nested one list deeper', { Statement: [[ANY]] }, 'trust'],
    ['principal in another letter case', { Statement: [{ Effect: 'Allow', principal: '*', Action: 'sts:AssumeRole' }] }, 'trust'],
    ['sts:AssumeRole without Resource or Principal', { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, 'trust'],
    ['sts:TagSession without Resource', { Statement: [{ Effect: 'Allow', Action: ['sts:TagSession'] }] }, 'trust'],
    ['sts:SetSourceIdentity without Resource', { Statement: [{ Effect: 'Allow', Action: 'sts:SetSourceIdentity' }] }, 'trust'],
    ['sts:* without Resource', { Statement: [{ Effect: 'Allow', Action: 'sts:*' }] }, 'trust'],
    ['* without Resource', { Statement: [{ Effect: 'Allow', Action: '*' }] }, 'trust'],
    ['NotAction without Resource', { Statement: [{ Effect: 'Allow', NotAction: 's3:*' }] }, 'trust'],
    ['JSON text with a principal', JSON.stringify({ Statement: [ANY] }), 'trust'],
    ['text that is not JSON (the trust analyzer reports it)', '{"Statement": [', 'trust'],
    ['sts:AssumeRole on a Resource (an identity policy)', { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }, 'identity'],
    ['s3 actions', { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }, 'identity'],
    ['an empty statement list', { Statement: [] }, 'identity'],
    ['an empty statement', { Statement: [{}] }, 'identity'],
  ])('%s: %s', (_name, doc, kind) => {
    expect(policyDocumentKind(doc)).toBe(kind);
  });

  it('reads a deeply nested document without overflowing the stack', () => {
    let deep: unknown = ANY;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(policyDocumentKind({ Statement: deep })).toBe('trust');
  });
});
