import { Link } from 'react-router-dom';
import { Unicorn } from '../components/Unicorn';

const STEPS = [
  {
    title: 'Download the App',
    text: 'Grab Wild Rydes on your phone, or just open this website. Tell us your email and your favourite music, and you are part of the herd.',
    icon: (
      <svg viewBox="0 0 48 48" aria-hidden="true">
        <rect x="14" y="4" width="20" height="40" rx="4" fill="#9b6bff" />
        <rect x="17" y="9" width="14" height="26" rx="2" fill="#fff" />
        <path d="M24 14 v12 m-5 -5 l5 5 l5 -5" stroke="#9b6bff" strokeWidth="3" fill="none" strokeLinecap="round" />
        <circle cx="24" cy="39" r="2" fill="#fff" />
      </svg>
    ),
  },
  {
    title: 'Request a Unicorn',
    text: 'Drop a pin where you are. The nearest well-rested unicorn trots over, usually faster than you can finish your coffee.',
    icon: (
      <svg viewBox="0 0 48 48" aria-hidden="true">
        <path d="M24 44 C 12 30, 10 24, 10 18 a 14 14 0 0 1 28 0 c 0 6, -2 12, -14 26 Z" fill="#ff7ab6" />
        <circle cx="24" cy="18" r="6" fill="#fff" />
        <path d="M22 14 L 30 2 L 27 15 Z" fill="#ffc93c" />
      </svg>
    ),
  },
  {
    title: 'Pick a Price',
    text: 'Name what the ride is worth to you. Unicorns are generous creatures and a fair offer plus a carrot goes a long way.',
    icon: (
      <svg viewBox="0 0 48 48" aria-hidden="true">
        <path d="M6 24 L 24 6 H 42 V 24 L 24 42 Z" fill="#4fc3f7" />
        <circle cx="34" cy="14" r="3.5" fill="#fff" />
        <text x="21" y="30" fontSize="14" fontWeight="700" fill="#fff" textAnchor="middle">
          $
        </text>
      </svg>
    ),
  },
  {
    title: 'Ride Off To Success!',
    text: 'Hop on, hold on to the mane, and arrive with windswept hair and a story nobody at the office will believe.',
    icon: (
      <svg viewBox="0 0 48 48" aria-hidden="true">
        <circle cx="24" cy="30" r="12" fill="#ffc93c" />
        <path d="M4 40 C 12 30, 36 30, 44 40 Z" fill="#7bd389" />
        <path d="M24 6 v6 M10 12 l4 4 M38 12 l-4 4" stroke="#ffc93c" strokeWidth="3" strokeLinecap="round" />
      </svg>
    ),
  },
];

export function Home() {
  return (
    <div className="home">
      <section className="hero">
        <div className="hero-text">
          <p className="eyebrow">The ride-share with horns</p>
          <h1>Wild Rydes</h1>
          <p className="lede">
            Cars are so last century. Summon a friendly unicorn to your doorstep and gallop across the city in style — no traffic, no parking, just sparkles.
          </p>
          <Link to="/app" className="button button-big">
            Giddy Up!
          </Link>
        </div>
        <div className="hero-art">
          <Unicorn className="hero-unicorn" gallop title="A galloping Wild Rydes unicorn" />
          <svg className="hero-rainbow" viewBox="0 0 200 100" aria-hidden="true">
            {['#ff7ab6', '#ffc93c', '#7bd389', '#4fc3f7', '#9b6bff'].map((c, i) => (
              <path key={c} d={`M${10 + i * 8} 100 A ${90 - i * 8} ${90 - i * 8} 0 0 1 ${190 - i * 8} 100`} stroke={c} strokeWidth="8" fill="none" />
            ))}
          </svg>
        </div>
      </section>

      <section className="how">
        <h2>How Does This Work?</h2>
        <ol className="steps">
          {STEPS.map((step) => (
            <li key={step.title} className="card step">
              <div className="step-icon">{step.icon}</div>
              <h3>{step.title}</h3>
              <p>{step.text}</p>
            </li>
          ))}
        </ol>
      </section>

      <section className="story">
        <h2>Our Story</h2>
        <div className="story-body">
          <p>
            Wild Rydes began on a rainy Tuesday, when our founders watched a bus sail past a stop full of soaked commuters. Across the street, a unicorn was
            grazing in a pocket park with absolutely nothing to do. The idea wrote itself.
          </p>
          <p>
            We now partner with a growing herd of independent unicorns who set their own hours, choose their own routes and are paid in fair wages and premium
            oats. Riders get a quick, quiet and frankly magical way to cross town; unicorns get meaningful work and plenty of admiration.
          </p>
          <p>
            Every ride starts with a rider account, so we know who is waiting at the curb. Sign up once, verify your email, and the herd is at your service.
          </p>
        </div>
      </section>
    </div>
  );
}
