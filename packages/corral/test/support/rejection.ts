// What a call that must fail threw: `expect((await fail(call)).name).toBe('NotAuthorizedException')`; a call that
// succeeds answers an Error 'expected a failure' (so the expectation on it fails, with that message).
export const fail = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => new Error('expected a failure'),
    (e: Error) => e,
  );
