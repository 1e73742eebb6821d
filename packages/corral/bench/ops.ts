// What the bench measures, shared by the parent (bench/bench.ts) and the load generator (bench/load.ts).
import type { AdminKey } from './sigv4.js';

/** In the order they run (sign-up first: it adds users). */
export const OPS = ['signUp', 'passwordSignIn', 'srpSignIn', 'refresh', 'getUser', 'adminGetUser', 'listUsers'] as const;
export type OpName = (typeof OPS)[number];

/** What the operations need: the pool, its client, the users with passwords and their tokens. */
export interface LoadData {
  /** http://127.0.0.1:PORT */
  url: string;
  poolId: string;
  clientId: string;
  admin: AdminKey;
  /** Users with a password (the sign-in operations cycle through them). */
  users: { username: string; password: string }[];
  /** A refresh token and an access token of each of `users`. */
  refreshTokens: string[];
  accessTokens: string[];
  /** The imported users are user0 … user<poolSize - 1> (AdminGetUser picks among them). */
  poolSize: number;
  /** Makes this run's sign-up usernames unique. */
  tag: string;
  /** ListUsers' filter. */
  listFilter: string;
}

export interface RunRequest {
  type: 'run';
  op: OpName;
  warmupMs: number;
  durationMs: number;
  concurrency: number;
}

export interface OpResult {
  op: OpName;
  /** Operations completed in the window (an SRP sign-in is one operation of two calls). */
  count: number;
  failures: number;
  firstFailure?: string;
  /** Wall time of the window, ms (from 'go' until the last operation in flight answered). */
  wallMs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** This process's CPU (user + system) during the window, ms. */
  clientCpuMs: number;
}

/** How the table names them. */
export const OP_LABELS: Record<OpName, string> = {
  signUp: 'SignUp',
  passwordSignIn: 'InitiateAuth USER_PASSWORD_AUTH',
  srpSignIn: 'SRP sign-in (2 calls)',
  refresh: 'InitiateAuth REFRESH_TOKEN_AUTH',
  getUser: 'GetUser',
  adminGetUser: 'AdminGetUser',
  listUsers: 'ListUsers email ^= "user12" (60)',
};
