/**
 * "1 enum value", "4 enum values", "0 tables": a count and its noun, singular only for exactly one.
 * `plural` is for nouns whose plural is not the singular plus "s" ("1 index", "4 indexes").
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
