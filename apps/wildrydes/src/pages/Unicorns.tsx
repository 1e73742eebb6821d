import { Unicorn, type UnicornProps } from '../components/Unicorn';

const HERD: Array<{ name: string; tagline: string; bio: string; look: UnicornProps }> = [
  {
    name: 'Bucephalus',
    tagline: 'Golden coat · Stallion · Senior guide',
    bio: 'Bucephalus has carried more riders than anyone in the herd and still remembers every shortcut. Calm in a storm, unbothered by sirens, and very proud of his golden coat. Ask him about the hill routes; he knows where the view is best.',
    look: { coat: '#ffd978', mane: ['#c0792b', '#e8a33d', '#ffefb0'], horn: '#fff6d5', title: 'Bucephalus, a golden unicorn' },
  },
  {
    name: 'Shadowfox',
    tagline: 'White coat · Stallion · Speed specialist',
    bio: 'Shadowfox is the one you call when you are late. Pale as fresh snow and quick as a rumour, he threads through the city at a gallop and somehow never spills a latte. Hold on tight and enjoy the breeze.',
    look: { coat: '#fbfbff', mane: ['#8fa3c7', '#c9d4ea', '#5c6f93'], horn: '#d7e3ff', title: 'Shadowfox, a white unicorn' },
  },
  {
    name: 'Rocinante',
    tagline: 'Yellow coat · Mare · Comfort rides',
    bio: 'Rocinante believes a ride should feel like a warm afternoon. She takes the scenic route unless told otherwise, hums along with your favourite genre, and has a gentle trot that first-time riders adore.',
    look: { coat: '#fff07a', mane: ['#ff8a3d', '#ff5d8f', '#ffc93c'], horn: '#ff9ecb', title: 'Rocinante, a yellow unicorn' },
  },
];

export function Unicorns() {
  return (
    <div className="content">
      <h1>Meet the Unicorns</h1>
      <p className="lede">
        Every Wild Rydes unicorn is vetted, well-fed and fully sparkle-certified. Here are a few members of the herd you may meet on your next ride.
      </p>
      <div className="herd">
        {HERD.map((u) => (
          <article key={u.name} className="card unicorn-card">
            <Unicorn className="unicorn-portrait" {...u.look} />
            <h2>{u.name}</h2>
            <p className="tagline">{u.tagline}</p>
            <p>{u.bio}</p>
          </article>
        ))}
      </div>
    </div>
  );
}
