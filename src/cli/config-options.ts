import { Option, type Command } from 'commander';
import { ConfigError, optionsFor, resolveConfig, type Config } from '../config/config.js';
import type { CommandName } from '../config/options.js';

/** Adds the settings of one command to it as flags; the help names each env variable and default. */
export function addConfigOptions(cmd: Command, command: CommandName): Command {
  for (const spec of optionsFor(command)) {
    const extras: string[] = [];
    if (spec.env) extras.push(`env ${spec.env}`);
    if (spec.default !== undefined && spec.default !== false) {
      extras.push(`default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)}`);
    }
    const help = extras.length > 0 ? `${spec.help} (${extras.join('; ')})` : spec.help;
    cmd.addOption(new Option(spec.flag, help));
  }
  return cmd;
}

/**
 * Resolves the command's settings from its flags and the environment. Bad configuration stops
 * start-up: every problem on its own line on stderr, exit code 2.
 */
export function configFrom(cmd: Command, command: CommandName, env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return resolveConfig(command, cmd.opts(), env);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`faultline: bad configuration: ${p}\n`);
      process.exit(2);
    }
    throw err;
  }
}
