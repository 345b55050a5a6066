/** Temporary rule directories for loader and CLI tests. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');
export const SEED_FILE = path.join(SHARED_DIR, 'seeds/kb-record-dotnet-httpclient.json');
export const DEADENDS_DIR = path.join(SHARED_DIR, 'data/deadends/canons');
export const REPO_SEED_FILE = path.join(REPO_ROOT, 'rules/dotnet/httpclient-socket-connection-pool-exhausted.json');
export const SHARED_MISSING = existsSync(SHARED_DIR)
  ? undefined
  : `skipped: ${SHARED_DIR} is absent (a fresh clone has no shared material)`;

const made: string[] = [];

/** A fresh directory holding `files` (path → JSON value, or raw text when a string). */
export async function rulesDir(files: Record<string, unknown> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-rules-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

export async function removeRulesDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** The smallest valid flat record, with `fields` merged in. */
export function flatRecord(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'test/boom', regex: 'boom happened', domain: 'test', category: 'test_error', ...fields };
}

/** The smallest valid deadends record, with `error` fields and top-level `fields` merged in. */
export function deadendsRecord(
  error: Record<string, unknown> = {},
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: 'test/boom/any',
    error: { signature: 'Boom happened', regex: 'boom happened', domain: 'test', category: 'test_error', ...error },
    ...fields,
  };
}
