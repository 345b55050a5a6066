// Answers "is there a Docker engine?" within a short, fixed time. testcontainers' own discovery
// is thorough but slow to give up, and the project's machines have a docker CLI and no daemon.
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

type Endpoint = { socketPath: string } | { host: string; port: number };

function candidateEndpoints(env: NodeJS.ProcessEnv): Endpoint[] {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    if (dockerHost.startsWith('unix://')) return [{ socketPath: dockerHost.slice('unix://'.length) }];
    const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(dockerHost);
    if (tcp?.[1] && tcp[2]) return [{ host: tcp[1], port: Number(tcp[2]) }];
    // ssh://, npipe:// …: cannot be pinged cheaply; let the local script provide Kafka instead.
    return [];
  }
  const uid = process.getuid?.() ?? 0;
  const sockets = [
    '/var/run/docker.sock',
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'docker.sock') : `/run/user/${uid}/docker.sock`,
    join(homedir(), '.docker', 'run', 'docker.sock'),
    join(homedir(), '.docker', 'desktop', 'docker.sock'),
  ];
  return sockets.filter((s) => existsSync(s)).map((socketPath) => ({ socketPath }));
}

function ping(endpoint: Endpoint, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** True when some Docker endpoint answers /_ping with 200 within `timeoutMs`. */
export async function dockerAnswers(env: NodeJS.ProcessEnv = process.env, timeoutMs = 1_500): Promise<boolean> {
  const endpoints = candidateEndpoints(env);
  const answers = await Promise.all(endpoints.map((e) => ping(e, timeoutMs)));
  return answers.some(Boolean);
}
