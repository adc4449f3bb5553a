import { ProblemsError, problemLines } from '@trustline/contract';

/** Thrown by a component constructor when its arguments are wrong; `problems` holds one sentence each. */
export class ComponentArgsError extends ProblemsError {
  constructor(
    /** `CrossAccountRole "dev-deploy"`: the component type and its name. */
    readonly component: string,
    problems: readonly string[],
  ) {
    super(component, problems, `${component} has ${problemLines(problems)}`);
    this.name = 'ComponentArgsError';
  }
}
