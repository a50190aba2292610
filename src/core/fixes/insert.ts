// Pure edits that add support-option lines to a config, keeping its style, never duplicating a key.
import type { FileFix, TextEdit } from '../edits';
import { snippetToText } from '../edits';
import type { ProjectConfig } from '../config/parse';
import { keyInfo } from '../config/keys';

function keyOf(option: string): string {
  return option.slice(0, option.indexOf('=')).trim();
}

/** Option templates (snippet syntax) whose keys are not in the config yet. */
export function missingOptions(cfg: ProjectConfig | undefined, options: string[]): string[] {
  const present = new Set((cfg?.options ?? []).map((o) => (keyInfo(o.key)?.key ?? o.key).toLowerCase()));
  const out: string[] = [];
  for (const opt of options) {
    const k = (keyInfo(keyOf(opt))?.key ?? keyOf(opt)).toLowerCase();
    if (present.has(k)) continue;
    present.add(k);
    out.push(opt);
  }
  return out;
}

/** Renumber snippet tab stops so they run 1..n across all inserted lines. */
function renumber(lines: string[]): string[] {
  let n = 0;
  return lines.map((l) => l.replace(/\$\{\d+:/g, () => `\${${++n}:`));
}

function yamlItem(text: string, quote: '' | '"' | "'"): string {
  if (quote === '"') return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (quote === "'" || /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|\s$/.test(text)) return `'${text.replace(/'/g, "''")}'`;
  return text;
}

/**
 * Edits inserting `options` (snippet syntax: `Key=${1:placeholder}`) into the config.
 * Returns [] when every key is already present (so applying a fix twice changes nothing).
 */
export function insertOptionsEdits(cfg: ProjectConfig, options: string[]): TextEdit[] {
  const todo = renumber(missingOptions(cfg, options));
  if (!todo.length) return [];
  const text = cfg.text;
  const eol = cfg.eol;
  const lines = text.split('\n');
  const lastLine = lines.length - 1;
  const endsWithNl = text.length === 0 || text.endsWith('\n');
  const lastCol = lines[lastLine].length;
  const mk = (line: number, column: number, snippetText: string): TextEdit => ({
    line,
    column,
    endLine: line,
    endColumn: column,
    newText: snippetToText(snippetText),
    snippet: snippetText,
  });
  if (cfg.format === 'support-options') {
    const body = todo.join(eol) + eol;
    return [endsWithNl ? mk(lastLine, 0, body) : mk(lastLine, lastCol, eol + body)];
  }
  const ins = cfg.yamlInsert ?? { kind: 'missing' as const };
  if (ins.kind === 'block') {
    const body = todo.map((o) => `${ins.indent}- ${yamlItem(o, ins.quote)}${eol}`).join('');
    if (ins.line > lastLine || (ins.line === lastLine && !endsWithNl && lines[lastLine].trim() !== '')) {
      return [endsWithNl ? mk(lastLine, 0, body) : mk(lastLine, lastCol, eol + body)];
    }
    return [mk(ins.line, 0, body)];
  }
  if (ins.kind === 'flow') {
    const items = todo.map((o) => yamlItem(o, '"')).join(', ');
    const sep = cfg.options.length ? ', ' : '';
    return [mk(ins.range.endLine, ins.range.endColumn - 1, sep + items)];
  }
  const body = `supportOptions:${eol}${todo.map((o) => `  - ${yamlItem(o, '')}${eol}`).join('')}`;
  return [endsWithNl ? mk(lastLine, 0, body) : mk(lastLine, lastCol, eol + body)];
}

/** A fix that creates a new support-options file holding `options`. */
export function createConfigFix(file: string, title: string, options: string[]): FileFix {
  const todo = renumber(options);
  const header = '# MigrationWiz support options (Edit Project > Advanced Options > Support Options), one Key=Value per line\n';
  const snippet = header + todo.join('\n') + '\n';
  return {
    title,
    file,
    createFile: true,
    keys: todo.map(keyOf),
    edits: [{ line: 0, column: 0, endLine: 0, endColumn: 0, newText: snippetToText(snippet), snippet }],
  };
}
