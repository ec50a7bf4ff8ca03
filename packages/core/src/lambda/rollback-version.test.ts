import { describe, expect, it } from 'vitest';
import { isPublishedVersion, publishedVersionsAround } from './rollback-version.js';

describe('publishedVersionsAround', () => {
  it('finds the version before the alias target, skipping $LATEST', () => {
    expect(publishedVersionsAround(['$LATEST', '1', '2', '10', '9'], '10')).toEqual({
      latest: '10',
      previous: '9',
    });
  });
  it('measures from the newest published version when the alias points at $LATEST', () => {
    expect(publishedVersionsAround(['$LATEST', '3', '4'], '$LATEST')).toEqual({ latest: '4', previous: '3' });
  });
  it('has no previous version for the first one', () => {
    expect(publishedVersionsAround(['$LATEST', '1'], '1')).toEqual({ latest: '1', previous: null });
  });
  it('never calls $LATEST a published version', () => {
    expect(isPublishedVersion('$LATEST')).toBe(false);
    expect(isPublishedVersion('07')).toBe(false);
    expect(isPublishedVersion('12')).toBe(true);
  });
});
