// The wizard's last page: every choice in a summary (dl.summary per page, each with an "Edit" button back to it),
// the request that will be sent, and "Create pool".
import { Fragment, type ReactNode } from 'react';
import {
  RECOVERY_OPTIONS,
  aliasAttributes,
  autoVerifiedAttributes,
  createPoolRequest,
  needsSms,
  smsRoleName,
  usernameAttributes,
  type WizardState,
} from './wizard-model';
import { TRIGGERS } from '../../lib/triggers';

const list = (items: string[], none = 'none') => (items.length ? items.join(', ') : none);
const yesNo = (b: boolean) => (b ? 'Yes' : 'No');

interface Section {
  step: number;
  title: string;
  rows: [string, ReactNode][];
}

function sections(s: WizardState): Section[] {
  const aliases = aliasAttributes(s);
  const usernames = usernameAttributes(s);
  const required = [
    s.minLength && `at least ${s.minLength} characters`,
    s.requireNumbers && 'numbers',
    s.requireSymbols && 'special character',
    s.requireUppercase && 'uppercase letters',
    s.requireLowercase && 'lowercase letters',
  ].filter((x): x is string => !!x);
  const factors = [s.mfaSms && 'SMS text message', s.mfaTotp && 'Time-based One-time Password'].filter((x): x is string => !!x);
  const verified = autoVerifiedAttributes(s);
  const triggers = TRIGGERS.filter((t) => s.triggers[t.key]);
  return [
    { step: 0, title: 'Name', rows: [['Pool name', s.poolName.trim()]] },
    {
      step: 1,
      title: 'Attributes',
      rows: [
        ['Sign in with', s.signIn === 'username' ? 'Username' : 'Email address or phone number'],
        ...(s.signIn === 'username'
          ? [['Alias attributes', list(aliases)] as [string, ReactNode]]
          : [['Username attributes', list(usernames)] as [string, ReactNode]]),
        ['Required attributes', list(s.required)],
        ['Case insensitive usernames', yesNo(s.caseInsensitive)],
        [
          'Custom attributes',
          list(
            s.custom.map((c) => {
              const bounds = [c.min.trim() && `min ${c.min.trim()}`, c.max.trim() && `max ${c.max.trim()}`].filter(Boolean).join(', ');
              return `custom:${c.name.trim()} (${c.type.toLowerCase()}, ${c.mutable ? 'mutable' : 'immutable'}${bounds ? `, ${bounds}` : ''})`;
            }),
          ),
        ],
      ],
    },
    {
      step: 2,
      title: 'Policies',
      rows: [
        ['Minimum password length', String(s.minLength)],
        ['Password policy', list(required.slice(1), 'no character classes required')],
        ['User sign ups allowed?', s.signUp === 'self' ? 'Users can sign themselves up' : 'Only administrators can create users'],
        ['Temporary passwords expire after', `${s.temporaryPasswordDays} day${s.temporaryPasswordDays === 1 ? '' : 's'}`],
      ],
    },
    {
      step: 3,
      title: 'MFA and verifications',
      rows: [
        ['MFA', s.mfa === 'OFF' ? 'Off' : `${s.mfa === 'ON' ? 'Required' : 'Optional'} (${list(factors)})`],
        ['Account recovery', RECOVERY_OPTIONS.find((o) => o.value === s.recovery)!.label],
        ['Verifications', list(verified, 'No verification')],
        ...(needsSms(s) ? [['SMS role', smsRoleName(s)] as [string, ReactNode]] : []),
      ],
    },
    {
      step: 4,
      title: 'Message customizations',
      rows: [
        ['Verification type', s.verificationType === 'code' ? 'Code' : 'Link'],
        ['Verification email subject', s.verificationType === 'code' ? s.emailSubject : s.emailSubjectByLink],
        ['Verification email message', <q key="m">{s.verificationType === 'code' ? s.emailMessage : s.emailMessageByLink}</q>],
        ['Verification SMS message', <q key="s">{s.smsVerification}</q>],
        ['Invitation SMS message', <q key="i">{s.inviteSms}</q>],
        ['Invitation email subject', s.inviteEmailSubject],
        ['Invitation email message', <q key="e">{s.inviteEmailMessage}</q>],
      ],
    },
    { step: 5, title: 'Tags', rows: [['Tags', list(s.tags.map((t) => `${t.tagKey.trim()} = ${t.value}`))]] },
    {
      step: 6,
      title: 'Devices',
      rows: [
        ["Remember user's devices", { always: 'Always', 'opt-in': 'User Opt In', no: 'No' }[s.devices]],
        ...(s.devices !== 'no' ? [['Suppress the second factor on remembered devices', yesNo(s.deviceSuppressMfa)] as [string, ReactNode]] : []),
      ],
    },
    {
      step: 7,
      title: 'App clients',
      rows: [
        [
          'App clients',
          list(
            s.clients.map(
              (c) =>
                `${c.name.trim()} (${c.generateSecret ? 'with a client secret' : 'no client secret'}; ${list(c.flows)}; prevent user existence errors: ${c.preventUserExistenceErrors === 'ENABLED' ? 'enabled' : 'legacy'}; refresh tokens ${c.refreshDays} days)`,
            ),
          ),
        ],
      ],
    },
    {
      step: 8,
      title: 'Triggers',
      rows: triggers.length ? triggers.map((t) => [t.label, s.triggers[t.key]!] as [string, ReactNode]) : [['Triggers', 'none']],
    },
  ];
}

export function ReviewStep(props: { state: WizardState; region: string; onEdit: (step: number) => void }) {
  const request = createPoolRequest(props.state, { region: props.region, account: '<account>' });
  return (
    <>
      {sections(props.state).map((sec) => (
        <section key={sec.title} className="review-section" aria-labelledby={`review-${sec.step}`}>
          <div className="review-head">
            <h3 id={`review-${sec.step}`}>{sec.title}</h3>
            <button type="button" className="link" aria-label={`Edit ${sec.title}`} onClick={() => props.onEdit(sec.step)}>
              Edit
            </button>
          </div>
          <dl className="summary">
            {sec.rows.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ))}
      <details className="request">
        <summary>The CreateUserPool request</summary>
        <p className="hint">
          What “Create pool” sends (then CreateUserPoolClient for each app client). The same members make a <code>userPools</code> entry of{' '}
          <code>corral.config.json</code>. ARNs get Corral's account id.
        </p>
        <pre>{JSON.stringify(request, null, 2)}</pre>
      </details>
    </>
  );
}
