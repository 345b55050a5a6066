/**
 * Parses a rule file and, when it is not valid JSON, says where. V8's JSON.parse messages differ
 * between Node versions and often carry no position at all ("Unexpected token 'x', ..."), so on
 * failure a small strict JSON scanner finds the first error itself. It only runs on broken files.
 */

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: string };

const BOM = '\uFEFF';

export function parseJsonText(text: string): JsonParseResult {
  // Editors on Windows and some ConfigMap generators prepend a BOM; JSON.parse rejects it.
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    const found = locateJsonError(body);
    if (found === undefined) return { ok: false, message: `invalid JSON: ${(error as Error).message}` };
    const { line, column } = lineAndColumn(body, found.position);
    return { ok: false, message: `invalid JSON at line ${line}, column ${column}: ${found.reason}` };
  }
}

export interface JsonSyntaxError {
  /** UTF-16 index of the offending character (text length for a truncated text). */
  position: number;
  reason: string;
}

class SyntaxFault extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The first syntax error of `text` under RFC 8259, or undefined when the text is valid JSON. */
export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;

  const describe = (at: number): string => `unexpected character ${JSON.stringify(text[at])}`;
  // Running out of text is the clearest thing to say, whatever was expected next.
  const fail = (reason?: string): never => {
    throw new SyntaxFault(i, i >= text.length ? 'unexpected end of input' : (reason ?? describe(i)));
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expectChar = (ch: string, what: string): void => {
    if (text[i] !== ch) fail(`expected ${what}, found ${JSON.stringify(text[i])}`);
    i++;
  };

  const parseString = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const code = text.charCodeAt(i);
      if (code === 0x22) {
        i++;
        return;
      }
      if (code < 0x20) fail('control character in string (escape it, e.g. \\n)');
      if (code === 0x5c) {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail(`invalid escape sequence "\\${next ?? ''}" in string`);
        continue;
      }
      i++;
    }
  };

  const digits = (): void => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };

  const parseNumber = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };

  const parseLiteral = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };

  const parseValue = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '{') parseObject();
    else if (ch === '[') parseArray();
    else if (ch === '"') parseString();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) parseNumber();
    else if (ch === 't') parseLiteral('true');
    else if (ch === 'f') parseLiteral('false');
    else if (ch === 'n') parseLiteral('null');
    else fail();
  };

  const parseObject = (): void => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail(text[i] === '}' ? 'trailing comma before "}"' : 'expected a double-quoted property name');
      parseString();
      skipSpace();
      expectChar(':', '":" after property name');
      parseValue();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      expectChar(',', '"," or "}" after property value');
    }
  };

  const parseArray = (): void => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] === ']') fail('trailing comma before "]"');
      parseValue();
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      expectChar(',', '"," or "]" after array element');
    }
  };

  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail('unexpected content after the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxFault) return { position: error.position, reason: error.reason };
    // Absurdly deep nesting overflows this recursive scanner: fall back to V8's own message.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** 1-based line and column (in UTF-16 units) of `position`. */
export function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < position && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}
