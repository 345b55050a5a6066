/**
 * The work of one matcher thread: a bank per rules generation the pool sent, kept until the
 * pool drops it, and chunks of texts matched against the generation they name. The pool only
 * sends a chunk once this thread said it has that generation, so a chunk never waits for a build.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Rule } from '../kb/types.js';
import { buildBank } from '../match/bank.js';
import { matchRecordText } from '../match/record-text.js';
import type { MatcherBank, RuleMatch } from '../match/types.js';
import { packMatches, type FromThread, type ToThread } from './protocol.js';

export interface ThreadHooks {
  /** Called before each chunk is matched (tests: a thread that dies mid-chunk). */
  beforeMatch?: (texts: readonly string[]) => void;
}

export function serveMatcher(port: MessagePort, hooks: ThreadHooks = {}): void {
  const banks = new Map<number, MatcherBank>();
  const reply = (m: FromThread, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

  port.on('message', (m: ToThread) => {
    if (m.type === 'load') {
      try {
        // buildBank reads a rule's id, file, patterns and unless only (see ThreadRule).
        const { bank } = buildBank(m.rules as unknown as Rule[]);
        // The main thread tags with its own rule list: indexes must mean the same rules.
        if (bank.rules.length !== m.rules.length) {
          bank.close();
          throw new Error(`compiled ${bank.rules.length} of ${m.rules.length} rules the main thread compiled`);
        }
        banks.get(m.generation)?.close();
        banks.set(m.generation, bank);
        reply({ type: 'loaded', generation: m.generation });
      } catch (err) {
        reply({ type: 'load-failed', generation: m.generation, error: (err as Error).message });
      }
      return;
    }
    if (m.type === 'drop') {
      banks.get(m.generation)?.close();
      banks.delete(m.generation);
      return;
    }
    const bank = banks.get(m.generation);
    if (bank === undefined) {
      reply({ type: 'match-failed', chunk: m.chunk, error: `no bank of generation ${m.generation} in this thread` });
      return;
    }
    try {
      hooks.beforeMatch?.(m.texts);
      const results: RuleMatch[][] = new Array<RuleMatch[]>(m.texts.length);
      for (let i = 0; i < m.texts.length; i++) {
        const text = m.texts[i] as string;
        results[i] = text === '' ? [] : matchRecordText(bank, text);
      }
      const packed = packMatches(results);
      reply({ type: 'matched', chunk: m.chunk, packed: packed.buffer as ArrayBuffer }, [packed.buffer as ArrayBuffer]);
    } catch (err) {
      reply({ type: 'match-failed', chunk: m.chunk, error: (err as Error).message });
    }
  });
}
