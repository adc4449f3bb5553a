/** Options of `nx g @trustline/workspace-plugin:remove-account` (see schema.json). */
export interface RemoveAccountGeneratorSchema {
  /** Key of the account to remove. */
  name: string;
}
