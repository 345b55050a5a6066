import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runCli } from './run-cli.js';

let dir: string;
let log: string;

const lines = [
  '2026-11-30T10:00:00Z INFO request served in 3 ms',
  '2026-11-30T10:00:01Z ERROR LeaseBroker: no lease granted for tenant acme-7 within 3000 ms',
  '2026-11-30T10:00:02Z INFO request served in 5 ms',
  '2026-11-30T10:00:03Z ERROR LeaseBroker: no lease granted for tenant zeta within 3000 ms',
  '2026-11-30T10:00:04Z ERROR HikariPool-1 - Connection is not available, request timed out after 30000ms.',
  '2026-11-30T10:00:05Z ERROR LeaseBroker: no lease granted for tenant acme-9 within 5000 ms',
];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-scan-templates-'));
  log = path.join(dir, 'app.log');
  writeFileSync(log, `${lines.join('\n')}\n`);
});

describe('scan --templates', () => {
  it('gives every printed event its template, and lists unknown errors in the summary', async () => {
    const r = await runCli(['scan', '--templates', '--all', '--no-progress', log]);
    expect(r.code).toBe(0);
    const events = ndjson(r.stdout) as Array<{ faultline: { template?: { id: string; pattern: string }; matches: unknown[] } }>;
    expect(events).toHaveLength(lines.length);
    for (const e of events) expect(e.faultline.template?.id).toMatch(/^t[0-9a-z]+$/);
    const ids = events.map((e) => e.faultline.template!.id);
    expect(ids[1]).toBe(ids[3]);
    expect(ids[1]).toBe(ids[5]);
    expect(ids[0]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[1]);
    // The matched Hikari line is a known error: not among the unknown ones.
    expect(events[4]?.faultline.matches.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('unknown errors/warnings (no rule matched): 1 templates');
    expect(r.stderr).toMatch(new RegExp(`\\s3\\s+${ids[1]}\\s+<\\*> ERROR LeaseBroker : no lease granted for tenant <\\*> within <\\*> ms`));
    expect(r.stderr).toContain(`first ${log}:2, last ${log}:6`);
  });

  it('without --templates, events carry no template', async () => {
    const r = await runCli(['scan', '--all', '--no-progress', log]);
    for (const e of ndjson(r.stdout) as Array<{ faultline: Record<string, unknown> }>) expect(e.faultline.template).toBeUndefined();
  });

  it('rules suggest turns the template scan named into a rule that rules check and rules test accept', async () => {
    const scan = await runCli(['scan', '--templates', '--no-progress', log]);
    const id = /\s3\s+(t[0-9a-z]+)\s/.exec(scan.stderr)?.[1];
    expect(id).toBeDefined();
    const out = path.join(dir, 'rules', 'draft.json');
    mkdirSync(path.dirname(out), { recursive: true });
    const suggest = await runCli(['rules', 'suggest', '--from', log, '--template', id!, '--out', out]);
    expect(suggest.code, suggest.stderr).toBe(0);
    const rule = JSON.parse(readFileSync(out, 'utf8')) as { regex: string; examples: { match: Array<{ text: string; source: string }> } };
    expect(rule.examples.match.map((m) => m.text)).toEqual([lines[1], lines[3], lines[5]]);
    expect(rule.examples.match[0]?.source).toMatch(/^file:\/\/.*app\.log#L2$/);
    expect((await runCli(['rules', 'check', '--rules', path.dirname(out)])).code).toBe(0);
    const test = await runCli(['rules', 'test', '--rules', path.dirname(out)]);
    expect(test.code, test.stdout).toBe(0);
  });

  it('rules suggest from a text, and one clear line for an unknown template', async () => {
    const fromText = await runCli(['rules', 'suggest', 'ERROR Widget pool drained: 0 of 12 widgets free after 500 ms']);
    expect(fromText.code).toBe(0);
    expect((JSON.parse(fromText.stdout) as { regex: string }).regex).toBe('ERROR\\s+Widget\\s+pool\\s+drained:\\s+[0-9]{1,20}\\s+of\\s+[0-9]{1,20}\\s+widgets\\s+free\\s+after\\s+[0-9]{1,20}\\s+ms');
    const missing = await runCli(['rules', 'suggest', '--from', log, '--template', 'tzzz']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([`faultline rules suggest: template tzzz not found in ${log}`]);
  });
});
