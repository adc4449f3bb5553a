/** Options of `nx g @trustline/workspace-plugin:org-init` (see schema.json). */
export interface OrgInitGeneratorSchema {
  /** Path of the organization spec (JSON, see {@link OrgSpec}); `npm run org:init` writes it from its flags. */
  file: string;
  /** Also delete sample project files that were edited or that the generator did not create. */
  force?: boolean;
  /** Skip `npm install --package-lock-only` afterwards. */
  skipInstall?: boolean;
  /** Skip redrawing the trust graph afterwards. */
  skipGraph?: boolean;
}
