import { passwordRules } from '../lib/password';

export function PasswordHints({ password, confirm }: { password: string; confirm?: string }) {
  return (
    <ul className="password-hints" aria-label="Password rules" data-testid="password-hints">
      {passwordRules.map((rule) => {
        const ok = rule.test(password);
        return (
          <li key={rule.id} className={ok ? 'ok' : 'todo'} data-rule={rule.id} data-ok={ok}>
            <span aria-hidden="true">{ok ? '✔' : '○'}</span> {rule.label}
          </li>
        );
      })}
      {confirm !== undefined && (
        <li className={password && password === confirm ? 'ok' : 'todo'} data-rule="match" data-ok={!!password && password === confirm}>
          <span aria-hidden="true">{password && password === confirm ? '✔' : '○'}</span> Both passwords match
        </li>
      )}
    </ul>
  );
}
