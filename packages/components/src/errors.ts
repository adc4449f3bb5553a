/** Thrown by a component constructor when its arguments are wrong; `problems` holds one sentence each. */
export class ComponentArgsError extends Error {
  constructor(
    /** `CrossAccountRole "dev-deploy"`: the component type and its name. */
    readonly component: string,
    readonly problems: readonly string[],
  ) {
    super(`${component} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` + problems.map((p) => `  - ${p}`).join('\n'));
    this.name = 'ComponentArgsError';
  }
}
