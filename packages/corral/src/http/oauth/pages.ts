// The hosted sign-in page and the error page: plain server-rendered HTML with inline CSS, no script.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f4f6;color:#111827}
main{background:#fff;width:min(92vw,380px);padding:28px 28px 24px;border-radius:10px;box-shadow:0 4px 18px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 4px}p.sub{margin:0 0 20px;color:#6b7280;font-size:14px}
label{display:block;font-size:14px;font-weight:600;margin:14px 0 6px}
input[type=text],input[type=password]{width:100%;padding:10px 12px;border:1px solid #d1d5db;border-radius:6px;font-size:16px}
input:focus{outline:2px solid #2563eb;border-color:#2563eb}
button{margin-top:22px;width:100%;padding:11px;border:0;border-radius:6px;background:#2563eb;color:#fff;font-size:16px;font-weight:600;cursor:pointer}
button:hover{background:#1d4ed8}.error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca;border-radius:6px;padding:10px 12px;font-size:14px;margin-bottom:6px}
form.idp button{margin-top:10px;background:#fff;color:#111827;border:1px solid #d1d5db}form.idp button:hover{background:#f9fafb}
p.or{margin:18px 0 0;text-align:center;color:#6b7280;font-size:14px}code{font-size:13px;background:#f3f4f6;padding:1px 4px;border-radius:4px}footer{margin-top:18px;font-size:12px;color:#9ca3af;text-align:center}`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${body}<footer>Corral</footer></main></body></html>`;
}

export interface LoginPageInput {
  action: string;
  request: string;
  clientName: string;
  username?: string;
  message?: string;
  /** The client's external providers (SupportedIdentityProviders but COGNITO): a button each. */
  providers?: string[];
  /** Whether the client offers the user pool's own sign-in (COGNITO): the username and password form. Default true. */
  password?: boolean;
}

/** One form per provider button: POST /login with the sealed request and identity_provider=<name>. */
function providerButtons(p: LoginPageInput): string {
  if (!p.providers?.length) return '';
  const buttons = p.providers
    .map(
      (name) => `<form method="post" action="${esc(p.action)}" class="idp">
<input type="hidden" name="request" value="${esc(p.request)}">
<button type="submit" name="identity_provider" value="${esc(name)}" class="idp">Sign in with ${esc(name)}</button>
</form>`,
    )
    .join('\n');
  return `${buttons}${p.password === false ? '' : '<p class="or">or</p>'}`;
}

export function loginPage(p: LoginPageInput): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1><p class="sub">to ${esc(p.clientName)}</p>
${p.message ? `<div class="error" role="alert">${esc(p.message)}</div>` : ''}
${providerButtons(p)}${p.password === false ? '' : passwordForm(p)}`,
  );
}

function passwordForm(p: LoginPageInput): string {
  return `<form method="post" action="${esc(p.action)}">
<input type="hidden" name="request" value="${esc(p.request)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" required value="${esc(p.username ?? '')}"${p.username ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${p.username ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>`;
}

export function errorPage(error: string, description: string): string {
  return layout(
    'Sign-in error',
    `<h1>Something went wrong</h1><div class="error" role="alert">${esc(description)}</div><p class="sub">Error: <code>${esc(error)}</code></p>`,
  );
}

/**
 * A provider's cross-site form_post (Sign in with Apple) posted again to `action` from this origin, so that the
 * browser sends the SameSite=Lax state cookie with it: a form of hidden fields the script (CSP nonce) submits at once
 * (a button without script). Nothing of the answer goes into a URL.
 */
export function resubmitPage(action: string, fields: Record<string, string>, nonce: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
  return layout(
    'Signing in',
    `<h1>Signing in…</h1><form method="post" action="${esc(action)}" id="resubmit">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form><script nonce="${esc(nonce)}">document.getElementById('resubmit').submit();</script>`,
  );
}
