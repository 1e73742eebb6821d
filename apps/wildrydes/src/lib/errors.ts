// Amplify v6 throws AuthError / service errors whose `name` is the Cognito exception name.
export const errorName = (err: unknown): string => (err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '');

export const errorMessage = (err: unknown): string => {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  return 'Something went wrong.';
};

export const isNetworkError = (err: unknown): boolean => errorName(err) === 'NetworkError' || /Failed to fetch|NetworkError|network/i.test(errorMessage(err));

/** A rider-friendly sentence for problems any page can meet. */
export function commonProblem(err: unknown): string | undefined {
  if (isNetworkError(err)) return 'We could not reach the sign-in service (Corral). Is it running?';
  const name = errorName(err);
  if (name === 'UnsupportedOperationException') return `The sign-in service cannot do this yet: ${errorMessage(err)}`;
  if (name === 'LimitExceededException' || name === 'TooManyRequestsException') return 'Whoa there! Too many tries. Please wait a moment and try again.';
  return undefined;
}
