import { OPTIONS } from '../../src/config/options.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The settings table of the README, from the one OPTIONS table the CLI and validation use. */
export function configTable(): string {
  const rows = OPTIONS.map((o) => {
    const flag = o.flag.split(' ')[0] ?? o.flag;
    const def = o.default === undefined ? '' : Array.isArray(o.default) ? o.default.join(',') : String(o.default);
    return `| \`${o.env ?? ''}\` | \`${flag}\` | ${cell(def === '' ? '' : `\`${def}\``)} | ${o.commands.join(', ')} | ${cell(o.help)} |`;
  });
  return ['| environment | flag | default | commands | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
