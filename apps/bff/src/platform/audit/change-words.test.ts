// Audit rows in words for the rows the route hook writes (issue 24): from the route's summary and
// what its parameters name.
import { describe, expect, it } from 'vitest';
import { paramsTarget, personOf, routeDoing, routeWords } from './change-words.js';

describe('change words', () => {
  it('names a route’s parameters by the path segment before each', () => {
    expect(
      paramsTarget('/api/v1/deploys/:id/items/:itemId/sign-off', {
        id: 'production-1',
        itemId: 'frontend-commit',
      }),
    ).toBe('deploy production-1 item frontend-commit');
    expect(paramsTarget('/api/v1/notifications/:id/resend', { id: 'd1' })).toBe('notification d1');
    expect(paramsTarget('/api/v1/rollbacks', {})).toBeNull();
  });

  it('says what was asked, or that it was refused and how', () => {
    const doing = routeDoing('Start a rollback to the deploy baseline (typed confirmation): 202', 'POST /x');
    expect(doing).toBe('start a rollback to the deploy baseline');
    expect(
      routeWords({ user: 'omar@sandbox.flightdeck', doing, target: 'fn', status: 202, code: undefined }),
    ).toBe('omar asked to start a rollback to the deploy baseline (fn)');
    expect(routeWords({ user: 'omar@x', doing, target: null, status: 409, code: 'RollbackActive' })).toBe(
      'omar was refused (409 RollbackActive): start a rollback to the deploy baseline',
    );
    const plan = routeDoing('The exact plan of a rollback: API calls', 'POST /x');
    expect(routeWords({ user: 'omar', doing: plan, target: null, status: 200, code: undefined })).toBe(
      'omar asked for the exact plan of a rollback',
    );
    expect(personOf('lee@sandbox.flightdeck')).toBe('lee');
  });
});
