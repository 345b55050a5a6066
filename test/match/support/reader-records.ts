/** scan's line reader as the tests drive it: the records (their texts) that `lines` make. */
import { LineJoiner } from '../../../src/decode/multiline.js';

export function readerRecords(lines: readonly string[]): string[] {
  const joiner = new LineJoiner<string>();
  const out: string[] = [];
  lines.forEach((line, i) => {
    const r = joiner.push(line, i + 1);
    if (r) out.push(r.text);
  });
  const last = joiner.flush();
  if (last) out.push(last.text);
  return out;
}
