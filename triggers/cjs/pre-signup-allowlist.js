// Pre sign-up trigger (Wild Rydes module 1, optional extension 1), as a CommonJS module: the same function as
// ../pre-signup-allowlist.mjs. Leaves confirmation and verification to the normal code flow, and refuses any email
// whose domain is not on the allow-list. ALLOWED_SIGNUP_DOMAINS (comma-separated) in the function's environment
// changes the list.
const allowed = (process.env.ALLOWED_SIGNUP_DOMAINS ?? 'example.com')
  .split(',')
  .map((d) => d.trim().toLowerCase())
  .filter(Boolean);

exports.handler = async (event) => {
  event.response.autoConfirmUser = false;
  event.response.autoVerifyEmail = false;
  event.response.autoVerifyPhone = false;

  const email = event.request.userAttributes.email ?? '';
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!email.includes('@') || !allowed.includes(domain)) {
    throw new Error('Cannot sign up for the application with that email address.');
  }
  return event;
};
