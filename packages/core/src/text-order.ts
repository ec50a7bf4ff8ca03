/** Code-point order: stable across locales, unlike localeCompare (which skips punctuation). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
