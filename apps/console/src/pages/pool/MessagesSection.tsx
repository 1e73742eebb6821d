// Message customizations: the verification messages (code or link), the invitation sent by AdminCreateUser, and the
// reply-to address, as UpdateUserPool sets them. A field left empty means Cognito's default text (shown greyed).
import { useState } from 'react';
import type { DefaultEmailOptionType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { Radio, TextField } from '../../components/ui';
import { usePool } from './context';
import { EditForm, Section } from './parts';
import { updatePool } from './updatable';

const DEFAULTS = {
  emailSubject: 'Your verification code',
  emailMessage: 'Your verification code is {####}. ',
  linkSubject: 'Your verification link',
  linkMessage: 'Please click the link below to verify your email address. {##Verify Email##} ',
  sms: 'Your verification code is {####}. ',
  inviteSms: 'Your username is {username} and temporary password is {####}. ',
  inviteSubject: 'Your temporary password',
  inviteEmail: 'Your username is {username} and temporary password is {####}. ',
};

interface Messages {
  option: DefaultEmailOptionType;
  emailSubject: string;
  emailMessage: string;
  linkSubject: string;
  linkMessage: string;
  sms: string;
  inviteSms: string;
  inviteSubject: string;
  inviteEmail: string;
  replyTo: string;
}

function messagesOf(pool: UserPoolType): Messages {
  const t = pool.VerificationMessageTemplate ?? {};
  const invite = pool.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
  return {
    option: t.DefaultEmailOption ?? 'CONFIRM_WITH_CODE',
    emailSubject: t.EmailSubject ?? pool.EmailVerificationSubject ?? '',
    emailMessage: t.EmailMessage ?? pool.EmailVerificationMessage ?? '',
    linkSubject: t.EmailSubjectByLink ?? '',
    linkMessage: t.EmailMessageByLink ?? '',
    sms: t.SmsMessage ?? pool.SmsVerificationMessage ?? '',
    inviteSms: invite.SMSMessage ?? '',
    inviteSubject: invite.EmailSubject ?? '',
    inviteEmail: invite.EmailMessage ?? '',
    replyTo: pool.EmailConfiguration?.ReplyToEmailAddress ?? '',
  };
}

const orUndefined = (s: string) => (s.trim() ? s : undefined);

function MessagesEditor({ done }: { done: (saved: boolean) => void }) {
  const { pool, poolId, reload } = usePool();
  const [m, setM] = useState<Messages>(() => messagesOf(pool));
  const field = (key: Exclude<keyof Messages, 'option'>, label: string, multiline = false, hint?: string) => (
    <TextField
      label={label}
      value={m[key]}
      onChange={(v) => setM((x) => ({ ...x, [key]: v }))}
      multiline={multiline}
      placeholder={(DEFAULTS as Record<string, string>)[key]}
      hint={hint}
    />
  );
  return (
    <EditForm
      done={done}
      onSave={async () => {
        await updatePool(poolId, (current) => {
          const invite = { SMSMessage: orUndefined(m.inviteSms), EmailSubject: orUndefined(m.inviteSubject), EmailMessage: orUndefined(m.inviteEmail) };
          const hasInvite = Object.values(invite).some((v) => v !== undefined);
          return {
            VerificationMessageTemplate: {
              DefaultEmailOption: m.option,
              EmailSubject: orUndefined(m.emailSubject),
              EmailMessage: orUndefined(m.emailMessage),
              EmailSubjectByLink: orUndefined(m.linkSubject),
              EmailMessageByLink: orUndefined(m.linkMessage),
              SmsMessage: orUndefined(m.sms),
            },
            EmailVerificationSubject: orUndefined(m.emailSubject),
            EmailVerificationMessage: orUndefined(m.emailMessage),
            SmsVerificationMessage: orUndefined(m.sms),
            AdminCreateUserConfig: { ...current.AdminCreateUserConfig, InviteMessageTemplate: hasInvite ? invite : undefined },
            EmailConfiguration: { ...current.EmailConfiguration, ReplyToEmailAddress: orUndefined(m.replyTo) },
          };
        });
        reload();
      }}
    >
      <h3>Verification messages</h3>
      <Radio<DefaultEmailOptionType>
        legend="Verification type"
        value={m.option}
        onChange={(option) => setM((x) => ({ ...x, option }))}
        options={[
          { value: 'CONFIRM_WITH_CODE', label: 'Code' },
          { value: 'CONFIRM_WITH_LINK', label: 'Link' },
        ]}
      />
      {m.option === 'CONFIRM_WITH_CODE' ? (
        <>
          {field('emailSubject', 'Email subject')}
          {field('emailMessage', 'Email message', true, '{####} is replaced by the code.')}
        </>
      ) : (
        <>
          {field('linkSubject', 'Email subject (link)')}
          {field('linkMessage', 'Email message (link)', true, '{##Verify Email##} becomes the link.')}
        </>
      )}
      {field('sms', 'SMS verification message', true, '{####} is replaced by the code.')}
      <h3>Invitation messages</h3>
      {field('inviteSms', 'Invitation SMS message', true, '{username} and {####} (the temporary password) are replaced.')}
      {field('inviteSubject', 'Invitation email subject')}
      {field('inviteEmail', 'Invitation email message', true, '{username} and {####} (the temporary password) are replaced.')}
      <h3>Email address</h3>
      {field('replyTo', 'REPLY-TO email address')}
    </EditForm>
  );
}

function Text({ value, fallback }: { value: string; fallback: string }) {
  return value ? <span className="message-text">{value}</span> : <span className="hint">Default: {fallback}</span>;
}

export function MessagesSection() {
  const { pool } = usePool();
  const m = messagesOf(pool);
  return (
    <Section title="Message customizations" edit={(done) => <MessagesEditor done={done} />}>
      <dl className="summary">
        <dt>Verification type</dt>
        <dd>{m.option === 'CONFIRM_WITH_LINK' ? 'Link' : 'Code'}</dd>
        {m.option === 'CONFIRM_WITH_LINK' ? (
          <>
            <dt>Email subject</dt>
            <dd>
              <Text value={m.linkSubject} fallback={DEFAULTS.linkSubject} />
            </dd>
            <dt>Email message</dt>
            <dd>
              <Text value={m.linkMessage} fallback={DEFAULTS.linkMessage} />
            </dd>
          </>
        ) : (
          <>
            <dt>Email subject</dt>
            <dd>
              <Text value={m.emailSubject} fallback={DEFAULTS.emailSubject} />
            </dd>
            <dt>Email message</dt>
            <dd>
              <Text value={m.emailMessage} fallback={DEFAULTS.emailMessage} />
            </dd>
          </>
        )}
        <dt>SMS verification message</dt>
        <dd>
          <Text value={m.sms} fallback={DEFAULTS.sms} />
        </dd>
        <dt>Invitation SMS message</dt>
        <dd>
          <Text value={m.inviteSms} fallback={DEFAULTS.inviteSms} />
        </dd>
        <dt>Invitation email subject</dt>
        <dd>
          <Text value={m.inviteSubject} fallback={DEFAULTS.inviteSubject} />
        </dd>
        <dt>Invitation email message</dt>
        <dd>
          <Text value={m.inviteEmail} fallback={DEFAULTS.inviteEmail} />
        </dd>
        <dt>REPLY-TO email address</dt>
        <dd>{m.replyTo || 'None'}</dd>
        <dt>Email sending</dt>
        <dd>{pool.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT'} (Corral delivers to its mailbox)</dd>
      </dl>
    </Section>
  );
}
