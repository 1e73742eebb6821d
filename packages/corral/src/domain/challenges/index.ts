// Challenges of a sign-in after the password: which one a user still owes, and how each is answered.
//   pendingChallenges: checked in order by completeSignIn; the first that returns a step wins.
//   challengeAnswers: RespondToAuthChallenge's ChallengeName → handler.
// Each challenge lives in its own file here and is listed in these two tables. pendingChallenges itself is kept in
// tables.ts (with the challenge types): the sign-in flows read it there without importing the challenge files.
import { fillPendingChallenges, type ChallengeAnswer } from './tables.js';
import { answerPasswordVerifierChallenge } from './password-verifier.js';
import { mfaRequired } from './mfa.js';
import { answerEmailOtp, answerSmsMfa } from './code-mfa.js';
import { answerMfaSetup } from './mfa-setup.js';
import { answerSelectMfaType } from './select-mfa-type.js';
import { answerSoftwareTokenMfa } from './software-token-mfa.js';
import { answerNewPassword, newPasswordRequired } from './new-password.js';
import { answerDevicePasswordVerifier, answerDeviceSrpAuth, deviceSrpRequired, unlessRememberedDevice } from './device-srp.js';
import { answerCustomChallenge } from './custom-auth.js';
import { answerPasswordChallenge, answerPasswordSrpChallenge, answerSelectChallenge } from './select-challenge.js';
import { answerSmsOtp, emailOtpAnswer } from './otp-first-factor.js';
import { answerWebAuthn } from './web-authn.js';

export type { ChallengeAnswer, PendingChallenge } from './tables.js';

// Remembered devices (device-srp.ts): a remembered device may stand in for MFA; a known device is proven last.
fillPendingChallenges([newPasswordRequired, unlessRememberedDevice(mfaRequired), deviceSrpRequired]);

export const challengeAnswers: Partial<Record<string, ChallengeAnswer>> = {
  PASSWORD_VERIFIER: answerPasswordVerifierChallenge,
  DEVICE_SRP_AUTH: answerDeviceSrpAuth,
  DEVICE_PASSWORD_VERIFIER: answerDevicePasswordVerifier,
  NEW_PASSWORD_REQUIRED: answerNewPassword,
  SOFTWARE_TOKEN_MFA: answerSoftwareTokenMfa,
  SMS_MFA: answerSmsMfa,
  SELECT_MFA_TYPE: answerSelectMfaType,
  MFA_SETUP: answerMfaSetup,
  CUSTOM_CHALLENGE: answerCustomChallenge,
  // Choice-based sign-in (USER_AUTH, user-auth.ts): the first-factor choice and the one-time-password first factors.
  SELECT_CHALLENGE: answerSelectChallenge,
  PASSWORD: answerPasswordChallenge,
  PASSWORD_SRP: answerPasswordSrpChallenge,
  SMS_OTP: answerSmsOtp,
  // EMAIL_OTP is both a first factor and an MFA challenge: its Session says which.
  EMAIL_OTP: emailOtpAnswer(answerEmailOtp),
  // Passkeys (USER_AUTH WEB_AUTHN, web-authn.ts): the assertion, as ChallengeResponses CREDENTIAL.
  WEB_AUTHN: answerWebAuthn,
};
