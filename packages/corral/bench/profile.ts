// Summarises V8 .cpuprofile files (node --cpu-prof): self time by function and by module, as text. Used by
// `npm run bench -- --profile` (one profile per server process — a cluster's primary and workers — merged, and cut
// to one operation's load window); runnable alone: node dist/bench-build/bench/profile.js FILE.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a function lives: a package name, a Corral source file, node's internals, or V8's pseudo-frames. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url;
  const own = /\/dist\/(.*)$/.exec(url)?.[1];
  return own ? `corral/${own}` : url;
}

export interface SelfTimes {
  /** Sampled self time in all, µs. */
  totalUs: number;
  byFunction: Map<string, number>;
  byModule: Map<string, number>;
  /** Inclusive time (self and callees) by function, each function counted once per sample. */
  inclusive: Map<string, number>;
}

const parsed = new Map<string, Profile>();

/** Self time by function and by module of the samples taken in `window` ([from, to], µs of the monotonic clock, as
 *  process.hrtime counts it in every process), over all `files`. */
export function selfTimes(files: string[], window?: [number, number]): SelfTimes {
  const out: SelfTimes = { totalUs: 0, byFunction: new Map(), byModule: new Map(), inclusive: new Map() };
  for (const file of files) {
    let p = parsed.get(file);
    if (!p) parsed.set(file, (p = JSON.parse(readFileSync(file, 'utf8')) as Profile));
    const selfUs = new Map<number, number>();
    if (p.samples && p.timeDeltas) {
      let t = p.startTime;
      for (let i = 0; i < p.samples.length; i++) {
        t += p.timeDeltas[i]!;
        if (window && (t < window[0] || t > window[1])) continue;
        selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
      }
    }
    const nameOf = (n: ProfileNode) => {
      const { functionName, url, lineNumber } = n.callFrame;
      const mod = moduleOf(url, functionName);
      return { mod, fn: `${functionName || '(anonymous)'}  ${mod}${url ? `:${lineNumber + 1}` : ''}` };
    };
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (const n of p.nodes) {
      const us = selfUs.get(n.id) ?? 0;
      if (!us) continue;
      const { mod, fn } = nameOf(n);
      out.byFunction.set(fn, (out.byFunction.get(fn) ?? 0) + us);
      out.byModule.set(mod, (out.byModule.get(mod) ?? 0) + us);
      out.totalUs += us;
      const seen = new Set<string>();
      for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
        const name = nameOf(byId.get(id)!).fn;
        if (seen.has(name)) continue;
        seen.add(name);
        out.inclusive.set(name, (out.inclusive.get(name) ?? 0) + us);
      }
    }
  }
  return out;
}

/** The `top` entries of `m`, largest first: [name, µs]. */
export function topOf(m: Map<string, number>, top: number): [string, number][] {
  return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/** `window`: [from, to] in µs of the monotonic clock (process.hrtime), to count only the samples taken then. */
export function summariseProfile(file: string | string[], top = 25, window?: [number, number]): string {
  const t = selfTimes(Array.isArray(file) ? file : [file], window);
  const total = t.totalUs || 1;
  const rows = (m: Map<string, number>) =>
    topOf(m, top)
      .map(([name, us]) => `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  return `self time by module (main threads, ${(total / 1e6).toFixed(2)} s sampled${window ? ' in the load window' : ''}):\n${rows(t.byModule)}\n\nself time by function:\n${rows(t.byFunction)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(summariseProfile(process.argv[2]!, Number(process.argv[3] ?? 40)));
}
