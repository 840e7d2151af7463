/** Helpers that turn constant lists into ES|QL literals. Only for reviewed constants, never for configuration. */

export const esqlString = (value: string): string => JSON.stringify(value);

export const esqlList = (values: readonly string[]): string => values.map(esqlString).join(', ');

/** `field LIKE "a*" OR field LIKE "b*"`: LIKE's `*` matches any characters, `/` included. */
export const esqlAnyPrefix = (field: string, prefixes: readonly string[]): string =>
  prefixes.map((prefix) => `${field} LIKE ${esqlString(`${prefix}*`)}`).join(' OR ');
