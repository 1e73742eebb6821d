// Our own unicorn, drawn in SVG. Coat and mane colours make each member of the herd.
import { useId } from 'react';

export interface UnicornProps {
  coat?: string;
  mane?: [string, string, string];
  horn?: string;
  hoof?: string;
  className?: string;
  title?: string;
  /** Galloping legs instead of standing ones. */
  gallop?: boolean;
}

export function Unicorn({
  coat = '#ffffff',
  mane = ['#ff7ab6', '#9b6bff', '#4fc3f7'],
  horn = '#ffc93c',
  hoof = '#6b4f7a',
  className,
  title = 'A unicorn',
  gallop = false,
}: UnicornProps) {
  const id = useId().replace(/:/g, '');
  const shade = `shade-${id}`;
  const legs = gallop
    ? [
        { x: 58, y: 104, r: 28 },
        { x: 76, y: 108, r: -18 },
        { x: 118, y: 106, r: 30 },
        { x: 134, y: 104, r: -34 },
      ]
    : [
        { x: 60, y: 106, r: 0 },
        { x: 78, y: 108, r: 0 },
        { x: 116, y: 108, r: 0 },
        { x: 134, y: 106, r: 0 },
      ];
  return (
    <svg className={className} viewBox="0 0 220 170" role="img" aria-label={title}>
      <title>{title}</title>
      <defs>
        <linearGradient id={shade} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor="#ffffff" stopOpacity="0.55" />
          <stop offset="1" stopColor="#ffffff" stopOpacity="0" />
        </linearGradient>
      </defs>
      {/* tail */}
      <path d="M40 78 C 12 70, 6 104, 18 124 C 22 104, 30 96, 44 96 Z" fill={mane[0]} />
      <path d="M40 84 C 20 84, 18 108, 26 122 C 30 106, 36 100, 46 100 Z" fill={mane[1]} />
      <path d="M42 90 C 30 94, 30 108, 34 116 C 38 106, 42 104, 48 104 Z" fill={mane[2]} />
      {/* legs */}
      {legs.map((leg, i) => (
        <g key={i} transform={`rotate(${leg.r} ${leg.x + 7} ${leg.y})`}>
          <rect x={leg.x} y={leg.y} width="14" height="44" rx="7" fill={coat} stroke="#3b2a4a" strokeWidth="3" />
          <rect x={leg.x} y={leg.y + 34} width="14" height="11" rx="4" fill={hoof} />
        </g>
      ))}
      {/* body */}
      <ellipse cx="96" cy="96" rx="60" ry="34" fill={coat} stroke="#3b2a4a" strokeWidth="3" />
      <ellipse cx="92" cy="84" rx="42" ry="14" fill={`url(#${shade})`} />
      {/* neck and head */}
      <path d="M128 86 C 136 60, 140 46, 150 36 L 172 46 C 164 60, 160 80, 150 100 Z" fill={coat} stroke="#3b2a4a" strokeWidth="3" strokeLinejoin="round" />
      <ellipse cx="168" cy="44" rx="26" ry="19" transform="rotate(18 168 44)" fill={coat} stroke="#3b2a4a" strokeWidth="3" />
      <ellipse cx="188" cy="56" rx="13" ry="10" transform="rotate(18 188 56)" fill={coat} stroke="#3b2a4a" strokeWidth="3" />
      <circle cx="191" cy="55" r="2.2" fill="#3b2a4a" />
      {/* ear */}
      <path d="M152 30 L 150 12 L 164 26 Z" fill={coat} stroke="#3b2a4a" strokeWidth="3" strokeLinejoin="round" />
      {/* horn */}
      <path d="M166 26 L 182 -2 L 176 30 Z" fill={horn} stroke="#3b2a4a" strokeWidth="2.5" strokeLinejoin="round" />
      <path d="M169 20 L 177 18 M171 13 L 179 11 M174 6 L 180 5" stroke="#3b2a4a" strokeWidth="1.6" strokeLinecap="round" />
      {/* mane */}
      <circle cx="146" cy="30" r="9" fill={mane[0]} />
      <circle cx="140" cy="42" r="9" fill={mane[1]} />
      <circle cx="135" cy="55" r="9" fill={mane[2]} />
      <circle cx="131" cy="68" r="8" fill={mane[0]} />
      <circle cx="128" cy="80" r="7" fill={mane[1]} />
      {/* face */}
      <path d="M166 42 q 5 -5 10 0" stroke="#3b2a4a" strokeWidth="3" fill="none" strokeLinecap="round" />
      <circle cx="178" cy="52" r="5" fill="#ff9ecb" opacity="0.7" />
      <path d="M186 64 q 5 4 10 -1" stroke="#3b2a4a" strokeWidth="2" fill="none" strokeLinecap="round" />
      {/* sparkles */}
      <path d="M196 14 l 3 7 l 7 3 l -7 3 l -3 7 l -3 -7 l -7 -3 l 7 -3 Z" fill={horn} opacity="0.9" />
      <path d="M120 30 l 2 5 l 5 2 l -5 2 l -2 5 l -2 -5 l -5 -2 l 5 -2 Z" fill={mane[2]} opacity="0.8" />
    </svg>
  );
}

/** Just the head, for the logo and map pins. */
export function UnicornHead({ className, size = 36 }: { className?: string; size?: number }) {
  return (
    <svg className={className} width={size} height={size} viewBox="0 0 64 64" aria-hidden="true">
      <circle cx="32" cy="32" r="31" fill="#ffe6f3" />
      <path d="M24 22 L 40 4 L 34 24 Z" fill="#ffc93c" stroke="#3b2a4a" strokeWidth="2" strokeLinejoin="round" />
      <circle cx="18" cy="24" r="6" fill="#ff7ab6" />
      <circle cx="15" cy="34" r="6" fill="#9b6bff" />
      <circle cx="16" cy="44" r="5" fill="#4fc3f7" />
      <path
        d="M20 50 C 18 36, 22 22, 34 22 C 46 22, 54 32, 52 42 C 50 50, 40 52, 34 48 L 28 54 Z"
        fill="#fff"
        stroke="#3b2a4a"
        strokeWidth="2.5"
        strokeLinejoin="round"
      />
      <path d="M34 32 q 4 -4 8 0" stroke="#3b2a4a" strokeWidth="2.5" fill="none" strokeLinecap="round" />
      <circle cx="44" cy="40" r="3.5" fill="#ff9ecb" opacity="0.8" />
    </svg>
  );
}
