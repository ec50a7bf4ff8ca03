/**
 * Lambda versions are '$LATEST' or a published number. Only a published version is a real
 * rollback target: the story's alias "backup" recorded $LATEST, which would change nothing.
 */
export function isPublishedVersion(version: string | null | undefined): version is string {
  return typeof version === 'string' && /^[1-9][0-9]*$/.test(version);
}

/** Newest published version, and the one before the alias's current target (where a rollback points). */
export function publishedVersionsAround(
  versions: string[],
  aliasVersion: string | null,
): { latest: string | null; previous: string | null } {
  const published = versions
    .filter(isPublishedVersion)
    .map(Number)
    .sort((a, b) => a - b);
  const latest = published.at(-1);
  const current = isPublishedVersion(aliasVersion) ? Number(aliasVersion) : latest;
  const previous = current === undefined ? undefined : published.filter((v) => v < current).at(-1);
  return {
    latest: latest === undefined ? null : String(latest),
    previous: previous === undefined ? null : String(previous),
  };
}
