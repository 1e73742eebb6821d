// Helpers for firing requests together and counting how they were answered.
//
//   const burst = await race(inputs.map((x, i) => () => doors.pub(i).send(cmd(x))));
//   burst.count('NotAuthorizedException: Incorrect username or password.')   // how many answered that
//   burst.tally                                                              // { 'ok': 1, 'Name: message': n, … }
//   burst.ms                                                                 // first send → last answer
//
// Every request is started before any is awaited (real parallelism over HTTP); each has a deadline so a hung
// request fails the test instead of stalling it.

export type Outcome<T> = { ok: true; value: T; at: number } | { ok: false; name: string; message: string; at: number };

export interface Race<T> {
  outcomes: Outcome<T>[];
  /** 'ok' or '<ErrorName>: <message>' → how many. */
  tally: Record<string, number>;
  count(label: string): number;
  /** The values of the requests that succeeded. */
  values: T[];
  /** Date.now() just before the first request was started. */
  startedAt: number;
  /** Milliseconds from the first send to the last answer. */
  ms: number;
}

export function label(o: Outcome<unknown>): string {
  return o.ok ? 'ok' : `${o.name}: ${o.message}`;
}

export async function race<T>(calls: (() => Promise<T>)[], deadlineMs = 20_000): Promise<Race<T>> {
  const startedAt = Date.now();
  const outcomes = await Promise.all(
    calls.map(async (call): Promise<Outcome<T>> => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${deadlineMs} ms`), { name: 'TestDeadline' })), deadlineMs);
      });
      try {
        const value = await Promise.race([call(), deadline]);
        return { ok: true, value, at: Date.now() };
      } catch (err) {
        const e = err as { name?: string; message?: string };
        return { ok: false, name: e.name ?? 'Error', message: e.message ?? String(err), at: Date.now() };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const tally: Record<string, number> = {};
  for (const o of outcomes) tally[label(o)] = (tally[label(o)] ?? 0) + 1;
  return {
    outcomes,
    tally,
    count: (l) => tally[l] ?? 0,
    values: outcomes.flatMap((o) => (o.ok ? [o.value] : [])),
    startedAt,
    ms: Math.max(...outcomes.map((o) => o.at)) - startedAt,
  };
}

/** Runs one call with a deadline and reports how it was answered. */
export async function attempt<T>(call: () => Promise<T>, deadlineMs = 20_000): Promise<Outcome<T>> {
  return (await race([call], deadlineMs)).outcomes[0]!;
}

/**
 * Cognito's lockout arithmetic (domain/lockout.ts): 5 free failures, then each further attempt only after a wait
 * of 2^(n−5) s since the last failure. So within `ms` milliseconds of a burst's start at most
 * 5 + k attempts can be checked, where 2^k − 1 ≤ ms/1000 (1 s for the 6th, 1 + 2 s for the 7th, …).
 */
export function lockoutAllowance(ms: number, free = 5): number {
  let k = 0;
  while (2 ** (k + 1) - 1 <= ms / 1000) k++;
  return free + k;
}

/**
 * The first answer (sorted by arrival) that breaks the lockout arithmetic, or undefined: the j-th attempt checked
 * (an answer with one of `checked` labels) can only have been judged by the server after the burst started, so
 * its answer must arrive no earlier than the allowance permits: j ≤ extra + lockoutAllowance(arrival − start).
 * `extra`: attempts a success reset the count after (see the 19 + 1 scenario).
 */
export function lockoutBreach(outcomes: Outcome<unknown>[], checked: string[], startedAt: number, extra = 0): string | undefined {
  const times = outcomes
    .filter((o) => checked.includes(label(o)))
    .map((o) => o.at - startedAt)
    .sort((a, b) => a - b);
  for (let j = 1; j <= times.length; j++) {
    const allowed = extra + lockoutAllowance(times[j - 1]!);
    if (j > allowed)
      return `${times.length} attempts checked; the ${j}th was answered ${times[j - 1]} ms after the burst began, when at most ${allowed} may have been`;
  }
  return undefined;
}

/** The shortest lock after the free failures (2^0 s): an attempt answered within it of the burst's start is refused. */
export const FIRST_LOCK_MS = 1000;
