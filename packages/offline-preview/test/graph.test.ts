import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTrustGraph, renderDot, renderMermaid, replaceReadmeBlock, staleGraphFiles, writeGraphFiles } from '../src/graph';
import { REGISTRY, deployRole, stack } from './fixtures';

const openRole = {
  urn: 'urn:pulumi:dev::dev::aws:iam/role:Role::open',
  name: 'open',
  roleName: 'open',
  accountId: '111111111111',
  arn: 'arn:aws:iam::111111111111:role/open',
  edges: [{ principal: 'AWS::*', kind: 'any', accountId: null, actions: ['sts:AssumeRole'], conditions: [], broad: true, ruleIds: ['trust-any-principal'] }],
};
const devOnly = { stacks: [stack('dev', { roles: [openRole] })] };

describe('buildTrustGraph + renderMermaid', () => {
  it('draws principals -> roles -> accounts and the provider chain, broad edges thick and red, sorted', () => {
    expect(renderMermaid(buildTrustGraph(devOnly, REGISTRY))).toBe(
      [
        'flowchart LR',
        '  n1[/"stack dev/dev"/]',
        '  n2(["AWS *"])',
        '  n3["role open (111111111111)"]',
        '  n4["role trustline-deploy (111111111111)"]',
        '  n5["role trustline-hub (012345678901)"]',
        '  n6[("account dev (111111111111)")]',
        '  n7[("account identity (012345678901)")]',
        '  n2 ==>|"BROAD"| n3',
        '  n3 -.-> n6',
        '  n4 -.-> n6',
        '  n5 -.-> n7',
        '  n5 -->|"assumed (1h)"| n4',
        '  n1 -->|"assumed (1h)"| n5',
        '  linkStyle 0 stroke:#d62728,stroke-width:3px,color:#d62728',
        '  classDef stack fill:#f4f4f4,stroke:#666',
        '  class n1 stack',
        '  classDef principal fill:#fff7e6,stroke:#b36b00',
        '  class n2 principal',
        '  classDef role fill:#e8f0fe,stroke:#1a56db',
        '  class n3,n4,n5 role',
        '  classDef account fill:#e9f7ef,stroke:#1e7b34',
        '  class n6,n7 account',
        '',
      ].join('\n'),
    );
  });

  it('merges a principal role ARN with the role node, labels conditions and names external accounts', () => {
    const access = stack('access', {
      providers: [],
      roles: [
        deployRole('111111111111'),
        deployRole('333333333333'),
        {
          ...deployRole('333333333333'),
          name: 'vendor',
          roleName: 'vendor-read',
          arn: 'arn:aws:iam::333333333333:role/vendor-read',
          edges: [{ principal: 'AWS::arn:aws:iam::999999999999:root', kind: 'account', accountId: '999999999999', actions: ['sts:AssumeRole'], conditions: ['MFA', 'ExternalId'], broad: false, ruleIds: [] }],
        },
      ],
    });
    const g = buildTrustGraph({ stacks: [access] }, REGISTRY);
    const label = (id: string) => g.nodes.find((n) => n.id === id)?.label;
    const trust = g.edges.filter((e) => e.kind === 'assume').map((e) => `${label(e.from)} -> ${label(e.to)} [${e.label}]${e.broad ? ' broad' : ''}`);
    expect(trust).toEqual([
      'AWS arn:aws:iam::999999999999:root -> role vendor-read (333333333333) [ExternalId, MFA]',
      'role trustline-hub (012345678901) -> role trustline-deploy (111111111111) []',
      'role trustline-hub (012345678901) -> role trustline-deploy (333333333333) [ExternalId]',
    ]);
    expect(g.nodes.filter((n) => n.kind === 'account').map((n) => n.label)).toEqual(['account dev (111111111111)', 'account identity (012345678901)', 'account prod (333333333333)']);
  });

  it('draws one edge where a trust policy allows what a provider chain does, with both labels', () => {
    const g = buildTrustGraph({ stacks: [stack('access', { providers: [], roles: [deployRole('333333333333')] }), stack('prod')] }, REGISTRY);
    const label = (id: string) => g.nodes.find((n) => n.id === id)?.label;
    expect(g.edges.filter((e) => e.kind === 'assume').map((e) => `${label(e.from)} -> ${label(e.to)} [${e.label}]`)).toEqual([
      'role trustline-hub (012345678901) -> role trustline-deploy (333333333333) [ExternalId, assumed (1h)]',
      'stack prod/prod -> role trustline-hub (012345678901) [assumed (1h)]',
    ]);
  });

  it('renders the same text whatever the order of stacks and roles', () => {
    const a = { stacks: [stack('access', { roles: [deployRole('111111111111'), deployRole('333333333333')] }), stack('dev', { roles: [openRole] })] };
    const b = { stacks: [stack('dev', { roles: [openRole] }), stack('access', { roles: [deployRole('333333333333'), deployRole('111111111111')] })] };
    expect(renderMermaid(buildTrustGraph(b, REGISTRY))).toBe(renderMermaid(buildTrustGraph(a, REGISTRY)));
    expect(renderDot(buildTrustGraph(b, REGISTRY))).toBe(renderDot(buildTrustGraph(a, REGISTRY)));
  });
});

describe('renderDot', () => {
  it('writes a digraph with shapes, escaped labels and broad edges in red', () => {
    const dot = renderDot(buildTrustGraph(devOnly, REGISTRY));
    expect(dot.startsWith('digraph trust {\n  rankdir=LR;\n')).toBe(true);
    expect(dot).toContain('  n6 [label="account dev (111111111111)", shape=cylinder, style=filled, fillcolor="#e9f7ef"];\n');
    expect(dot).toContain('  n2 -> n3 [label="BROAD", color="#d62728", fontcolor="#d62728", penwidth=3];\n');
    expect(dot).toContain('  n3 -> n6 [style=dashed];\n');
    expect(dot).toContain('  n5 -> n4 [label="assumed (1h)"];\n');
    expect(dot.endsWith('}\n')).toBe(true);
  });
});

describe('the README block', () => {
  const readme = '# t\n\n<!-- trust-graph:start -->\nold\n<!-- trust-graph:end -->\ntail\n';

  it('replaces only the text between the markers with a mermaid block', () => {
    expect(replaceReadmeBlock(readme, 'flowchart LR\n')).toBe('# t\n\n<!-- trust-graph:start -->\n```mermaid\nflowchart LR\n```\n<!-- trust-graph:end -->\ntail\n');
    expect(replaceReadmeBlock(replaceReadmeBlock(readme, 'a\n'), 'a\n')).toBe(replaceReadmeBlock(readme, 'a\n'));
  });

  it('refuses a README without the markers, naming them', () => {
    expect(() => replaceReadmeBlock('# t\n', 'x\n')).toThrow('README.md has no trust-graph block: add the lines <!-- trust-graph:start --> and <!-- trust-graph:end --> (in that order) where the diagram belongs.');
  });

  it('writeGraphFiles writes the stale files once, then reports nothing stale', () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-'));
    fs.writeFileSync(path.join(ws, 'README.md'), readme);
    const g = buildTrustGraph(devOnly, REGISTRY);
    expect(staleGraphFiles(ws, g)).toEqual(['docs/trust-graph.mmd', 'docs/trust-graph.dot', 'README.md']);
    expect(writeGraphFiles(ws, g)).toEqual(['docs/trust-graph.mmd', 'docs/trust-graph.dot', 'README.md']);
    expect(writeGraphFiles(ws, g)).toEqual([]);
    expect(fs.readFileSync(path.join(ws, 'docs/trust-graph.mmd'), 'utf8')).toBe(renderMermaid(g));
    expect(fs.readFileSync(path.join(ws, 'README.md'), 'utf8')).toContain('```mermaid\nflowchart LR\n');
    fs.rmSync(ws, { recursive: true, force: true });
  });
});
