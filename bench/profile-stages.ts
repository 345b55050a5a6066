/**
 * Per-stage self time of a worker CPU profile from `BENCH_PROFILE=1 npm run bench:e2e`
 * (bench/results/profiles/CPU.*.cpuprofile): `node --import tsx bench/profile-stages.ts <file>
 * [top]`. Only the samples between the first and the last batch handled count (start-up and
 * shutdown are left out; WINDOW=<from>,<to> in profile µs gives another window, e.g. the main
 * thread's for a matcher thread's profile, printed on stderr). A sample's stage is that of the
 * innermost frame of ours or of a package on its stack: kafkajs fetch/decode, produce and commit,
 * our decode, match, tag, serialise, plan, sink, template miner, metrics, logging; GC apart.
 */
import { readFileSync } from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: { id: number; callFrame: Frame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: profile-stages.ts <file.cpuprofile> [top]');
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stack = (id: number): Frame[] => {
  const out: Frame[] = [];
  for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
    const node = byId.get(x);
    if (node !== undefined) out.push(node.callFrame);
  }
  return out;
};

let t = p.startTime;
const times = p.samples.map((_, i) => (t += p.timeDeltas[i] ?? 0));
let [first, last] = [Infinity, 0];
if (process.env.WINDOW) [first = 0, last = Infinity] = process.env.WINDOW.split(',').map(Number);
else {
  for (let i = 0; i < p.samples.length; i++) {
    if (stack(p.samples[i] as number).some((f) => /dist\/worker\/(batch-handler|pool-plan)/.test(f.url))) {
      first = Math.min(first, times[i] as number);
      last = Math.max(last, times[i] as number);
    }
  }
}

function stageOf(frames: Frame[]): string {
  const leaf = frames[0] as Frame;
  if (leaf.functionName === '(garbage collector)') return 'GC';
  if (leaf.functionName === '(idle)') return 'idle';
  if (leaf.functionName === '(program)') return 'V8 (program)';
  for (const f of frames) {
    const u = f.url;
    if (u === '') continue;
    if (u.includes('node_modules/kafkajs')) {
      const up = frames.map((x) => `${x.url} ${x.functionName}`).join('|');
      if (/dist\/kafka\/sink|sendBatch|producer/.test(up)) return 'kafkajs produce';
      if (/commitOffsets|offsetCommit/.test(up)) return 'kafkajs commit';
      if (/fetch|decoder|recordBatch|messageSet|Decoder/.test(up)) return 'kafkajs fetch/decode';
      return 'kafkajs other (connection, requests)';
    }
    if (u.includes('dist/decode/')) return 'decode';
    if (/dist\/(match|pool)\//.test(u)) return 'match (+ pool messaging)';
    if (/dist\/tag\/event-json/.test(u)) return 'serialise';
    if (/dist\/tag\/|dist\/worker\/core-processor/.test(u)) return 'tag';
    if (u.includes('dist/templates/')) return 'template miner';
    if (/dist\/metrics\/|prom-client/.test(u)) return 'metrics';
    if (/pino|dist\/log/.test(u)) return 'logging';
    if (/dist\/kafka\/(sink|record-size)/.test(u)) return 'sink (ours)';
    if (u.includes('dist/worker/batch-plan')) return leaf.functionName === 'stringify' ? 'serialise' : 'plan';
    if (u.includes('dist/worker/')) return 'plan';
    if (u.includes('dist/kafka/')) return 'kafka glue (ours)';
    if (/dist\/(ruleset|kb)\//.test(u)) return 'rules';
  }
  return 'node internals';
}

const stages = new Map<string, number>();
const fns = new Map<string, number>();
let busy = 0;
for (let i = 0; i < p.samples.length; i++) {
  const at = times[i] as number;
  if (at < first || at > last) continue;
  const d = p.timeDeltas[i] ?? 0;
  const frames = stack(p.samples[i] as number);
  const s = stageOf(frames);
  if (s === 'idle') continue;
  busy += d;
  stages.set(s, (stages.get(s) ?? 0) + d);
  const leaf = frames[0] as Frame;
  const k = `${s} :: ${leaf.functionName || '(anonymous)'} ${leaf.url.split('/').slice(-2).join('/')}:${leaf.lineNumber}`;
  fns.set(k, (fns.get(k) ?? 0) + d);
}
console.error(`WINDOW=${first},${last}`);
console.log(`window ${((last - first) / 1e6).toFixed(2)} s, busy ${(busy / 1e3).toFixed(0)} ms\n\n| stage | ms | share |\n| --- | ---: | ---: |`);
for (const [s, d] of [...stages].sort((a, b) => b[1] - a[1])) console.log(`| ${s} | ${(d / 1e3).toFixed(0)} | ${((100 * d) / busy).toFixed(1)} % |`);
console.log('\ntop self time:');
for (const [s, d] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 30))) {
  console.log(`${(d / 1e3).toFixed(1).padStart(8)} ms ${((100 * d) / busy).toFixed(1).padStart(5)} %  ${s}`);
}
