// Pre sign-up trigger (Wild Rydes module 1, optional extension 1).
// Leaves confirmation and verification to the normal code flow, and refuses any email whose domain is not on the
// allow-list. Set ALLOWED_SIGNUP_DOMAINS (comma-separated) in Corral's environment to change the list.
const allowed = (process.env.ALLOWED_SIGNUP_DOMAINS ?? 'example.com')
  .split(',')
  .map((d) => d.trim().toLowerCase())
  .filter(Boolean);

export async function handler(event) {
  event.response.autoConfirmUser = false;
  event.response.autoVerifyEmail = false;
  event.response.autoVerifyPhone = false;

  const email = event.request.userAttributes.email ?? '';
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!email.includes('@') || !allowed.includes(domain)) {
    throw new Error('Cannot sign up for the application with that email address.');
  }
  return event;
}
