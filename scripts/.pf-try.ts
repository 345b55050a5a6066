import fs from 'node:fs';
import { loadBank } from './holdout/measure.js';
const loaded = await loadBank(process.argv[2] ?? 'rules');
const lines = fs.readFileSync(process.argv[3] ?? '/dev/stdin', 'utf8').split('\n').filter((l) => l.trim() !== '');
for (const raw of lines) {
  const neg = raw.startsWith('!');
  const text = (neg ? raw.slice(1) : raw).replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  const ids = loaded.bank.match(text).map((m) => loaded.rules[m.rule]).filter((r) => r && r.signals.includes('pool-starvation' as never)).map((r) => r!.id);
  const ok = neg ? ids.length === 0 : ids.length > 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${neg ? 'NEG' : 'POS'} ${text.slice(0, 110).replace(/\n/g, '⏎')} :: ${ids.join(',')}`);
}
