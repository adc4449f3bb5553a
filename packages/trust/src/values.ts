/**
 * True for a plain object (not null, not an array): the shape of a parsed JSON object. The one owner of
 * this guard; every package that reads parsed JSON or Pulumi property bags imports it from here.
 */
export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
