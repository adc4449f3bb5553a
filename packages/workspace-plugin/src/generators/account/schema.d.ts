/** Options of `nx g @trustline/workspace-plugin:account` (see schema.json for the descriptions). */
export interface AccountGeneratorSchema {
  /** Registry key, Nx project name and Pulumi stack name, e.g. `qa`. */
  name: string;
  /**
   * The 12-digit AWS account id. Typed loosely on purpose: the schema gives it no type so Nx does not
   * coerce `012345678901` into a number, but Nx still turns other number-like text (`111111111111`,
   * `1e11`) into a number, so the generator checks the text as typed (see `rawAccountIdCandidates`).
   */
  accountId: string | number;
  /** One of the registry's `environments`; defaults to `name` when that is one. */
  environment?: string;
  /** Default AWS region of the account's stacks; defaults to the identity account's region. */
  region?: string;
  /** Skip `npm install --package-lock-only` after generating (tests, or when you run npm install yourself). */
  skipInstall?: boolean;
  /** Skip redrawing the trust graph (`npm start -- --graph`) after generating. */
  skipGraph?: boolean;
}
