const FAQ: Array<[string, string]> = [
  [
    'What is Wild Rydes?',
    'A ride-share service where your driver is a unicorn. You ask for a ride, a unicorn comes to pick you up, and you arrive somewhere with a big smile.',
  ],
  ['Are the unicorns real?', 'As real as your commute is long. Every one of them is a registered member of our herd.'],
  [
    'How do I get started?',
    'Choose Register, fill in your email, phone number, favourite music genre and a password, then verify your email with the code we send you.',
  ],
  [
    'Why do you need my phone number?',
    'So your unicorn can reach you if you are hard to spot at the pickup point. Please include your country code, for example +14252345678.',
  ],
  ['Why do you ask for my favourite music genre?', 'Unicorns love to hum along. Your genre lets your unicorn pick the right tune for the trip.'],
  [
    'I did not get my verification code. What now?',
    'Check your spam folder, then press Resend code on the Verify Email page. If you are running Wild Rydes yourself, the local mailbox (linked in the footer) shows every message the service has sent.',
  ],
  [
    'What makes a good password?',
    'At least 8 characters with an uppercase letter, a lowercase letter, a number and a symbol. The sign-up form ticks off each rule as you type.',
  ],
  ['I typed my password wrong too many times.', 'For your safety we pause sign-ins to your account for a little while. Wait a few minutes and try again.'],
  [
    'How do I request a ride?',
    'Sign in, open the ride page and click the map where you want to be picked up. Ride requests go live once the ride service is switched on.',
  ],
  ['How much does a ride cost?', 'You pick the price. Unicorns accept fair offers, and they are known to accept apples as a tip.'],
  ['Can I bring luggage?', 'A backpack or a small suitcase is fine. Pianos, sofas and other unicorns are not.'],
  ['Is it safe?', 'Every unicorn is trained, insured and checked by our Chief Unicorn Welfare Officer. Riders are asked to hold on to the mane at all times.'],
  ['Can I choose my unicorn?', 'Not yet. The nearest available member of the herd is sent to you, so every ride is a little surprise.'],
  ['Do unicorns fly?', 'Only on special occasions and never with passengers. Our rides stay firmly on the ground.'],
  [
    'What happens to my data?',
    'Your rider account lives in our own identity service. We use your email to sign you in, your phone to reach you at pickup, and your genre for the music. That is it.',
  ],
  ['How do I change my email or genre?', 'Sign in and open Profile. A new email needs a fresh verification code before it counts.'],
  [
    'How do I sign out of every device?',
    'On the ride page choose Sign out everywhere. All your sessions end and you will need to sign in again on each device.',
  ],
];

export function Faq() {
  return (
    <div className="content">
      <h1>Frequently Asked Questions</h1>
      <p className="lede">Everything you wanted to know about riding a unicorn to work but were afraid to ask.</p>
      <div className="faq">
        {FAQ.map(([q, a]) => (
          <details key={q} className="card faq-item">
            <summary>{q}</summary>
            <p>{a}</p>
          </details>
        ))}
      </div>
    </div>
  );
}
