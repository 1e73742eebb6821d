// Pre token generation trigger (Wild Rydes module 1, optional extension 3).
// On sign-in, keeps the phone number out of the ID token and adds the rider's rewards level.
export async function handler(event) {
  if (event.triggerSource === 'TokenGeneration_Authentication') {
    event.response = {
      claimsOverrideDetails: {
        claimsToAddOrOverride: { rewards: 'platinum' },
        claimsToSuppress: ['phone_number', 'phone_number_verified'],
      },
    };
  }
  return event;
}
