import { describe, expect, it, vi } from 'vitest';
import { sampleRegistry } from '../../test/fixtures';
import { buildTrustPolicy, trustContextFromRegistry } from './build-trust-policy';

// The builder's own checks are stricter than the analyzer's mandatory rules, so no real spec reaches
// this path; the mock shows that a mandatory finding, should one appear, refuses the document.
vi.mock('./analyzer-guard', () => ({
  checkWithAnalyzer: () => ['trust-any-principal: first finding.', 'trust-untrusted-account: second finding.'],
}));

describe('buildTrustPolicy with mandatory analyzer findings', () => {
  it('refuses the document, listing every finding message', () => {
    const context = trustContextFromRegistry(sampleRegistry(), 'CrossAccountRole "x"');
    expect(() => buildTrustPolicy({ trustedRoleArns: ['arn:aws:iam::012345678901:role/trustline-hub'] }, context)).toThrowError(
      'CrossAccountRole "x": the trust policy was refused with 2 problems:\n  - trust-any-principal: first finding.\n  - trust-untrusted-account: second finding.',
    );
  });
});
