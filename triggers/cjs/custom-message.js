// Custom message trigger (Wild Rydes module 1, optional extension 2), as a CommonJS module: the same function as
// ../custom-message.mjs. Rewrites the sign-up confirmation message; every other message keeps the pool's text.
// The code goes where event.request.codeParameter stands: Corral (like Cognito) fills it in afterwards.
exports.handler = async (event) => {
  if (event.triggerSource === 'CustomMessage_SignUp') {
    const code = event.request.codeParameter;
    const name = event.request.userAttributes.email ?? event.userName;
    event.response.smsMessage = `Welcome to Wild Rydes! Your confirmation code is ${code}`;
    event.response.emailSubject = 'Bienvenido a WildRydes!';
    event.response.emailMessage =
      `<p>Hola ${name},</p>` +
      `<p>Thank you for signing up for Wild Rydes. Your confirmation code is <strong>${code}</strong>.</p>` +
      '<p>See you on the unicorn!</p>';
  }
  return event;
};
