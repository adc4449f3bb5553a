import * as analyzerPb from '@pulumi/pulumi/proto/analyzer_pb';
import { parseUrn, providerRefUrn } from '@trustline/registry';
import type { RegisteredResource } from './monitor';
import { toStruct } from './properties';

/**
 * Analyzer requests built the way the engine builds them (pkg/resource/deploy/step_generator.go at
 * v3.248.0): Analyze per resource with its inputs, options and its provider resource (`urn::id` resolved
 * to the provider's URN, type, name and registered inputs, getProviderResource); AnalyzeStack once with
 * every resource, parent, dependencies, non-empty property dependencies and provider, marshalled as
 * sdk/go/common/resource/plugin/analyzer_plugin.go marshals them.
 */

/** The subset of a recorded resource the requests need (tests build engine-shaped ones by hand too). */
export type AnalyzerInput = Pick<RegisteredResource, 'urn' | 'type' | 'inputs' | 'parent' | 'provider' | 'dependencies' | 'propertyDependencies'> &
  Partial<Pick<RegisteredResource, 'protect' | 'ignoreChanges' | 'additionalSecretOutputs' | 'deleteBeforeReplace' | 'outputs' | 'custom'>>;

function options(r: AnalyzerInput): analyzerPb.AnalyzerResourceOptions {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect ?? false);
  o.setIgnorechangesList([...(r.ignoreChanges ?? [])]);
  o.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
  o.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
  o.setAdditionalsecretoutputsList([...(r.additionalSecretOutputs ?? [])]);
  o.setAliasesList([]);
  o.setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts());
  o.setParent(r.parent);
  return o;
}

function provider(r: AnalyzerInput, byUrn: ReadonlyMap<string, AnalyzerInput>): analyzerPb.AnalyzerProviderResource | undefined {
  if (!r.provider) return undefined;
  const urn = providerRefUrn(r.provider);
  const p = byUrn.get(urn);
  if (!p) throw new Error(`provider ${r.provider} of ${r.urn} was never registered (the engine fails with "unknown provider")`);
  const msg = new analyzerPb.AnalyzerProviderResource();
  msg.setUrn(p.urn);
  msg.setType(p.type);
  msg.setName(parseUrn(p.urn)?.name ?? '');
  msg.setProperties(toStruct(p.inputs));
  return msg;
}

/** AnalyzeRequest for one resource (step_generator.go analyzeResource: `Properties: inputs`). */
export function analyzeRequest(r: AnalyzerInput, byUrn: ReadonlyMap<string, AnalyzerInput>): analyzerPb.AnalyzeRequest {
  const req = new analyzerPb.AnalyzeRequest();
  req.setUrn(r.urn);
  req.setType(r.type);
  req.setName(parseUrn(r.urn)?.name ?? '');
  req.setProperties(toStruct(r.inputs));
  req.setOptions(options(r));
  const p = provider(r, byUrn);
  if (p) req.setProvider(p);
  return req;
}

/**
 * The state the engine passes AnalyzeStack (`Properties: v.Outputs`). With no provider plugins, a custom
 * resource's outputs are its inputs (what Pulumi's mocks return too); a component's are what it passed
 * to registerOutputs, else its inputs.
 */
function stackProperties(r: AnalyzerInput): Record<string, unknown> {
  return r.custom === false && r.outputs ? r.outputs : r.inputs;
}

/** AnalyzeStackRequest over a whole stack (step_generator.go AnalyzeResources). */
export function analyzeStackRequest(resources: readonly AnalyzerInput[]): analyzerPb.AnalyzeStackRequest {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const m = new analyzerPb.AnalyzerResource();
      m.setUrn(r.urn);
      m.setType(r.type);
      m.setName(parseUrn(r.urn)?.name ?? '');
      m.setProperties(toStruct(stackProperties(r)));
      m.setOptions(options(r));
      const p = provider(r, byUrn);
      if (p) m.setProvider(p);
      m.setParent(r.parent);
      m.setDependenciesList([...r.dependencies]);
      for (const [key, urns] of Object.entries(r.propertyDependencies)) {
        if (urns.length === 0) continue;
        const deps = new analyzerPb.AnalyzerPropertyDependencies();
        deps.setUrnsList([...urns]);
        m.getPropertydependenciesMap().set(key, deps);
      }
      return m;
    }),
  );
  return req;
}
