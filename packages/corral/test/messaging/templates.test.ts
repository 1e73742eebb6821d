import { describe, expect, it } from 'vitest';
import { maskDestination, renderMessage } from '../../src/messaging/templates.js';
import { DEFAULT_MESSAGES } from '../../src/domain/pool-settings.js';

describe('maskDestination', () => {
  it('masks emails as Cognito does: the first letter of each part, nothing after the domain’s (t***@e***)', () => {
    expect(maskDestination('EMAIL', 'alice@example.com')).toBe('a***@e***');
    expect(maskDestination('EMAIL', 'l.smith@gmail.com')).toBe('l***@g***');
    expect(maskDestination('EMAIL', 'bob@mail.example.co.uk')).toBe('b***@m***');
    expect(maskDestination('EMAIL', 'x@localhost')).toBe('x***@l***');
  });

  it('masks phone numbers keeping + and the last four digits', () => {
    expect(maskDestination('SMS', '+15555550123')).toBe('+*******0123');
    expect(maskDestination('SMS', '+919876544114')).toBe('+********4114');
  });
});

describe('renderMessage', () => {
  const base = { code: '042917', username: 'alice' };

  it("falls back to Cognito's default texts", () => {
    expect(renderMessage({}, { ...base, medium: 'EMAIL', kind: 'SignUp' })).toEqual({
      subject: 'Your verification code',
      body: 'Your verification code is 042917. ',
    });
    expect(renderMessage({}, { ...base, medium: 'SMS', kind: 'ForgotPassword' })).toEqual({ body: 'Your verification code is 042917. ' });
    expect(renderMessage({}, { ...base, medium: 'EMAIL', kind: 'AdminCreateUser' })).toEqual({
      subject: DEFAULT_MESSAGES.inviteEmailSubject,
      body: 'Your username is alice and temporary password is 042917. ',
    });
    expect(renderMessage({}, { ...base, medium: 'SMS', kind: 'Authentication' }).body).toBe('Your authentication code is 042917. ');
  });

  it('prefers VerificationMessageTemplate over the legacy fields, for every verification kind', () => {
    const settings = {
      EmailVerificationMessage: 'legacy {####}',
      EmailVerificationSubject: 'legacy subject',
      SmsVerificationMessage: 'legacy sms {####}',
      VerificationMessageTemplate: {
        EmailMessage: 'Hi {username}, your code is {####}',
        EmailSubject: 'Welcome {username}',
        SmsMessage: 'Code {####}',
        DefaultEmailOption: 'CONFIRM_WITH_CODE' as const,
      },
    };
    for (const kind of ['SignUp', 'ResendCode', 'ForgotPassword', 'UpdateUserAttribute', 'VerifyUserAttribute'] as const) {
      expect(renderMessage(settings, { ...base, medium: 'EMAIL', kind })).toEqual({ subject: 'Welcome alice', body: 'Hi alice, your code is 042917' });
      expect(renderMessage(settings, { ...base, medium: 'SMS', kind })).toEqual({ body: 'Code 042917' });
    }
  });

  it('uses the legacy fields when there is no template', () => {
    const settings = { EmailVerificationMessage: 'Code: {####}', EmailVerificationSubject: 'Verify', SmsVerificationMessage: 'SMS {####}' };
    expect(renderMessage(settings, { ...base, medium: 'EMAIL', kind: 'SignUp' })).toEqual({ subject: 'Verify', body: 'Code: 042917' });
    expect(renderMessage(settings, { ...base, medium: 'SMS', kind: 'SignUp' })).toEqual({ body: 'SMS 042917' });
  });

  it('uses the invite template for AdminCreateUser and replaces every placeholder', () => {
    const settings = {
      AdminCreateUserConfig: {
        InviteMessageTemplate: { EmailMessage: '{username}/{####} and again {username}/{####}', EmailSubject: 'Invite', SMSMessage: 'u={username} p={####}' },
      },
    };
    expect(renderMessage(settings, { ...base, medium: 'EMAIL', kind: 'AdminCreateUser' })).toEqual({
      subject: 'Invite',
      body: 'alice/042917 and again alice/042917',
    });
    expect(renderMessage(settings, { ...base, medium: 'SMS', kind: 'AdminCreateUser' }).body).toBe('u=alice p=042917');
  });

  it('renders links for CONFIRM_WITH_LINK sign-up emails when a link is given', () => {
    const settings = {
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_LINK' as const, EmailMessageByLink: 'Go: {##Verify now##}', EmailSubjectByLink: 'Link' },
    };
    const link = 'http://localhost:9229/confirmUser?client_id=c&user_name=alice&confirmation_code=042917';
    expect(renderMessage(settings, { ...base, medium: 'EMAIL', kind: 'SignUp', confirmLink: link })).toEqual({
      subject: 'Link',
      body: `Go: <a href="${link.replace(/&/g, '&amp;')}">Verify now</a>`,
    });
    // Forgot password always sends a code.
    expect(renderMessage(settings, { ...base, medium: 'EMAIL', kind: 'ForgotPassword', confirmLink: link }).body).toBe('Your verification code is 042917. ');
  });
});
