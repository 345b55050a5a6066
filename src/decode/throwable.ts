/**
 * Renders an exception found in a JSON log as the text a runtime would print, so that rules
 * written against real output (`java.net.SocketException: Too many open files`,
 * `Caused by: …`, `\tat …`) match JSON logs too.
 */

import { isRecord, unwrapAnyValue } from './field-path.js';

/** Cause chains and frame lists are cut here: enough for any real trace, bounded for hostile ones. */
const MAX_CAUSES = 8;
const MAX_FRAMES = 512;
const MAX_SUPPRESSED = 8;

// codeName/errmsg: a MongoDB Status in JSON ({code, codeName, errmsg}), which mongod itself prints as `codeName: errmsg`.
const TYPE_KEYS = ['type', 'name', 'class', 'className', 'Type', 'ClassName', 'exception_class', 'codeName'] as const;
const MESSAGE_KEYS = ['message', 'localizedMessage', 'Message', 'msg', 'errmsg'] as const;
const STACK_KEYS = [
  'stack',
  'stack_trace',
  'stacktrace',
  'stackTrace',
  'extendedStackTrace',
  'StackTrace',
  'StackTraceString',
  'trace',
] as const;
const CAUSE_KEYS = ['cause', 'Cause', 'InnerException', 'innerException', 'inner'] as const;

const hasOwn = Object.prototype.hasOwnProperty;

function firstString(obj: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    if (hasOwn.call(obj, k)) {
      const v = unwrapAnyValue(obj[k]);
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  return undefined;
}

function firstPresent(obj: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) {
    if (hasOwn.call(obj, k)) {
      const v = obj[k];
      if (v !== undefined && v !== null && v !== '') return v;
    }
  }
  return undefined;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** log4j2 `{class, method, file, line}` or Jackson's `{declaringClass, methodName, fileName, lineNumber}`. */
function renderFrame(frame: unknown): string | undefined {
  const f = unwrapAnyValue(frame);
  if (typeof f === 'string') return f;
  if (!isRecord(f)) return undefined;
  const cls = scalar(f.class ?? f.className ?? f.declaringClass);
  const method = scalar(f.method ?? f.methodName ?? f.function);
  const file = scalar(f.file ?? f.fileName ?? f.filename);
  const line = scalar(f.line ?? f.lineNumber ?? f.lineno);
  if (cls === undefined && method === undefined) return undefined;
  const where = file !== undefined ? (line !== undefined ? `${file}:${line}` : file) : 'Unknown Source';
  const name = cls !== undefined && method !== undefined ? `${cls}.${method}` : (cls ?? method);
  return `\tat ${name}(${where})`;
}

/** An array of frames or of lines. */
function renderStackArray(items: readonly unknown[]): string {
  const lines: string[] = [];
  const n = Math.min(items.length, MAX_FRAMES);
  for (let i = 0; i < n; i++) {
    const line = renderFrame(items[i]);
    if (line !== undefined && line !== '') lines.push(line);
  }
  return lines.join('\n');
}

function renderStack(stack: unknown): string | undefined {
  const s = unwrapAnyValue(stack);
  if (typeof s === 'string') return s === '' ? undefined : s;
  if (Array.isArray(s)) {
    const text = renderStackArray(s);
    return text === '' ? undefined : text;
  }
  return undefined;
}

/**
 * Whether a stack string already prints the exception: `Type: message` anywhere (Java and Node
 * put it first, Python last), or the message on the first line (a type spelled differently).
 * A bare substring test would be fooled by short messages found inside frame names.
 */
function stackShows(stack: string, head: string, message: string | undefined): boolean {
  if (stack.includes(head)) return true;
  if (message === undefined) return false;
  const nl = stack.indexOf('\n');
  return (nl < 0 ? stack : stack.slice(0, nl)).includes(message);
}

/** A libuv error code as Node's system errors carry it (`EMFILE`, `EADDRNOTAVAIL`, `ECONNRESET`). */
const UV_CODE = /^E[A-Z0-9]{2,}$/;

/**
 * A Node system error serialised by `JSON.stringify` (winston without `format.errors`, a hand-rolled
 * logger): its `message` and `stack` are not enumerable, so only `{errno, code, syscall, address,
 * port}` or `{…, path}` reach the log. Node builds the message from exactly those fields
 * (lib/internal/errors.js, uvException / uvExceptionWithHostPort: `${syscall} ${code} ${path}`,
 * `${syscall} ${code} ${address}:${port}`), so the text is rendered as Node would have printed it.
 */
function systemErrorHead(obj: Record<string, unknown>): string | undefined {
  const code = scalar(obj.code);
  const syscall = scalar(obj.syscall);
  if (code === undefined || syscall === undefined || !UV_CODE.test(code) || !/^\w+$/.test(syscall)) return undefined;
  const address = scalar(obj.address);
  const port = scalar(obj.port);
  const path = scalar(obj.path);
  let where = '';
  if (address !== undefined) where = port !== undefined ? ` ${address}:${port}` : ` ${address}`;
  else if (path !== undefined) where = ` ${path}`;
  return `Error: ${syscall} ${code}${where}`;
}

function renderObject(obj: Record<string, unknown>, depth: number): string {
  const type = firstString(obj, TYPE_KEYS);
  const message = firstString(obj, MESSAGE_KEYS);
  const stack = renderStack(firstPresent(obj, STACK_KEYS));

  let head: string;
  if (type !== undefined && message !== undefined) head = message.startsWith(type) ? message : `${type}: ${message}`;
  else head = type ?? message ?? (stack === undefined ? systemErrorHead(obj) : undefined) ?? '';

  let text: string;
  if (stack === undefined || head === '') text = stack ?? head;
  else if (stackShows(stack, head, message)) text = stack;
  else text = `${head}\n${stack}`;

  if (depth < MAX_CAUSES) {
    const suppressed = obj.suppressed;
    if (Array.isArray(suppressed)) {
      const n = Math.min(suppressed.length, MAX_SUPPRESSED);
      for (let i = 0; i < n; i++) {
        const s = renderError(suppressed[i], depth + 1);
        if (s !== '' && !text.includes(s)) text += `\n\tSuppressed: ${s}`;
      }
    }
    const cause = firstPresent(obj, CAUSE_KEYS);
    if (cause !== undefined) {
      const c = renderError(cause, depth + 1);
      if (c !== '' && !text.includes(c)) text += `\nCaused by: ${c}`;
    }
  }
  return text;
}

/**
 * Text of an error value: a string as is, an array as frames or lines, an object as
 * `Type: message`, its stack, suppressed exceptions and causes.
 */
export function renderError(value: unknown, depth = 0): string {
  const v = unwrapAnyValue(value);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return renderStackArray(v);
  if (isRecord(v)) return renderObject(v, depth);
  return '';
}
