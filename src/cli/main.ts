#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { addConfigOptions, configFrom } from './config-options.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const io = { stdout: process.stdout, stderr: process.stderr };

const program = new Command('faultline')
  .description('Tags known error signatures (socket exhaustion, connection-pool starvation, …) in logs with a compiled RE2 rule bank.')
  .version(pkg.version)
  .showHelpAfterError();

addConfigOptions(
  program
    .command('scan')
    .description('match log files or stdin against the rules; tagged events as NDJSON on stdout, a summary on stderr')
    .argument('[files...]', "log files; '-' or none for stdin")
    .option('--all', 'print every record, not only matched ones')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--fail-on-match', 'exit 1 when any record matched (for CI gates)'),
  'scan',
).action(async (files: string[], _opts, cmd: Command) => {
  const { runScan } = await import('./scan.js');
  const local = cmd.opts<{ all?: boolean; progress: boolean; failOnMatch?: boolean }>();
  process.exitCode = await runScan(
    { config: configFrom(cmd, 'scan'), files, all: local.all === true, progress: local.progress, failOnMatch: local.failOnMatch === true },
    io,
  );
});

addConfigOptions(
  program
    .command('worker')
    .description('consume log topics from Kafka, tag known errors, write tagged events and dead letters back, serve /metrics'),
  'worker',
).action(async (_opts, cmd: Command) => {
  const { runWorkerCommand } = await import('./worker-command.js');
  await runWorkerCommand(configFrom(cmd, 'worker'));
});

const rules = program.command('rules').description('validate and test a knowledge base');
const format = new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

rules
  .command('check')
  .description('load the rules and list every problem; exit 1 if there is any')
  .option('--rules <dirs>', 'rule directories, comma-separated (env FAULTLINE_RULES; default rules)')
  .addOption(format)
  .action(async (opts: { rules?: string; format: 'text' | 'json' }) => {
    const { runRulesCheck } = await import('./rules-check.js');
    process.exitCode = await runRulesCheck({ rules: ruleDirs(opts.rules), format: opts.format }, io);
  });

rules
  .command('test')
  .description("run every rule's own examples; exit 1 if one fails")
  .option('--rules <dirs>', 'rule directories, comma-separated (env FAULTLINE_RULES; default rules)')
  .option('--strict', 'rules without examples fail instead of warn')
  .addOption(format)
  .action(async (opts: { rules?: string; strict?: boolean; format: 'text' | 'json' }) => {
    const { runRulesTest } = await import('./rules-test.js');
    process.exitCode = await runRulesTest({ rules: ruleDirs(opts.rules), strict: opts.strict === true, format: opts.format }, io);
  });

function ruleDirs(flag: string | undefined): string[] {
  const raw = flag ?? process.env.FAULTLINE_RULES ?? 'rules';
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

await program.parseAsync(process.argv);
