// The challenge tables live in a leaf module (domain/challenges/tables.ts) that challenges/index.ts fills, so the
// sign-in flows read them without an import cycle. A flow that ran before the tables were filled must fail, never
// go on as if the user owed nothing (no MFA, no new password).
import { beforeEach, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.resetModules();
});

it('reading pendingChallenges before challenges/index.ts is loaded throws', async () => {
  const { pendingChallenges } = await import('../../src/domain/challenges/tables.js');
  expect(() => [...pendingChallenges]).toThrow('pendingChallenges is empty: domain/challenges/index.ts was not loaded.');
});

it('loading sign-in.ts alone does not fill the tables; loading challenges/index.ts does, in the order completeSignIn checks', async () => {
  await import('../../src/domain/sign-in.js');
  const { pendingChallenges } = await import('../../src/domain/challenges/tables.js');
  expect(() => [...pendingChallenges]).toThrow();
  const { challengeAnswers } = await import('../../src/domain/challenges/index.js');
  const { newPasswordRequired } = await import('../../src/domain/challenges/new-password.js');
  const { deviceSrpRequired } = await import('../../src/domain/challenges/device-srp.js');
  const list = [...pendingChallenges];
  expect(list).toHaveLength(3);
  expect(list[0]).toBe(newPasswordRequired);
  expect(list[2]).toBe(deviceSrpRequired);
  expect(Object.keys(challengeAnswers)).toContain('PASSWORD_VERIFIER');
});
