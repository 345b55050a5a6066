// The Dockerfile and .dockerignore, checked statically: there is no Docker engine here or in CI
// to build the image, so these hold the properties a build would rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerNodeFlags } from '../../scripts/worker-node-flags.js';
import { OPTIONS } from '../../src/config/options.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** Instructions (continuations joined, comments dropped), ARGs before the first FROM, stages. */
function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [op = '', ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(' ') };
    if (instruction.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      const from = (m?.[1] ?? '').replace(/\$\{(\w+)\}/g, (_, name: string) => args[name] ?? '');
      stages.push(m?.[2] === undefined ? { from, steps: [] } : { from, name: m[2], steps: [] });
    } else if (stages.length === 0 && instruction.op === 'ARG') {
      const [name, value = ''] = instruction.args.split('=');
      args[name as string] = value;
    } else {
      stages[stages.length - 1]?.steps.push(instruction);
    }
  }
  return { args, stages };
}

const { stages } = parseDockerfile(read('Dockerfile'));
const runtime = stages[stages.length - 1] as Stage;
const build = stages[0] as Stage;
const steps = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op).map((s) => s.args);
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; allowScripts?: Record<string, boolean>; engines: { node: string } };

describe('Dockerfile', () => {
  it('builds in one stage and runs in another, both from the same pinned Node LTS slim image', () => {
    expect(stages).toHaveLength(2);
    expect(runtime.from).toBe(build.from);
    const m = /^node:(\d+)\.(\d+)\.(\d+)-(\w+)-slim$/.exec(runtime.from);
    expect(m, runtime.from).not.toBeNull();
    const major = Number(m?.[1]);
    // An even (LTS) line that package.json's engines accept.
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(pkg.engines.node)?.[1]));
    // CI runs the tests on exactly this Node, not only on the machine's.
    expect(read('.ci/run')).toContain(`scripts/ci/other-node.sh ${m?.[1]}.${m?.[2]}.${m?.[3]}`);
  });

  it('builds the native re2 module, compiles, and drops the devDependencies', () => {
    const run = steps(build, 'RUN').join('\n');
    expect(run).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(run).toContain('npm ci');
    expect(run).toContain('npm rebuild re2');
    // npm 11 runs a dependency's install script only when allowScripts lists it.
    expect(pkg.allowScripts?.re2).toBe(true);
    expect(run).toContain('npm run build');
    expect(run).toContain('npm prune --omit=dev');
  });

  it('ships only the compiled code, the production node_modules, the rules and package.json', () => {
    const copies = steps(runtime, 'COPY').map((args) => args.replace(/--\S+\s+/g, '').split(/\s+/)[0]);
    expect(copies.sort()).toEqual(['/app/dist', '/app/node_modules', '/app/package.json', 'rules']);
    expect(steps(runtime, 'COPY').filter((a) => a.startsWith('--from=')).every((a) => a.startsWith(`--from=${build.name}`))).toBe(true);
  });

  it('runs as a numeric non-root user', () => {
    const user = steps(runtime, 'USER').pop() ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
  });

  it('starts the faultline CLI, the worker by default, with the Node flags of npm start, serving the metrics port', () => {
    const flags = workerNodeFlags(ROOT);
    expect(flags.some((f) => f.startsWith('--max-old-space-size='))).toBe(true);
    const env = steps(runtime, 'ENV').join('\n');
    expect(/NODE_OPTIONS="([^"]*)"/.exec(env)?.[1]).toBe(flags.join(' '));
    expect(JSON.parse(steps(runtime, 'ENTRYPOINT').pop() ?? '[]')).toEqual(['node', pkg.bin.faultline]);
    expect(JSON.parse(steps(runtime, 'CMD').pop() ?? '[]')).toEqual(['worker']);
    const port = OPTIONS.find((o) => o.env === 'FAULTLINE_METRICS_PORT')?.default;
    expect(steps(runtime, 'EXPOSE')).toEqual([String(port)]);
    const health = steps(runtime, 'HEALTHCHECK').pop() ?? '';
    expect(health).toContain('/healthz');
    expect(health).toContain('FAULTLINE_METRICS_PORT');
    expect(health).not.toMatch(/curl|wget/);
  });
});

describe('.dockerignore', () => {
  /** Docker's rule for this allow-list style: the last matching pattern decides. */
  function sent(file: string): boolean {
    const patterns = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    let included = true;
    for (const p of patterns) {
      const negated = p.startsWith('!');
      const body = (negated ? p.slice(1) : p).replace(/\/$/, '');
      // `*` matches every top-level entry, and so everything under it.
      const matches = body === '*' || file === body || file.startsWith(`${body}/`);
      if (matches) included = negated;
    }
    return included;
  }

  it('sends what the Dockerfile copies from the context, and not node_modules, dist or .git', () => {
    const fromContext = stages
      .flatMap((s) => s.steps.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from=')))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext) expect(sent(source.replace(/^\.\//, '')), source).toBe(true);
    for (const file of ['src/cli/main.ts', 'rules/java/hikaricp-connection-not-available.json']) expect(sent(file), file).toBe(true);
    for (const file of ['node_modules/re2/package.json', 'dist/cli/main.js', '.git/HEAD', 'test/deploy/compose.test.ts', 'k8s/base/deployment.yaml']) {
      expect(sent(file), file).toBe(false);
    }
  });
});
