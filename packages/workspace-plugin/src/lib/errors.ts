import { ProblemsError, problemLines } from '@trustline/contract';

/**
 * A generator refusal: every problem with the input, collected and reported at once so the user
 * fixes them in one go. Thrown before the generator touches the tree, so nothing is written.
 */
export class GeneratorInputError extends ProblemsError {
  constructor(
    readonly action: string,
    problems: readonly string[],
  ) {
    super(action, problems, `Cannot ${action}: ${problemLines(problems).replace(/:\n/, ' (nothing was written):\n')}`);
    this.name = 'GeneratorInputError';
  }
}
