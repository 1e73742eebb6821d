# Custom message trigger (Wild Rydes module 1, optional extension 2), in Python: the same function as
# ../custom-message.mjs. Rewrites the sign-up confirmation message; every other message keeps the pool's text.
# The code goes where event['request']['codeParameter'] stands: Corral (like Cognito) fills it in afterwards.


def lambda_handler(event, context):
    if event['triggerSource'] == 'CustomMessage_SignUp':
        code = event['request']['codeParameter']
        email = event['request']['userAttributes'].get('email')
        name = email if email is not None else event['userName']
        event['response']['smsMessage'] = 'Welcome to Wild Rydes! Your confirmation code is ' + code
        event['response']['emailSubject'] = 'Bienvenido a WildRydes!'
        event['response']['emailMessage'] = (
            '<p>Hola ' + name + ',</p>'
            '<p>Thank you for signing up for Wild Rydes. Your confirmation code is <strong>' + code + '</strong>.</p>'
            '<p>See you on the unicorn!</p>'
        )
    return event
