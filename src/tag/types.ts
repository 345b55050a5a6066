import type { Signal } from '../kb/types.js';

/** One matched rule as written into a tagged event. */
export interface MatchInfo {
  id: string;
  domain: string;
  category: string;
  tags: string[];
  signals: Signal[];
  root_cause?: string;
  confidence?: number;
  verification_tier?: string;
  workaround?: { action: string; success_rate?: number; how?: string };
  official_doc_url?: string;
  /** UTF-16 offsets of the match inside the matched text. */
  span: [number, number];
}

/** Where a record came from: a file line range, or a Kafka coordinate. */
export type EventSource =
  | { kind: 'file'; file: string; line: number; lines?: number }
  /** `index`: the record's place in a message that holds many (OTLP), counted from 0. */
  | { kind: 'kafka'; topic: string; partition: number; offset: string; timestamp?: string; index?: number };

export interface FaultlineBlock {
  matches: MatchInfo[];
  signals: Signal[];
  service?: string;
  source: EventSource;
  /** Version of the rules that matched (the worker's rules-loaded/rules-reloaded logs, faultline_rules_version). */
  rules_version?: string;
  /** The record's mined template (`scan --templates`). */
  template?: { id: string; pattern: string };
}

export type TaggedEvent = Record<string, unknown> & { faultline: FaultlineBlock };
