import type { JsonDocument } from '@trustline/json';
import { CODE_IAM_TYPES, problemAt, type CodeResource, type SnapshotProblem } from '@trustline/paths';
import { isObj } from '@trustline/trust';
import { AWS_PROVIDER_TYPE, providerAccount, providerRegion, valueOrNull } from '@trustline/trust-guard';
import { placeText, previewStates, stackExportStates, type JsonPlace, type PulumiState } from './detect';

/**
 * What a Pulumi file declares, for the access-path engine: the IAM resources of one stack, each with the
 * account its provider deploys into, as `snapshotFromCode` (@trustline/paths) takes them. The states come
 * from the reader `trust-guard check` uses ({@link previewStates}, {@link stackExportStates}); this adds
 * the provider of each and says, with the file, field and value, what cannot be read.
 */
export interface PulumiCode {
  readonly format: 'pulumi-preview' | 'pulumi-stack-export';
  readonly resources: CodeResource[];
  /** Where each IAM resource's state starts in the file, by URN (findings about a role point there). */
  readonly places: ReadonlyMap<string, { readonly line: number; readonly column: number }>;
  readonly problems: SnapshotProblem[];
}

const IAM_TYPES = new Set(CODE_IAM_TYPES);

/** The Pulumi file `doc` (read with positions) as code for the path engine, or undefined when it is no Pulumi preview or stack export. */
export function pulumiCode(file: string, doc: JsonDocument): PulumiCode | undefined {
  const value = doc.value;
  if (!isObj(value)) return undefined;
  const read = Array.isArray(value.steps) ? previewStates(value.steps) : isObj(value.deployment) && Array.isArray(value.deployment.resources) ? stackExportStates(value.deployment.resources) : undefined;
  if (read === undefined) return undefined;
  const format = Array.isArray(value.steps) ? 'pulumi-preview' : 'pulumi-stack-export';
  const problems: SnapshotProblem[] = read.problems.map((p) => problemAt(doc, file, p.at, p.message));
  const at = (place: JsonPlace, message: string) => problems.push(problemAt(doc, file, place, message));
  const providers = new Map<string, PulumiState>();
  for (const s of read.states) if (s.type === AWS_PROVIDER_TYPE) providers.set(s.urn, s);

  const resources: CodeResource[] = [];
  const places = new Map<string, { line: number; column: number }>();
  for (const s of read.states) {
    if (!IAM_TYPES.has(s.type)) continue;
    if (!isObj(s.inputs)) {
      at([...s.at, s.inputsField], `${placeText([...s.at, s.inputsField])} ${JSON.stringify(s.inputs) ?? 'is missing and'} is not an object of the resource's properties; ${s.type} "${s.name}" is not read.`);
      continue;
    }
    const account = accountOf(s, providers, file, at);
    if (account === false) continue;
    const deps = propertyDependencies(s, at);
    resources.push({ type: s.type, urn: s.urn, name: s.name, inputs: s.inputs, ...(deps !== undefined && { propertyDependencies: deps }), account: account.account, region: account.region });
    const position = doc.positions.at([...s.at]);
    if (position !== undefined) places.set(s.urn, { line: position.line, column: position.column });
  }
  return { format, resources, places, problems };
}

/**
 * The account and region of the provider a state goes through: `null` account when the provider's chain is
 * not known before deploy (`snapshotFromCode` reports that), false when the reference or the provider
 * cannot be read (reported here).
 */
function accountOf(s: PulumiState, providers: ReadonlyMap<string, PulumiState>, file: string, at: (place: JsonPlace, message: string) => void): { account: string | null; region: string | null } | false {
  const field = [...s.at, 'provider'];
  const ref = s.provider;
  if (ref === undefined || ref === '') {
    at(field, `${placeText(field)} is missing: ${s.type} "${s.name}" names no provider, so the account it is created in is not known; it is not read. Pulumi writes the provider reference of every custom resource ("<provider URN>::<provider id>").`);
    return false;
  }
  const split = typeof ref === 'string' ? ref.lastIndexOf('::') : -1;
  if (typeof ref !== 'string' || split < 0) {
    at(field, `${placeText(field)} ${JSON.stringify(ref)} is not a provider reference ("<provider URN>::<provider id>"); ${s.type} "${s.name}" is not read.`);
    return false;
  }
  const providerUrn = ref.slice(0, split);
  const provider = providers.get(providerUrn);
  if (provider === undefined) {
    at(
      field,
      `${placeText(field)} ${JSON.stringify(ref)} names provider ${providerUrn}, which is not in ${file}, so the account ${s.type} "${s.name}" is created in is not known; it is not read. ` +
        '`pulumi preview --json` lists unchanged resources (the provider, often) only with --show-sames: run it with --show-sames, or give the stack export.',
    );
    return false;
  }
  const props = isObj(provider.inputs) ? provider.inputs : {};
  const account = providerAccount(props);
  if (account.kind === 'invalid') {
    at([...provider.at, provider.inputsField], `${placeText([...provider.at, provider.inputsField])} of provider ${providerUrn}: ${account.problem} ${s.type} "${s.name}" is not read.`);
    return false;
  }
  return { account: valueOrNull(account), region: valueOrNull(providerRegion(props)) };
}

/** `propertyDependencies`: input property name to the URNs its value came from (how an attachment finds its role). */
function propertyDependencies(s: PulumiState, at: (place: JsonPlace, message: string) => void): Record<string, string[]> | undefined {
  const deps = s.propertyDependencies;
  if (deps === undefined || deps === null) return undefined;
  const field = [...s.at, 'propertyDependencies'];
  if (!isObj(deps) || !Object.values(deps).every((v) => Array.isArray(v) && v.every((u) => typeof u === 'string'))) {
    at(field, `${placeText(field)} ${JSON.stringify(deps).slice(0, 120)} is not a map of property names to lists of URNs; ${s.type} "${s.name}" is read without it (an attachment then finds its role by name).`);
    return undefined;
  }
  return deps as Record<string, string[]>;
}
