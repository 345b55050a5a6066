import { describe, expect, it } from 'vitest';
import { createDecoder, decodeRecord } from '../../src/decode/decode-record.js';
import type { DecodeOptions } from '../../src/decode/types.js';
import * as R from './fixtures/json-records.js';

const opts: DecodeOptions = { maxRecordBytes: 64 * 1024 };
const decodeJson = (record: object, fallback?: string) => decodeRecord(JSON.stringify(record), opts, fallback);

/** Text lines of a decoded record, for order-sensitive assertions. */
const lines = (text: string) => text.split('\n');

describe('decodeRecord: plain text', () => {
  it('matches the line itself and emits it as {message}', () => {
    const line = '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster';
    const d = decodeRecord(line, opts);
    expect(d).toEqual({ text: line, event: { message: line }, format: 'text', issues: [], bytes: line.length });
  });

  it('accepts a Buffer and counts bytes, not characters', () => {
    const line = 'Verbindung fehlgeschlagen: Zu viele offene Dateien — äöü';
    const d = decodeRecord(Buffer.from(line), opts);
    expect(d.text).toBe(line);
    expect(d.bytes).toBe(Buffer.byteLength(line));
    expect(d.bytes).toBeGreaterThan(line.length);
  });

  it('drops a trailing newline (a Kafka value written with one) and CR', () => {
    expect(decodeRecord('socket: too many open files\r\n', opts).text).toBe('socket: too many open files');
  });

  it('keeps a multi-line record (joined stack trace) whole', () => {
    const d = decodeRecord(R.stacks.HIKARI_TRACE, opts);
    expect(d.text).toBe(R.stacks.HIKARI_TRACE.replace(/\n$/, ''));
    expect(d.format).toBe('text');
  });

  it('uses the fallback service for plain text, from the argument before the options', () => {
    expect(decodeRecord('x', opts, 'from-header').service).toBe('from-header');
    expect(decodeRecord('x', { ...opts, fallbackService: 'from-options' }).service).toBe('from-options');
    expect(decodeRecord('x', { ...opts, fallbackService: 'from-options' }, 'from-header').service).toBe('from-header');
    expect(decodeRecord('x', opts).service).toBeUndefined();
  });

  it('does not try to parse ordinary lines that start with [ or "', () => {
    const apache = '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6';
    expect(decodeRecord(apache, opts)).toMatchObject({ text: apache, format: 'text', issues: [] });
    const quoted = '"GET /index.html HTTP/1.1" 503 - upstream connect error';
    expect(decodeRecord(quoted, opts)).toMatchObject({ text: quoted, format: 'text', issues: [] });
    const bracketed = '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy [HTTPS]';
    expect(decodeRecord(bracketed, opts)).toMatchObject({ text: bracketed, format: 'text', issues: [] });
  });
});

describe('decodeRecord: JSON shapes', () => {
  it('pino: err.stack holds msg and err.message, so the text is the stack once', () => {
    const d = decodeJson(R.pinoError);
    expect(d.format).toBe('json');
    expect(d.text).toBe(R.stacks.NODE_STACK);
    expect(d.event).toEqual(R.pinoError);
    expect(d.issues).toEqual([]);
  });

  it('pino: a distinct msg comes first, then the stack; service from the child binding', () => {
    const d = decodeJson(R.pinoWithMessage);
    expect(lines(d.text)[0]).toBe('query failed');
    expect(d.text).toBe(`query failed\n${R.stacks.NODE_STACK}`);
    expect(d.service).toBe('orders');
  });

  it('bunyan: msg then err.stack', () => {
    const d = decodeJson(R.bunyanError);
    expect(d.text).toBe(`cannot open cache\n${R.bunyanError.err.stack}`);
  });

  it('winston: message is inside stack, so only the stack; service from defaultMeta', () => {
    const d = decodeJson(R.winstonError);
    expect(d.text).toBe(R.winstonError.stack);
    expect(d.service).toBe('user-service');
  });

  it('winston without format.errors: a Node system error reaches the log as its enumerable fields, read as Node prints it', () => {
    // JSON.stringify of a Node error keeps errno/code/syscall/address/port, not message or stack.
    const d = decodeJson({ level: 'error', message: 'upstream request failed', error: { errno: -24, code: 'EMFILE', syscall: 'connect', address: '10.0.0.8', port: 443 } });
    expect(lines(d.text)).toEqual(['upstream request failed', 'Error: connect EMFILE 10.0.0.8:443']);
  });

  it('ECS flat keys: error.stack_trace holds message, error.type and error.message, so it alone is the text', () => {
    const d = decodeJson(R.ecsFlat);
    expect(d.text).toBe(R.stacks.HIKARI_TRACE.trimEnd());
    expect(d.service).toBe('spring-petclinic');
  });

  it('ECS flat keys without a stack trace: error.type and error.message render as Type: message', () => {
    const d = decodeJson(R.log4j2EcsTemplate);
    expect(d.text).toBe('Hello, error!\njava.lang.RuntimeException: test');
  });

  it('ECS nested objects: error object rendered with its frames; the `log` object is not a message', () => {
    const d = decodeJson(R.ecsNested);
    expect(d.text).toBe(`query failed\nPoolError: connection pool exhausted\n${R.ecsNested.error.stack_trace}`);
    expect(d.service).toBe('inventory');
  });

  it('Docker json-file: log without its trailing newline', () => {
    const d = decodeJson(R.dockerJsonFile);
    expect(d.text).toBe('2024/03/01 10:15:32 dial tcp 10.0.0.5:5432: connect: cannot assign requested address');
    expect(d.service).toBeUndefined();
  });

  it('Docker json-file: fallback service when the record names none', () => {
    expect(decodeJson(R.dockerJsonFile, 'topic-key').service).toBe('topic-key');
  });

  it('Fluent Bit kubernetes: service from the app.kubernetes.io/name label', () => {
    const d = decodeJson(R.fluentBitKubernetes);
    expect(d.text).toBe('java.net.SocketException: Too many open files');
    expect(d.service).toBe('checkout');
  });

  it('Fluentd kubernetes: service from the app label, before container_name', () => {
    expect(decodeJson(R.fluentdKubernetesAppLabel).service).toBe('gateway');
    const noLabels = { ...R.fluentdKubernetesAppLabel, kubernetes: { container_name: 'envoy' } };
    expect(decodeJson(noLabels).service).toBe('envoy');
  });

  it('a JSON event inside Docker `log` is decoded; the platform label names the service', () => {
    const d = decodeJson(R.dockerWrappingPino);
    expect(d.text).toBe(`pool timeout\n${'KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?\n    at Client_PG.acquireConnection (/app/node_modules/knex/lib/client.js:312:26)'}`);
    expect(d.service).toBe('billing');
    expect(d.event).toEqual(R.dockerWrappingPino);
  });

  it('a JSON event inside `log` names the service when the wrapper does not', () => {
    const { kubernetes: _k, ...bare } = R.dockerWrappingPino;
    expect(decodeJson(bare).service).toBe('inner-name');
  });

  it('OpenTelemetry SDK console exporter: body, then exception.stacktrace; resource service.name (map form)', () => {
    const d = decodeJson(R.otelSdkConsole);
    expect(d.text).toBe(`checkout failed\n${R.otelSdkConsole.attributes['exception.stacktrace']}`);
    expect(d.service).toBe('cart');
  });

  it('OTLP JSON log record: body.stringValue, exception.type: exception.message from the KeyValue list', () => {
    const d = decodeJson(R.otlpLogRecord);
    expect(d.text).toBe(
      'charge failed\nSystem.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted.',
    );
    expect(d.service).toBe('payments');
  });

  it('OTLP JSON export request (collector otlp_json): every log record, service from the resource', () => {
    const d = decodeJson(R.otlpExportRequest);
    expect(lines(d.text)).toEqual(['Example log record', 'redis pool exhausted', 'ERR max number of clients reached']);
    expect(d.service).toBe('my.service');
    expect(d.issues).toEqual([]);
  });

  it('OpenTelemetry data model example: Body and Resource service.name', () => {
    const d = decodeJson(R.otelDataModelExample);
    expect(d.text).toBe('20200415T072306-0700 INFO I like donuts');
    expect(d.service).toBe('donut_shop');
  });

  it('Serilog CLEF: @mt as is when there is no @m, then @x; Application as the service', () => {
    const d = decodeJson(R.serilogClefTemplate);
    expect(d.text).toBe(`Failed to connect to {Host}\n${R.stacks.DOTNET_EXCEPTION}`);
    expect(d.service).toBe('Orders');
  });

  it('Serilog CLEF: @m wins over @mt', () => {
    const d = decodeJson({ ...R.serilogClefRendered, '@mt': 'Failed to connect to {Host}' });
    expect(lines(d.text)[0]).toBe('Failed to connect to "db01"');
    expect(d.text).not.toContain('{Host}');
  });

  it('log4j2 JsonLayout: thrown rendered as name: message, frames, and Caused by', () => {
    const d = decodeJson(R.log4j2JsonLayout);
    expect(lines(d.text)).toEqual([
      'fetch failed',
      'org.apache.http.conn.HttpHostConnectException: Connect to api.example.com:443 failed: Cannot assign requested address',
      '\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:156)',
      '\tat com.example.Fetcher.fetch(Fetcher.java:42)',
      'Caused by: java.net.NoRouteToHostException: Cannot assign requested address (connect failed)',
      '\tat java.net.PlainSocketImpl.socketConnect(PlainSocketImpl.java:-2)',
    ]);
  });

  it('log4j2 JsonTemplateLayout: extendedStackTrace as a string already holds name: message', () => {
    const d = decodeJson(R.log4j2JsonTemplateLayout);
    expect(d.text).toBe(`cannot open segment\n${R.log4j2JsonTemplateLayout.thrown.extendedStackTrace.trimEnd()}`);
  });

  it('.NET JSON console formatter: Message then Exception (Category is not matched text)', () => {
    const d = decodeJson(R.dotnetJsonConsole);
    expect(d.text).toBe(`Payment call failed for order 42\n${R.stacks.DOTNET_EXCEPTION}`);
    expect(d.text).not.toContain('Orders.Api.PaymentClient\n');
  });

  it('zap: msg, error string and stacktrace; app as the service', () => {
    const d = decodeJson(R.zapError);
    expect(lines(d.text)[0]).toBe('acquire failed');
    expect(d.text).toContain(R.zapError.error);
    expect(d.text.endsWith(R.zapError.stacktrace)).toBe(true);
    expect(d.service).toBe('ledger');
  });

  it('python-json-logger: message then exc_info; serviceName', () => {
    const d = decodeJson(R.pythonJsonLogger);
    expect(d.text).toBe(`query failed\n${R.stacks.PY_TRACEBACK}`);
    expect(d.service).toBe('inventory-py');
  });

  it('structlog: event then exception; application', () => {
    const d = decodeJson(R.structlogError);
    expect(d.text).toBe(`query failed\n${R.stacks.PY_TRACEBACK}`);
    expect(d.service).toBe('reports');
  });

  it('GELF: full_message contains short_message, so only full_message', () => {
    expect(decodeJson(R.gelf).text).toBe(R.gelf.full_message);
  });

  it('journald: MESSAGE and SYSLOG_IDENTIFIER', () => {
    const d = decodeJson(R.journald);
    expect(d.text).toBe(R.journald.MESSAGE);
    expect(d.service).toBe('nginx');
  });

  it('MongoDB 4.4+ structured log: msg, then attr.error as a string or a Status rendered codeName: errmsg', () => {
    // The shape of mongod's JSON log (docs: reference/log-messages): the cause is in attr.error, not msg.
    const asString = decodeJson({ t: { $date: '2026-11-30T08:01:02.345+00:00' }, s: 'E', c: 'NETWORK', id: 23021, ctx: 'listener', msg: 'Error accepting new connection on local endpoint', attr: { localEndpoint: '0.0.0.0:27017', error: 'Too many open files' } });
    expect(lines(asString.text)).toEqual(['Error accepting new connection on local endpoint', 'Too many open files']);
    const asStatus = decodeJson({ t: { $date: '2026-11-30T08:01:02.345+00:00' }, s: 'W', c: 'CONNPOOL', id: 22572, ctx: 'conn12', msg: 'Ending connection due to bad connection status', attr: { hostAndPort: 'db-2:27017', error: { code: 202, codeName: 'NetworkInterfaceExceededTimeLimit', errmsg: "Couldn't get a connection within the time limit" } } });
    expect(lines(asStatus.text)).toEqual(['Ending connection due to bad connection status', "NetworkInterfaceExceededTimeLimit: Couldn't get a connection within the time limit"]);
    // Other attr fields are not matched text (they are addresses and counters).
    expect(asString.text).not.toContain('0.0.0.0:27017');
  });

  it('generic error string and stack array', () => {
    const d = decodeJson({ msg: 'sync failed', error: 'EMFILE: too many open files', stack: ['at a (x.js:1:1)', 'at b (y.js:2:2)'] });
    expect(lines(d.text)).toEqual(['sync failed', 'EMFILE: too many open files', 'at a (x.js:1:1)', 'at b (y.js:2:2)']);
  });

  it('nested NLog/.NET style exception objects with InnerException', () => {
    const d = decodeJson({
      message: 'call failed',
      exception: {
        Type: 'System.Net.Http.HttpRequestException',
        Message: 'An error occurred while sending the request.',
        InnerException: { Type: 'System.Net.Sockets.SocketException', Message: 'Address already in use' },
      },
    });
    expect(lines(d.text)).toEqual([
      'call failed',
      'System.Net.Http.HttpRequestException: An error occurred while sending the request.',
      'Caused by: System.Net.Sockets.SocketException: Address already in use',
    ]);
  });

  it('service fields: service.name wins over an object `service`; values are trimmed and non-strings skipped', () => {
    expect(decodeJson({ msg: 'x', service: { name: ' api ' } }).service).toBe('api');
    expect(decodeJson({ msg: 'x', service: 42, app: 'billing' }).service).toBe('billing');
    expect(decodeJson({ msg: 'x', service: '   ', app: 'billing' }).service).toBe('billing');
  });

  it('caps very long service names (they become metric labels)', () => {
    const d = decodeJson({ msg: 'x', service: 's'.repeat(10_000) });
    expect(d.service?.length).toBe(256);
  });

  it('a JSON object with no known field: every string value is matched, flagged unknown-shape', () => {
    const d = decodeJson({ ts: 1, payload: { text: 'HikariPool-1 - Connection is not available', detail: ['pool=main', 'waiting=12'] } });
    expect(lines(d.text)).toEqual(['HikariPool-1 - Connection is not available', 'pool=main', 'waiting=12']);
    expect(d.issues).toEqual(['unknown-shape']);
  });

  it('a message that is an object is not a message (ECS `log`, `event` objects)', () => {
    const d = decodeJson({ log: { level: 'error' }, event: { dataset: 'x' }, message: 'real message' });
    expect(d.text).toBe('real message');
  });

  it('an empty message with no error is flagged empty', () => {
    expect(decodeJson({ msg: '' }).issues).toEqual(['empty']);
  });

  it('a blank message with the error in a field of its own is read as every string value (restify audit lines)', () => {
    const d = decodeJson({ name: 'restifyLog', level: 30, resp: { Error: 'Error: ORA-24418: Cannot open further sessions.' }, msg: '  ', v: 0 });
    expect(d.text).toBe('restifyLog\nError: ORA-24418: Cannot open further sessions.');
    expect(d.issues).toEqual([]);
  });

  it('a blank message does not hide the error field that holds the text', () => {
    const d = decodeJson({ msg: '', err: { type: 'Error', message: 'connect EADDRNOTAVAIL 10.0.0.1:443' } });
    expect(d.text).toBe('Error: connect EADDRNOTAVAIL 10.0.0.1:443');
  });

  it('numbers as messages are matched as text', () => {
    expect(decodeJson({ msg: 10055 }).text).toBe('10055');
  });
});

describe('decodeRecord: configured field paths', () => {
  const custom: DecodeOptions = {
    maxRecordBytes: 4096,
    messageFields: ['payload.text'],
    errorFields: ['payload.failure'],
    serviceFields: ['meta["svc.name"]'],
  };

  it('reads only the configured fields', () => {
    const record = { msg: 'ignored', payload: { text: 'hello', failure: { name: 'E', message: 'boom' } }, meta: { 'svc.name': 'svc' } };
    const d = decodeRecord(JSON.stringify(record), custom);
    expect(d.text).toBe('hello\nE: boom');
    expect(d.service).toBe('svc');
  });

  it('explicit leaf paths work too (err.message, err.stack)', () => {
    const leafOpts: DecodeOptions = { maxRecordBytes: 4096, messageFields: ['msg'], errorFields: ['err.message', 'err.stack'] };
    const d = decodeRecord(JSON.stringify(R.pinoWithMessage), leafOpts);
    expect(d.text).toBe(`query failed\n${R.stacks.NODE_STACK}`);
  });

  it('rejects malformed paths and limits when the options are first used', () => {
    expect(() => decodeRecord('x', { maxRecordBytes: 10, messageFields: ['a..b'] })).toThrow(/empty segment/);
    expect(() => decodeRecord('x', { maxRecordBytes: 0 })).toThrow(/maxRecordBytes/);
  });

  it('createDecoder binds the options once', () => {
    const decode = createDecoder(custom);
    const d = decode(JSON.stringify({ payload: { text: 'hi' } }), 'fb');
    expect(d).toMatchObject({ text: 'hi', service: 'fb', format: 'json' });
  });
});
