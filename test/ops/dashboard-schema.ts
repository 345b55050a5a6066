// Checks a dashboard JSON against Grafana's own published schema: the `Dashboard` type that
// @grafana/schema generates from Grafana's CUE definitions. The JSON is compiled as an object
// literal typed `Dashboard`, so TypeScript's excess-property checks reject unknown fields and
// its literal types reject wrong enum values, at every depth. (Grafana ships the schema as
// TypeScript types, not as JSON Schema; this is how to apply it without re-writing it.)
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One line per schema violation ('' when the dashboard conforms). */
export function dashboardSchemaErrors(json: string): string[] {
  const file = `${ROOT}test/ops/__dashboard_schema_check__.ts`;
  // Grafana's types use TypeScript enums (ThresholdsMode, MappingType …), which a JSON string
  // cannot be assigned to; AsJson turns each string enum into the union of its values, as the
  // JSON on disk holds them, and keeps every object's exact keys.
  const source = [
    "import type { Dashboard } from '@grafana/schema';",
    'type AsJson<T> = T extends string ? `${T}` : T extends number | boolean | null | undefined ? T',
    '  : T extends ReadonlyArray<infer U> ? Array<AsJson<U>> : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T;',
    `export const dashboard: AsJson<Dashboard> = ${json};`,
    '',
  ].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === file ? source : readFile(f));
  host.fileExists = (f) => f === file || fileExists(f);
  host.getSourceFile = (f, lang, onError, create) =>
    f === file ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, onError, create);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const line = where === undefined ? '' : `line ${where.line}: `;
    return `${line}${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}
