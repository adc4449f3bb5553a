/** A least-squares line y = intercept + slope * x, with R² (1 means the points lie on it). */
export interface Fit {
  readonly slope: number;
  readonly intercept: number;
  readonly r2: number;
}

/**
 * Least-squares fit of y = a + b x: the slope is the cost per added unit (account), the intercept the
 * fixed cost. With fewer than two distinct x values the slope is 0.
 */
export function fit(points: readonly (readonly [number, number])[]): Fit {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const ssTot = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const ssRes = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

/** The value after `name` on the command line (`--sizes 3,10`), or `fallback`. */
export function cliOption(name: string, fallback: string, argv: readonly string[] = process.argv): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}
