import { useState } from 'react';
import { decodeJwt, describeClaim, TIME_CLAIMS } from '../lib/jwt';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API needs a secure context; fall back to a selection copy.
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

function ClaimsTable({ title, claims, testId }: { title: string; claims: Record<string, unknown>; testId: string }) {
  return (
    <table className="claims" data-testid={testId}>
      <caption>{title}</caption>
      <tbody>
        {Object.entries(claims).map(([name, value]) => (
          <tr key={name} data-claim={name}>
            <th scope="row">{name}</th>
            <td>
              <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
              {TIME_CLAIMS.has(name) && typeof value === 'number' && <span className="claim-date">{describeClaim(name, value)}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TokenPanel({ token }: { token: string }) {
  const [copied, setCopied] = useState('');
  let decoded: ReturnType<typeof decodeJwt> | undefined;
  let problem = '';
  try {
    decoded = decodeJwt(token);
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }

  return (
    <div className="token">
      <div className="token-raw-wrap">
        <textarea className="token-raw" readOnly value={token} aria-label="Your ID token" data-testid="id-token" rows={5} />
        <button
          type="button"
          className="button button-small"
          onClick={() => void copyText(token).then((ok) => setCopied(ok ? 'Copied!' : 'Copy failed: select the text and copy it yourself.'))}
        >
          Copy
        </button>
        <span role="status" className="hint">
          {copied}
        </span>
      </div>
      <h3>What your token says</h3>
      {problem && <p className="notice notice-error">This does not look like a JWT: {problem}</p>}
      {decoded && (
        <div className="decoded" data-testid="decoded-token">
          <ClaimsTable title="Header" claims={decoded.header} testId="token-header" />
          <ClaimsTable title="Claims" claims={decoded.payload} testId="token-claims" />
          <p className="hint">
            Decoded right here in your browser. The signature part is not checked on this page; services that receive the token verify it against Corral&apos;s
            published keys.
          </p>
        </div>
      )}
    </div>
  );
}
