// Pure edits that add support-option lines to a config, keeping its style, never duplicating a key.
import type { FileFix, TextEdit } from '../edits';
import { applyEdits, snippetToText } from '../edits';
import { parseOptionEntry, parseSupportOptions, parseYamlConfig, ProjectConfig } from '../config/parse';
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
  return verified(cfg, todo, placeOptions(cfg, todo));
}

/**
 * Offer only edits whose result parses back to the config's options plus the inserted ones, with no new syntax
 * problem: odd YAML shapes (explicit or null keys, unusual indentation, lenient quoting) get no fix rather than a
 * wrong one.
 */
function verified(cfg: ProjectConfig, todo: string[], edits: TextEdit[]): TextEdit[] {
  if (!edits.length) return edits;
  const after = (cfg.format === 'yaml' ? parseYamlConfig : parseSupportOptions)(cfg.file, applyEdits(cfg.text, edits));
  const want = [...cfg.options, ...todo.map((o) => parseOptionEntry(snippetToText(o), 0, 0))];
  const same =
    after.options.length === want.length &&
    want.every((w, i) => w && 'key' in w && w.key === after.options[i].key && w.value === after.options[i].value && w.quoted === after.options[i].quoted);
  return same && after.syntax.length <= cfg.syntax.length ? edits : [];
}

function placeOptions(cfg: ProjectConfig, todo: string[]): TextEdit[] {
  const text = cfg.text;
  const eol = cfg.eol;
  const lines = text.split('\n');
  const lastLine = lines.length - 1;
  // a last line without its line break: blank (spaces, a lone CR) takes the lines before it, text gets one first
  const lastBlank = text.length === 0 || text.endsWith('\n') || lines[lastLine].trim() === '';
  const lastCol = lines[lastLine].replace(/\r$/, '').length;
  const mk = (line: number, column: number, snippetText: string): TextEdit => ({
    line,
    column,
    endLine: line,
    endColumn: column,
    newText: snippetToText(snippetText),
    snippet: snippetText,
  });
  const bom = lastLine === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0; // a BOM stays first
  const append = (body: string) => (lastBlank ? mk(lastLine, bom, body) : mk(lastLine, lastCol, eol + body));
  if (cfg.format === 'support-options') return [append(todo.join(eol) + eol)];
  const ins = cfg.yamlInsert ?? { kind: 'missing' as const };
  if (ins.kind === 'none') return []; // YAML errors or an odd shape: an insert could land anywhere
  if (ins.kind === 'block') {
    const body = todo.map((o) => `${ins.indent}- ${yamlItem(o, ins.quote)}${eol}`).join('');
    const clear: TextEdit[] = ins.clear ? [{ ...ins.clear, newText: '' }] : [];
    if (ins.line > lastLine) return [...clear, append(body)]; // after a last line that has no line break
    return [...clear, mk(ins.line, 0, body)];
  }
  if (ins.kind === 'flow') {
    const items = todo.map((o) => yamlItem(o, '"')).join(', ');
    return [mk(ins.line, ins.column, (ins.first ? '' : ', ') + items)];
  }
  const indent = ins.indent ?? '';
  return [append(`${indent}supportOptions:${eol}${todo.map((o) => `${indent}  - ${yamlItem(o, '')}${eol}`).join('')}`)];
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
