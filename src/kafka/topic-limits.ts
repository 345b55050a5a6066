/**
 * The largest record batch each topic we write to accepts: its max.message.bytes as the broker
 * reports it (read at start-up and at every topic refresh), or the operator's override, or a
 * fallback under the broker's default (1 MiB + 12) while neither is known.
 */
export class TopicLimits {
  private readonly known = new Map<string, number>();

  constructor(
    private readonly fallback: number,
    /** FAULTLINE_MAX_MESSAGE_BYTES: wins over what the broker says. */
    private readonly override?: number,
  ) {}

  /** Whether the broker needs to be asked at all. */
  get fromBroker(): boolean {
    return this.override === undefined;
  }

  of(topic: string): number {
    return this.override ?? this.known.get(topic) ?? this.fallback;
  }

  /** Records what the broker said; returns the topics whose limit changed. */
  update(limits: ReadonlyMap<string, number>): string[] {
    const changed: string[] = [];
    for (const [topic, bytes] of limits) {
      if (!Number.isSafeInteger(bytes) || bytes <= 0) continue;
      if (this.known.get(topic) !== bytes) changed.push(topic);
      this.known.set(topic, bytes);
    }
    return changed;
  }
}
