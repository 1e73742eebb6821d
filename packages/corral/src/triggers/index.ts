// Lambda-style triggers (docs/triggers.md): the hooks the flows call, one line each.
//   invoke.ts          the envelope, the 5 s limit, Cognito's error mapping (shared by every trigger)
//   functions.ts       the functions registry (provisioning file `functions`, CORRAL_FUNCTIONS_DIR) and running one
//   pre-sign-up.ts     PreSignUp_SignUp / _AdminCreateUser
//   post-confirmation.ts PostConfirmation_ConfirmSignUp / _ConfirmForgotPassword
//   authentication.ts  PreAuthentication / PostAuthentication
//   pre-token-generation.ts TokenGeneration_* (V1 and V2 events)
//   custom-message.ts  CustomMessage_*
//   custom-sender.ts   CustomEmailSender_* / CustomSMSSender_* (the code encrypted as Cognito does; crypto/kms.ts)
//   user-migration.ts  UserMigration_Authentication / _ForgotPassword (domain/user-migration.ts creates the user)
//   auth-challenge.ts  DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse (CUSTOM_AUTH;
//                      the flow itself is domain/challenges/custom-auth.ts)
export { preSignUp } from './pre-sign-up.js';
export { postConfirmation } from './post-confirmation.js';
export { preAuthentication, postAuthentication } from './authentication.js';
export { preTokenGeneration, type TokenGenerationSource } from './pre-token-generation.js';
export { customizeMessage } from './custom-message.js';
export { defineAuthChallenge, createAuthChallenge, verifyAuthChallengeResponse, type ChallengeResult } from './auth-challenge.js';
