// Pre token generation trigger (Wild Rydes module 1, optional extension 3), as a CommonJS module: the same function
// as ../pre-token-generation.mjs. On sign-in, keeps the phone number out of the ID token and adds the rider's
// rewards level.
exports.handler = async (event) => {
  if (event.triggerSource === 'TokenGeneration_Authentication') {
    event.response = {
      claimsOverrideDetails: {
        claimsToAddOrOverride: { rewards: 'platinum' },
        claimsToSuppress: ['phone_number', 'phone_number_verified'],
      },
    };
  }
  return event;
};
