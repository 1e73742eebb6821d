// The rate limit settings (runtime/config.ts) and the operation → quota category table (wire/quotas.ts).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { configFromEnv } from '../../src/runtime/config.js';
import { operationForTarget } from '../../src/wire/model.js';
import { AWS_DEFAULT_RPS, CATEGORY_OPERATIONS, CORRAL_DEFAULT_RPS, categoryOf } from '../../src/wire/quotas.js';

it("defaults: ten times AWS's default quotas per pool, and 100 unsuccessful attempts per minute per source + username", () => {
  const c = configFromEnv({});
  expect(c.rateLimits).toEqual(CORRAL_DEFAULT_RPS);
  expect(c.rateLimits?.UserAuthentication).toBe(1200);
  expect(c.rateLimits?.UserCreation).toBe(500);
  expect(c.rateWindowSeconds).toBe(1);
  expect(c.signInThrottle).toEqual({ attempts: 100, windowSeconds: 60 });
});

it('CORRAL_RATE_LIMITS: off, aws, or JSON over the defaults; CORRAL_SIGNIN_THROTTLE: off or N/S', () => {
  expect(configFromEnv({ CORRAL_RATE_LIMITS: 'off' }).rateLimits).toBeUndefined();
  expect(configFromEnv({ CORRAL_RATE_LIMITS: 'aws' }).rateLimits).toEqual(AWS_DEFAULT_RPS);
  const custom = configFromEnv({ CORRAL_RATE_LIMITS: '{"UserAuthentication": 1000, "UserList": 0}' }).rateLimits!;
  expect(custom.UserAuthentication).toBe(1000);
  expect(custom.UserList).toBe(0);
  expect(custom.UserRead).toBe(CORRAL_DEFAULT_RPS.UserRead);
  expect(configFromEnv({ CORRAL_SIGNIN_THROTTLE: 'off' }).signInThrottle).toBeUndefined();
  expect(configFromEnv({ CORRAL_SIGNIN_THROTTLE: '5/300' }).signInThrottle).toEqual({ attempts: 5, windowSeconds: 300 });
  expect(() => configFromEnv({ CORRAL_RATE_LIMITS: '{"SignIns": 5}' })).toThrow(/not a Cognito quota category/);
  expect(() => configFromEnv({ CORRAL_RATE_LIMITS: '{"UserRead": -1}' })).toThrow(/UserRead must be a number/);
  expect(() => configFromEnv({ CORRAL_RATE_LIMITS: 'lots' })).toThrow(/CORRAL_RATE_LIMITS must be/);
  expect(() => configFromEnv({ CORRAL_SIGNIN_THROTTLE: 'five' })).toThrow(/CORRAL_SIGNIN_THROTTLE must be/);
  expect(() => configFromEnv({ CORRAL_RATE_WINDOW_SECONDS: '0' })).toThrow(/CORRAL_RATE_WINDOW_SECONDS/);
});

it('every operation in the table is a cognito-idp operation, listed once; every implemented one has a category', () => {
  const listed = Object.values(CATEGORY_OPERATIONS).flat();
  expect(listed.length).toBe(new Set(listed).size);
  for (const op of listed) expect(operationForTarget(`AWSCognitoIdentityProviderService.${op}`), op).toBeDefined();
  const dir = fileURLToPath(new URL('../../src/actions/idp/', import.meta.url));
  const implemented = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));
  expect(implemented.filter((op) => !categoryOf(op))).toEqual([]);
});
