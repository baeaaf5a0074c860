/**
 * Orders two strings by their UTF-16 code units, as SQLite's default (BINARY) collation orders the
 * same names on the server. Not `localeCompare`: its first call in a page builds the browser's ICU
 * collator, 10–20 ms of the console's first load here, spent before anything can be clicked, and
 * its order would differ from the server's for mixed case.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
