/** Options of `nx g @trustline/workspace-plugin:remove-account` (see schema.json). */
export interface RemoveAccountGeneratorSchema {
  /** Key of the account to remove. */
  name: string;
  /** Skip `npm install --package-lock-only` afterwards. */
  skipInstall?: boolean;
  /** Skip redrawing the trust graph (`npm start -- --graph`) afterwards. */
  skipGraph?: boolean;
  /** Also delete files the generator did not create or that were edited since. */
  force?: boolean;
}
