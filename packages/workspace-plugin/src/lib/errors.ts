/**
 * A generator refusal: every problem with the input, collected and reported at once so the user
 * fixes them in one go. Thrown before the generator touches the tree, so nothing is written.
 */
export class GeneratorInputError extends Error {
  constructor(
    readonly action: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Cannot ${action}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (nothing was written):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'GeneratorInputError';
  }
}
