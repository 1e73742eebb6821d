# Pre sign-up trigger (Wild Rydes module 1, optional extension 1), in Python: the same function as
# ../pre-signup-allowlist.mjs. Leaves confirmation and verification to the normal code flow, and refuses any email
# whose domain is not on the allow-list. ALLOWED_SIGNUP_DOMAINS (comma-separated) in the function's environment
# changes the list.
import os

ALLOWED = [d.strip().lower() for d in os.environ.get('ALLOWED_SIGNUP_DOMAINS', 'example.com').split(',') if d.strip()]


def lambda_handler(event, context):
    event['response']['autoConfirmUser'] = False
    event['response']['autoVerifyEmail'] = False
    event['response']['autoVerifyPhone'] = False

    email = event['request']['userAttributes'].get('email', '')
    domain = email[email.rfind('@') + 1:].lower()
    if '@' not in email or domain not in ALLOWED:
        raise Exception('Cannot sign up for the application with that email address.')
    return event
