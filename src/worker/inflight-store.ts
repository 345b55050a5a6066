import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What one partition had in hand, as the poison-pill guard (./poison-guard.ts) leaves it on disk
 * while a batch is worked on. Offsets stay strings: they are 64-bit.
 */
export interface InFlightMarker {
  topic: string;
  partition: number;
  /** First and last offset of the batch in hand. */
  first: string;
  last: string;
  /** The record being processed, when the guard watches record by record. */
  record?: string;
  /** Deaths of the worker with this in hand if it dies now, this one included. */
  crashes: number;
}

interface StoredFile {
  version: 1;
  markers: InFlightMarker[];
}

/** Where the markers live unless FAULTLINE_STATE_DIR says otherwise. */
export function defaultStateDir(): string {
  return join(tmpdir(), 'faultline');
}

/**
 * One small JSON file per worker (group id + client id), rewritten whole on every change. A
 * rename over the old file makes each write atomic, so a kill -9 in the middle of a write leaves
 * the previous content, never half a file. No fsync: the guard is for a process that dies, not a
 * machine; the page cache outlives the process.
 *
 * Synchronous on purpose: the marker must be on disk before the record it names is touched, and
 * a write of a few hundred bytes costs tens of microseconds, per batch.
 */
export class InFlightStore {
  readonly path: string;
  private readonly tmpPath: string;

  constructor(dir: string, groupId: string, clientId: string) {
    // Ids may hold characters a file name may not.
    const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
    this.path = join(dir, `inflight-${safe(groupId)}-${safe(clientId)}.json`);
    this.tmpPath = `${this.path}.tmp`;
    mkdirSync(dir, { recursive: true });
  }

  /** Throws, at start-up, if the directory cannot be written. */
  probe(): void {
    writeFileSync(this.tmpPath, '');
    rmSync(this.tmpPath, { force: true });
  }

  /** What the previous process left; nothing when it stopped cleanly, or the file is unreadable. */
  load(): InFlightMarker[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = JSON.parse(text) as Partial<StoredFile>;
      return Array.isArray(parsed.markers) ? parsed.markers.filter(isMarker) : [];
    } catch {
      return [];
    }
  }

  save(markers: readonly InFlightMarker[]): void {
    if (markers.length === 0) {
      this.clear();
      return;
    }
    const file: StoredFile = { version: 1, markers: [...markers] };
    writeFileSync(this.tmpPath, JSON.stringify(file));
    renameSync(this.tmpPath, this.path);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}

function isMarker(m: unknown): m is InFlightMarker {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return (
    typeof r.topic === 'string' &&
    typeof r.partition === 'number' &&
    typeof r.first === 'string' &&
    typeof r.last === 'string' &&
    typeof r.crashes === 'number' &&
    (r.record === undefined || typeof r.record === 'string')
  );
}
