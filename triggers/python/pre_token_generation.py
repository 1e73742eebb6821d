# Pre token generation trigger (Wild Rydes module 1, optional extension 3), in Python: the same function as
# ../pre-token-generation.mjs. On sign-in, keeps the phone number out of the ID token and adds the rider's rewards
# level.


def lambda_handler(event, context):
    if event['triggerSource'] == 'TokenGeneration_Authentication':
        event['response'] = {
            'claimsOverrideDetails': {
                'claimsToAddOrOverride': {'rewards': 'platinum'},
                'claimsToSuppress': ['phone_number', 'phone_number_verified'],
            },
        }
    return event
