const BOARD = [
  {
    name: 'Marisol Featherstone',
    role: 'Chair of the Board',
    bio: 'Built three logistics companies before deciding that wheels were overrated. Rides Rocinante to every board meeting.',
    color: '#ff7ab6',
  },
  {
    name: 'Dr. Ambrose Quill',
    role: 'Chief Unicorn Welfare Officer',
    bio: 'Veterinarian of mythical creatures for twenty years. Signs off on every shift schedule and every oat contract.',
    color: '#9b6bff',
  },
  {
    name: 'Priya Thornbury',
    role: 'Independent Director',
    bio: 'Former city transit planner. Knows exactly how many minutes a unicorn saves you on the morning commute.',
    color: '#4fc3f7',
  },
  {
    name: 'Oskar Lindqvist',
    role: 'Director, Finance',
    bio: 'Keeps the books balanced and the hay budget honest. Has never once been late, thanks to Shadowfox.',
    color: '#ffc93c',
  },
  {
    name: 'Tamsin Okafor',
    role: 'Director, Rider Trust & Safety',
    bio: 'Designed our rider accounts and verification. Believes every good ride starts with knowing who is at the curb.',
    color: '#7bd389',
  },
];

function Initials({ name, color }: { name: string; color: string }) {
  const initials = name
    .replace(/^Dr\.\s*/, '')
    .split(' ')
    .map((w) => w[0])
    .join('')
    .slice(0, 2);
  return (
    <svg className="avatar" viewBox="0 0 64 64" aria-hidden="true">
      <circle cx="32" cy="32" r="30" fill={color} />
      <path d="M26 10 L 34 -2 L 32 12 Z" fill="#ffc93c" transform="translate(4 4)" />
      <text x="32" y="40" textAnchor="middle" fontSize="22" fontWeight="700" fill="#fff">
        {initials}
      </text>
    </svg>
  );
}

export function Investors() {
  return (
    <div className="content">
      <h1>Investors &amp; Board of Directors</h1>
      <p className="lede">
        Wild Rydes is backed by people who believe the future of urban transport has four hooves and a horn. Our board keeps us honest, our unicorns happy, and
        our riders safe.
      </p>
      <section className="card investors-note">
        <h2>For investors</h2>
        <p>
          Since our first season the herd has grown every quarter, rider satisfaction has stayed sky-high, and not a single ride has been delayed by traffic. We
          are not raising at the moment, but we love hearing from people who share our enthusiasm for hooves over wheels.
        </p>
      </section>
      <h2>Board of Directors</h2>
      <ul className="board">
        {BOARD.map((m) => (
          <li key={m.name} className="card board-member">
            <Initials name={m.name} color={m.color} />
            <div>
              <h3>{m.name}</h3>
              <p className="tagline">{m.role}</p>
              <p>{m.bio}</p>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
