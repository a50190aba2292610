// Project config parsers with exact ranges: support-options text and YAML project files.
import { parseDocument, LineCounter, isMap, isSeq, isScalar, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export interface Range {
  /** all 0-based */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ConfigOption {
  key: string;
  /** unquoted value */
  value: string;
  quoted: boolean;
  /** the whole `Key=Value` entry */
  range: Range;
  keyRange: Range;
  valueRange: Range;
}

export interface Endpoint {
  type?: string;
  server?: string;
  port?: number;
  useSsl?: boolean;
  ranges: Partial<Record<'type' | 'server' | 'port' | 'useSsl', Range>>;
}

export interface ConfigSyntaxProblem {
  message: string;
  range: Range;
}

export interface ProjectConfig {
  file: string;
  format: 'support-options' | 'yaml';
  text: string;
  eol: '\n' | '\r\n';
  options: ConfigOption[];
  source?: Endpoint;
  destination?: Endpoint;
  system?: string;
  syntax: ConfigSyntaxProblem[];
  /** YAML only: where to insert new options */
  yamlInsert?: { kind: 'block'; line: number; indent: string; quote: '' | '"' | "'" } | { kind: 'missing' } | { kind: 'flow'; range: Range };
}

export function isYamlConfigName(file: string): boolean {
  return /(\.migration\.ya?ml|(^|[\\/])migration-project\.ya?ml)$/i.test(file);
}

export function isSupportOptionsName(file: string): boolean {
  return /(support-?options[^\\/]*\.txt|\.supportoptions)$/i.test(file);
}

export function isConfigName(file: string): boolean {
  return isYamlConfigName(file) || isSupportOptionsName(file);
}

export function parseConfig(file: string, text: string): ProjectConfig {
  return isYamlConfigName(file) ? parseYamlConfig(file, text) : parseSupportOptions(file, text);
}

function detectEol(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

const r = (line: number, column: number, endLine: number, endColumn: number): Range => ({ line, column, endLine, endColumn });

/**
 * Parse one `Key=Value` entry found at (line, col) in the file. Returns undefined for text that is not an entry.
 */
export function parseOptionEntry(entry: string, line: number, col: number): ConfigOption | ConfigSyntaxProblem | undefined {
  const eq = entry.indexOf('=');
  const trimmedEnd = entry.replace(/\s+$/, '').length;
  if (eq <= 0) {
    return { message: `'${entry.trim().slice(0, 60)}' is not a Key=Value support option`, range: r(line, col, line, col + trimmedEnd) };
  }
  const rawKey = entry.slice(0, eq);
  const key = rawKey.trim();
  const keyStart = col + rawKey.indexOf(key);
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
    return { message: `'${key.slice(0, 60)}' is not a valid option name`, range: r(line, keyStart, line, keyStart + key.length) };
  }
  let rawVal = entry.slice(eq + 1, trimmedEnd);
  let valStart = col + eq + 1;
  const lead = rawVal.length - rawVal.trimStart().length;
  rawVal = rawVal.trimStart();
  valStart += lead;
  let value = rawVal;
  let quoted = false;
  if (rawVal.length >= 2 && rawVal.startsWith('"') && rawVal.endsWith('"')) {
    quoted = true;
    value = rawVal.slice(1, -1);
  }
  return {
    key,
    value,
    quoted,
    range: r(line, keyStart, line, col + trimmedEnd),
    keyRange: r(line, keyStart, line, keyStart + key.length),
    valueRange: r(line, valStart, line, valStart + rawVal.length),
  };
}

/** Support-options text: one Key=Value per line, `#` comments, blank lines. */
export function parseSupportOptions(file: string, text: string): ProjectConfig {
  const cfg: ProjectConfig = { file, format: 'support-options', text, eol: detectEol(text), options: [], syntax: [] };
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text; // keep columns of a BOM'd first line
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (l.endsWith('\r')) l = l.slice(0, -1);
    const start = l.length - l.trimStart().length;
    const content = l.slice(start);
    if (!content || content.startsWith('#') || content.startsWith('//')) continue;
    const res = parseOptionEntry(content, i, start);
    if (!res) continue;
    if ('key' in res) cfg.options.push(res);
    else cfg.syntax.push(res);
  }
  return cfg;
}

/** YAML project file: project, system, source/destination endpoints, supportOptions list. */
export function parseYamlConfig(file: string, text: string): ProjectConfig {
  const cfg: ProjectConfig = { file, format: 'yaml', text, eol: detectEol(text), options: [], syntax: [] };
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const pos = (off: number) => {
    const p = lc.linePos(off);
    return { line: p.line - 1, col: p.col - 1 };
  };
  const rangeOf = (n: { range?: [number, number, number] | null } | null | undefined): Range => {
    const a = pos(n?.range?.[0] ?? 0);
    const b = pos(n?.range?.[1] ?? 0);
    return r(a.line, a.col, b.line, b.col);
  };
  for (const e of doc.errors) {
    const a = pos(e.pos[0]);
    const b = pos(e.pos[1]);
    cfg.syntax.push({ message: `YAML syntax: ${e.message.split('\n')[0]}`, range: r(a.line, a.col, b.line, b.col) });
  }
  const root = doc.contents;
  if (!isMap(root)) {
    if (root !== null && root !== undefined) cfg.syntax.push({ message: 'a migration project file is a mapping (project, source, destination, supportOptions)', range: rangeOf(root as never) });
    cfg.yamlInsert = { kind: 'missing' };
    return cfg;
  }
  const sys = root.get('system');
  if (typeof sys === 'string') cfg.system = sys;
  for (const side of ['source', 'destination'] as const) {
    const n = root.get(side, true);
    if (isMap(n)) {
      const ep: Endpoint = { ranges: {} };
      for (const f of ['type', 'server', 'port', 'useSsl'] as const) {
        const v = (n as YAMLMap).get(f, true);
        if (!isScalar(v)) continue;
        ep.ranges[f] = rangeOf(v as Scalar);
        const val = (v as Scalar).value;
        if (f === 'port') ep.port = typeof val === 'number' ? val : Number(val);
        else if (f === 'useSsl') ep.useSsl = val === true || String(val).toLowerCase() === 'true';
        else ep[f] = String(val);
      }
      cfg[side] = ep;
    }
  }
  const so = root.get('supportOptions', true);
  if (so === undefined || so === null) {
    cfg.yamlInsert = { kind: 'missing' };
  } else if (isScalar(so) && ((so as Scalar).value === null || (so as Scalar).value === '')) {
    // `supportOptions:` with nothing under it: items go on the next line
    const keyPair = root.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'supportOptions');
    const kp = pos((keyPair!.key as Scalar).range![0]);
    cfg.yamlInsert = { kind: 'block', line: kp.line + 1, indent: ' '.repeat(kp.col + 2), quote: '' };
  } else if (isSeq(so)) {
    const seq = so as YAMLSeq;
    for (const item of seq.items) {
      if (!isScalar(item) || typeof (item as Scalar).value !== 'string') {
        cfg.syntax.push({ message: 'each supportOptions entry is a string Key=Value', range: rangeOf(item as never) });
        continue;
      }
      const sc = item as Scalar;
      const start = pos(sc.range![0]);
      const raw = text.slice(sc.range![0], sc.range![1]);
      const q = sc.type === 'QUOTE_DOUBLE' || sc.type === 'QUOTE_SINGLE' ? 1 : 0;
      // the entry's text as the user sees it inside the quotes (escapes are rare in options; use the source text)
      const inner = q ? raw.slice(1, raw.length - 1) : raw;
      const res = parseOptionEntry(inner, start.line, start.col + q);
      if (!res) continue;
      if ('key' in res) cfg.options.push(res);
      else cfg.syntax.push(res);
    }
    if (seq.flow) {
      cfg.yamlInsert = { kind: 'flow', range: rangeOf(seq) };
    } else {
      const last = seq.items[seq.items.length - 1] as Scalar | undefined;
      const first = seq.items[0] as Scalar | undefined;
      let indent = '  ';
      let quote: '' | '"' | "'" = '';
      if (first && isScalar(first)) {
        const p = pos(first.range![0]);
        const lineText = text.split('\n')[p.line] ?? '';
        const dash = lineText.lastIndexOf('-', p.col);
        indent = lineText.slice(0, Math.max(0, dash)).replace(/\S/g, ' ');
        quote = first.type === 'QUOTE_DOUBLE' ? '"' : first.type === 'QUOTE_SINGLE' ? "'" : '';
      } else {
        const keyPair = root.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'supportOptions');
        const kp = pos((keyPair!.key as Scalar).range![0]);
        indent = ' '.repeat(kp.col + 2);
      }
      const endLine = last && isScalar(last) ? pos(last.range![1]).line : pos(seq.range![0]).line;
      // insert after the last item's line (a block scalar may end at the start of the next line)
      const lastEnd = last && isScalar(last) ? last.range![1] : seq.range![0];
      const endPos = pos(lastEnd);
      const after = endPos.col === 0 && endLine > 0 ? endLine : endLine + 1;
      cfg.yamlInsert = { kind: 'block', line: after, indent, quote };
    }
  } else {
    cfg.syntax.push({ message: '`supportOptions` must be a list of "Key=Value" strings', range: rangeOf(so as never) });
  }
  return cfg;
}
