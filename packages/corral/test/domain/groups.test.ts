// The group claims of tokens (domain/groups.ts groupClaims): order, roles, and the preferred role's tie rules.
import { describe, expect, it } from 'vitest';
import { groupClaims, type Group } from '../../src/domain/groups.js';

const g = (name: string, precedence: number | null, roleArn: string | null = null): Group => ({
  poolId: 'us-east-1_TESTPOOL1',
  name,
  precedence,
  roleArn,
  description: null,
  createdAt: 0,
  updatedAt: 0,
});

describe('groupClaims', () => {
  it('no groups: nothing', () => {
    expect(groupClaims([])).toEqual({ groups: [], roles: [] });
  });

  it('orders by precedence (0 first, null last), then by name', () => {
    const c = groupClaims([g('zeta', null), g('b', 3), g('alpha', null), g('a', 3), g('top', 0)]);
    expect(c.groups).toEqual(['top', 'a', 'b', 'alpha', 'zeta']);
  });

  it('lists each role once in group order; prefers the role of the highest-precedence group that has one', () => {
    const c = groupClaims([g('riders', 5, 'arn:r'), g('admins', 1, 'arn:a'), g('norole', 0), g('also-riders', 7, 'arn:r')]);
    expect(c.roles).toEqual(['arn:a', 'arn:r']);
    expect(c.preferredRole).toBe('arn:a');
  });

  it('a tie at the top with different roles sets no preferred role; with the same role, sets it', () => {
    expect(groupClaims([g('x', 1, 'arn:x'), g('y', 1, 'arn:y'), g('z', 2, 'arn:z')])).toEqual({ groups: ['x', 'y', 'z'], roles: ['arn:x', 'arn:y', 'arn:z'] });
    expect(groupClaims([g('x', 1, 'arn:same'), g('y', 1, 'arn:same')]).preferredRole).toBe('arn:same');
    // A tie below the top does not matter.
    expect(groupClaims([g('x', 0, 'arn:x'), g('y', 1, 'arn:y'), g('z', 1, 'arn:z')]).preferredRole).toBe('arn:x');
  });

  it('groups without precedence rank below numbered ones and tie among themselves', () => {
    expect(groupClaims([g('n1', null, 'arn:n1'), g('ranked', 9, 'arn:ranked')]).preferredRole).toBe('arn:ranked');
    expect(groupClaims([g('n1', null, 'arn:n1')]).preferredRole).toBe('arn:n1');
    expect(groupClaims([g('n1', null, 'arn:n1'), g('n2', null, 'arn:n2')]).preferredRole).toBeUndefined();
  });
});
