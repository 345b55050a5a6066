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
    .option('--fail-on-match', 'exit 1 when any record matched (for CI gates)')
    .option('--templates', "mine log templates: each printed event carries faultline.template; the summary lists the templates of unmatched errors and warnings"),
  'scan',
).action(async (files: string[], _opts, cmd: Command) => {
  const { runScan } = await import('./scan.js');
  const local = cmd.opts<{ all?: boolean; progress: boolean; failOnMatch?: boolean; templates?: boolean }>();
  process.exitCode = await runScan(
    {
      config: configFrom(cmd, 'scan'),
      files,
      all: local.all === true,
      progress: local.progress,
      failOnMatch: local.failOnMatch === true,
      templates: local.templates === true,
    },
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

// Scan's settings: the decode settings (message/error fields) must be the ones scan mined with.
addConfigOptions(
  rules
    .command('suggest')
    .description('draft a rule from a mined template (an id from scan --templates or a worker /templates) or from a message text')
    .argument('[text]', 'a message to make the rule from, when no --template is given')
    .option('--template <id>', 'template id, as scan --templates or /templates shows it')
    .option('--from <sources>', 'where the template was mined: the log files given to scan (comma-separated), or a worker URL such as http://host:9464/templates')
    .option('--id <id>', 'rule id (default unknown/<words of the template>)')
    .option('--out <file>', 'write the rule there instead of stdout'),
  'scan',
).action(async (text: string | undefined, _opts, cmd: Command) => {
  const { runRulesSuggest } = await import('./rules-suggest.js');
  const local = cmd.opts<{ template?: string; from?: string; id?: string; out?: string }>();
  process.exitCode = await runRulesSuggest(
    {
      config: configFrom(cmd, 'scan'),
      ...(text !== undefined ? { text } : {}),
      ...(local.template !== undefined ? { template: local.template } : {}),
      from: (local.from ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0),
      ...(local.id !== undefined ? { id: local.id } : {}),
      ...(local.out !== undefined ? { out: local.out } : {}),
    },
    io,
  );
});

function ruleDirs(flag: string | undefined): string[] {
  const raw = flag ?? process.env.FAULTLINE_RULES ?? 'rules';
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

await program.parseAsync(process.argv);
