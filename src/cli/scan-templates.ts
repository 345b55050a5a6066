/**
 * `scan --templates`: every record's template (for the printed events), and the most frequent
 * templates of the records no rule matched that look like errors or warnings (for the summary).
 * One miner for all records, so that an id names one template for the whole run.
 */
import { severityOf } from '../templates/level.js';
import { TemplateMiner, templatePattern } from '../templates/miner.js';
import { firstLine } from '../templates/unknown-errors.js';

interface Unknown {
  count: number;
  example: string;
  first: string;
  last: string;
}

export interface TemplateRef {
  id: string;
  pattern: string;
}

export class ScanTemplates {
  private readonly miner = new TemplateMiner();
  private readonly unknown = new Map<string, Unknown>();

  /** The record's template; an unmatched error or warning also counts toward the summary. */
  add(text: string, event: Record<string, unknown>, matched: boolean, where: string): TemplateRef {
    const t = this.miner.add(firstLine(text));
    if (!matched && severityOf(event, text) !== 'other') {
      const u = this.unknown.get(t.id);
      if (u === undefined) this.unknown.set(t.id, { count: 1, example: firstLine(text).slice(0, 200), first: where, last: where });
      else {
        u.count++;
        u.last = where;
      }
    }
    return { id: t.id, pattern: templatePattern(t.tokens) };
  }

  /** The summary block: the `limit` most frequent unknown error/warning templates. */
  render(limit = 10): string {
    const live = [...this.unknown].filter(([id]) => this.miner.get(id) !== undefined);
    if (live.length === 0) return '  unknown errors/warnings (no rule matched): none\n';
    live.sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
    const lines = [`  unknown errors/warnings (no rule matched): ${live.length} templates; the most frequent:`];
    for (const [id, u] of live.slice(0, limit)) {
      const pattern = templatePattern(this.miner.get(id)!.tokens);
      lines.push(`  ${String(u.count).padStart(8)}  ${id}  ${pattern.slice(0, 160)}`);
      lines.push(`            e.g. ${u.example}`);
      lines.push(`            first ${u.first}, last ${u.last}`);
    }
    lines.push('  turn one into a rule: faultline rules suggest --from <file> --template <id>');
    return `${lines.join('\n')}\n`;
  }
}
