import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runCli } from './run-cli.js';

interface Tagged {
  message?: string;
  faultline: {
    matches: Array<{ id: string; span: [number, number]; signals: string[]; workaround?: { action: string } }>;
    signals: string[];
    service?: string;
    source: { kind: string; file: string; line: number; lines?: number };
  };
}

function rule(id: string, regex: string, tags: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, regex, domain: id.split('/')[0], category: 'resource_exhaustion', tags, ...extra }, null, 2);
}

let dir: string;
let rules: string;
const SOCKET = 'System.Net.Sockets.SocketException (10055): An operation on a socket could not be performed because the system lacked sufficient buffer space or because a queue was full.';
const HIKARI = 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-scan-'));
  rules = path.join(dir, 'rules');
  mkdirSync(path.join(rules, 'dotnet'), { recursive: true });
  mkdirSync(path.join(rules, 'java'), { recursive: true });
  writeFileSync(
    path.join(rules, 'dotnet', 'wsaenobufs.json'),
    rule('dotnet/wsaenobufs', 'SocketException \\(10055\\)', ['socket-exhaustion'], {
      workarounds: [
        { action: 'raise the port range', success_rate: 0.4 },
        { action: 'reuse HttpClient', success_rate: 0.9 },
      ],
    }),
  );
  writeFileSync(
    path.join(rules, 'java', 'hikari.json'),
    rule('java/hikari', 'HikariPool-\\d+ - Connection is not available, request timed out after \\d+ms', ['pool-starvation']),
  );
  writeFileSync(
    path.join(rules, 'java', 'caused-by-hikari.json'),
    rule('java/caused-by-hikari', '(?s)Unable to acquire JDBC Connection.*\\n\\s*Caused by: java\\.sql\\.SQLTransientConnectionException: HikariPool', ['pool-starvation']),
  );
  writeFileSync(
    path.join(dir, 'app.log'),
    [
      '2024-05-01 10:00:00 INFO started',
      `2024-05-01 10:00:01 ERROR request failed ${SOCKET}`,
      '2024-05-01 10:00:02 INFO ok',
      '2024-05-01 10:00:03 ERROR org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection',
      '\tat org.hibernate.engine.jdbc.spi.SqlExceptionHelper.convert(SqlExceptionHelper.java:48)',
      `Caused by: ${HIKARI}`,
      '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
      '\t... 12 more',
      JSON.stringify({ level: 50, msg: 'db call failed', service: 'checkout', err: { type: 'Error', message: 'x', stack: `Error: ${HIKARI}\n    at Pool.get (pool.js:1:1)` } }),
      '2024-05-01 10:00:04 INFO done',
    ].join('\n'),
  );
});

describe('faultline scan', () => {
  it('prints matched records as NDJSON with rule, span, signals and file/line, and a summary on stderr', async () => {
    const file = path.join(dir, 'app.log');
    const r = await runCli(['scan', '--rules', rules, file]);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout) as unknown as Tagged[];
    expect(events.map((e) => e.faultline.source.line)).toEqual([2, 4, 9]);
    const [socket, joined, json] = events as [Tagged, Tagged, Tagged];

    expect(socket.message).toContain(SOCKET);
    expect(socket.faultline.matches.map((m) => m.id)).toEqual(['dotnet/wsaenobufs']);
    expect(socket.faultline.signals).toEqual(['socket-exhaustion']);
    expect(socket.faultline.matches[0]?.workaround?.action).toBe('reuse HttpClient');
    const [start, end] = socket.faultline.matches[0]!.span;
    expect(socket.message!.slice(start, end)).toBe('SocketException (10055)');
    expect(socket.faultline.source).toMatchObject({ kind: 'file', file, line: 2 });

    // The stack trace was joined to its line: both the single-line and the cross-line rule fire.
    expect(joined.faultline.source.lines).toBe(5);
    expect(joined.faultline.matches.map((m) => m.id).sort()).toEqual(['java/caused-by-hikari', 'java/hikari']);
    expect(joined.faultline.signals).toEqual(['pool-starvation']);

    expect(json.faultline.service).toBe('checkout');
    expect(json.faultline.matches.map((m) => m.id)).toEqual(['java/hikari']);
    expect((json as unknown as { msg: string }).msg).toBe('db call failed');

    expect(r.stderr).toMatch(/6 records/);
    expect(r.stderr).toMatch(/3 matched/);
    expect(r.stderr).toMatch(/socket-exhaustion 1, pool-starvation 2, thread-starvation 0/);
    expect(r.stderr).toMatch(/\s2\s+java\/hikari/);
  });

  it('reads stdin for - and for no file at all, and --all prints every record', async () => {
    const input = `10:00:00 INFO plain line\n10:00:01 ERROR ${SOCKET}\n10:00:02 INFO another\n`;
    const dash = await runCli(['scan', '--rules', rules, '-'], { stdin: input });
    const none = await runCli(['scan', '--rules', rules], { stdin: input });
    const all = await runCli(['scan', '--rules', rules, '--all'], { stdin: input });
    expect(ndjson(dash.stdout)).toHaveLength(1);
    expect(none.stdout).toBe(dash.stdout);
    const every = ndjson(all.stdout) as unknown as Tagged[];
    expect(every.map((e) => e.faultline.matches.length)).toEqual([0, 1, 0]);
    expect(every.map((e) => e.faultline.source.file)).toEqual(['-', '-', '-']);
  });

  it('takes rules from FAULTLINE_RULES and exits 1 with --fail-on-match', async () => {
    const r = await runCli(['scan', '--fail-on-match'], { stdin: `${SOCKET}\n`, env: { FAULTLINE_RULES: rules } });
    expect(r.code).toBe(1);
    const clean = await runCli(['scan', '--fail-on-match'], { stdin: 'nothing here\n', env: { FAULTLINE_RULES: rules } });
    expect(clean.code).toBe(0);
  });

  it('skips a bad rule with a warning and keeps the rest; --strict-rules refuses to start', async () => {
    const bad = path.join(dir, 'bad-rules');
    mkdirSync(bad, { recursive: true });
    writeFileSync(path.join(bad, 'look.json'), rule('x/lookahead', 'foo(?=bar)', []));
    const dirs = `${rules},${bad}`;
    const r = await runCli(['scan', '--rules', dirs], { stdin: `${SOCKET}\n` });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/look\.json: x\/lookahead: .*/);
    expect(ndjson(r.stdout)).toHaveLength(1);
    const strict = await runCli(['scan', '--rules', dirs, '--strict-rules'], { stdin: `${SOCKET}\n` });
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
  });

  it('survives binary junk, invalid UTF-8 and over-long lines, and counts them', async () => {
    const junk = Buffer.concat([
      Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0xfe, 0, 7, 0, 0, 0, 0, 0, 0x0a]),
      Buffer.from('caf\xe9 ', 'latin1'),
      Buffer.from(`${SOCKET}\n`),
      Buffer.from(`${'x'.repeat(5000)} ${SOCKET}\n`),
      Buffer.from('{"msg": "not json\n'),
    ]);
    const r = await runCli(['scan', '--rules', rules, '--max-record-bytes', '1024'], { stdin: junk });
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout) as unknown as Tagged[];
    expect(events.map((e) => e.faultline.source.line)).toEqual([2]);
    expect(r.stderr).toMatch(/binary 1/);
    // The junk line and the Latin-1 line are both invalid UTF-8.
    expect(r.stderr).toMatch(/invalid-utf8 2/);
    expect(r.stderr).toMatch(/invalid-json 1/);
    expect(r.stderr).toMatch(/too-large 1/);
  });

  it('refuses rules when a configured rules directory cannot be read, as the worker does', async () => {
    const r = await runCli(['scan', '--rules', `${rules},${path.join(dir, 'no-such-rules')}`], { stdin: `${SOCKET}\n` });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/rules refused: .*no-such-rules/);
  });

  it('reports a missing file, still scans the others, and exits 2', async () => {
    const r = await runCli(['scan', '--rules', rules, path.join(dir, 'nope.log'), path.join(dir, 'app.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.log: .*ENOENT/);
    expect(ndjson(r.stdout)).toHaveLength(3);
  });

  it('stops start-up with one clear line per bad setting', async () => {
    const r = await runCli(['scan', '--max-record-bytes', 'lots'], { env: { FAULTLINE_LOG_LEVEL: 'loud' } });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^faultline: bad configuration: FAULTLINE_MAX_RECORD_BYTES \(--max-record-bytes\): must be integer/);
    expect(lines[1]).toMatch(/^faultline: bad configuration: FAULTLINE_LOG_LEVEL \(--log-level\): must be one of/);
  });
});
