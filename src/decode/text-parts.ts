/**
 * Collects the pieces of a record's text (message, exception, stack) without repeating one that
 * another already contains: a stack trace almost always starts with the exception message, and
 * pino copies err.message into msg.
 */
export class TextParts {
  private parts: string[] = [];
  private length = 0;

  /** `limit` caps the joined text (in UTF-16 units), so a record can never produce more text than it holds. */
  constructor(private readonly limit: number) {}

  add(text: string): void {
    if (text === '' || this.length >= this.limit) return;
    const parts = this.parts;
    for (const p of parts) if (p.includes(text)) return;
    let kept = 0;
    for (const p of parts) {
      if (text.includes(p)) this.length -= p.length + 1;
      else parts[kept++] = p;
    }
    if (kept !== parts.length) parts.length = kept;
    const room = this.limit - this.length;
    const piece = text.length + 1 > room ? text.slice(0, Math.max(0, room - 1)) : text;
    if (piece === '') return;
    parts.push(piece);
    this.length += piece.length + 1;
  }

  get count(): number {
    return this.parts.length;
  }

  get full(): boolean {
    return this.length >= this.limit;
  }

  join(): string {
    const parts = this.parts;
    return parts.length === 1 ? (parts[0] ?? '') : parts.join('\n');
  }
}
