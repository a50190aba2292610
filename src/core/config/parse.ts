// Project config parsers with exact ranges: support-options text and YAML project files.
import { isMap, isSeq, isScalar, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { parseYamlDocument, TextPositions } from './yaml';

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
  /** YAML only: the quotes of the scalar holding the entry; its source text (at the ranges) is escaped for them */
  yamlQuote?: '"' | "'";
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
  /** YAML only: where to insert new options ('none': the file has YAML errors, so no place is safe) */
  yamlInsert?:
    | { kind: 'block'; line: number; indent: string; quote: '' | '"' | "'"; /** a null value (`~`) to remove */ clear?: Range }
    | { kind: 'missing'; indent?: string }
    | { kind: 'flow'; range: Range; line: number; column: number; first: boolean }
    | { kind: 'none' };
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
  const positions = new TextPositions(text);
  const doc = parseYamlDocument(text, { prettyErrors: false });
  const pos = (off: number) => positions.at(off);
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
    // an empty file gets a new `supportOptions:`; after a document that is not a mapping nothing can go
    cfg.yamlInsert = doc.errors.length || (root !== null && root !== undefined) ? { kind: 'none' } : { kind: 'missing' };
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
        else if (f === 'useSsl') ep.useSsl = val === true || /^true$/i.test(String(val)) ? true : val === false || /^false$/i.test(String(val)) ? false : undefined;
        else ep[f] = String(val);
      }
      cfg[side] = ep;
    }
  }
  const so = root.get('supportOptions', true);
  const lines = text.split('\n');
  // spaces as wide as the text before a position (a BOM is not indentation)
  const indentAt = (p: { line: number; col: number }) => (lines[p.line] ?? '').slice(0, p.col).replace(/^\uFEFF/, '').replace(/[^]/g, ' ');
  if (so === undefined || so === null) {
    // a new `supportOptions:` key at the end, indented like the last key (a flow mapping takes no block key)
    const lastKey = root.items[root.items.length - 1]?.key as { range?: [number, number, number] | null } | undefined;
    const at = lastKey?.range ? pos(lastKey.range[0]) : undefined;
    cfg.yamlInsert = root.flow ? { kind: 'none' } : { kind: 'missing', indent: at ? indentAt(at) : '' };
  } else if (isScalar(so) && ((so as Scalar).value === null || (so as Scalar).value === '')) {
    // `supportOptions:` with nothing (or ~, null, '') after it: items go on the next line, the null goes away
    const keyPair = root.items.find((p) => isScalar(p.key) && (p.key as Scalar).value === 'supportOptions');
    const kp = pos((keyPair!.key as Scalar).range![0]);
    const sc = so as Scalar;
    const clear = sc.range && sc.range[1] > sc.range[0] ? rangeOf(sc) : undefined;
    cfg.yamlInsert = root.flow || (clear && clear.endLine !== kp.line) ? { kind: 'none' } : { kind: 'block', line: kp.line + 1, indent: indentAt(kp) + '  ', quote: '', clear };
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
      if (/[\r\n]/.test(raw)) {
        // a scalar folded over several lines: its value is not the source text, so no exact ranges
        cfg.syntax.push({ message: 'write each supportOptions entry on one line', range: rangeOf(sc) });
        continue;
      }
      const yamlQuote = sc.type === 'QUOTE_DOUBLE' ? '"' : sc.type === 'QUOTE_SINGLE' ? "'" : undefined;
      const q = yamlQuote ? 1 : 0;
      // the entry's text inside the quotes, unescaped, with the source column of every character
      const inner = q ? raw.slice(1, raw.length - 1) : raw;
      const dec = yamlQuote ? unescapeYaml(inner, yamlQuote) : undefined;
      if (yamlQuote && (!dec || dec.text !== sc.value || raw.length < 2 || !raw.endsWith(yamlQuote))) {
        cfg.syntax.push({ message: 'cannot read this supportOptions entry exactly: check its quotes and escapes', range: rangeOf(sc) });
        continue;
      }
      const res = parseOptionEntry(dec ? dec.text : inner, start.line, 0);
      if (!res) continue;
      const col = (c: number) => start.col + q + (dec ? dec.src[c] : c);
      const map = (x: Range): Range => r(x.line, col(x.column), x.endLine, col(x.endColumn));
      if ('key' in res) cfg.options.push({ ...res, ...(yamlQuote ? { yamlQuote } : {}), range: map(res.range), keyRange: map(res.keyRange), valueRange: map(res.valueRange) });
      else cfg.syntax.push({ ...res, range: map(res.range) });
    }
    if (seq.flow) {
      // new items go right after the last item (before a trailing comma or a `]` on a line of its own), or inside `[`
      const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] | null } | undefined;
      const end = last ? last.range?.[1] : seq.range![0] + 1;
      const at = end === undefined ? undefined : pos(end);
      cfg.yamlInsert = at ? { kind: 'flow', range: rangeOf(seq), line: at.line, column: at.col, first: !last } : { kind: 'none' };
    } else {
      const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] | null } | null | undefined;
      const first = seq.items[0];
      // new items are indented like the first item's dash (where the sequence starts), quoted like it
      const dash = pos(seq.range![0]);
      const indent = indentAt(dash);
      const quote: '' | '"' | "'" = isScalar(first) ? (first.type === 'QUOTE_DOUBLE' ? '"' : first.type === 'QUOTE_SINGLE' ? "'" : '') : '';
      // insert after the last item's line (an item may end at the start of the next line)
      const endPos = pos(last?.range?.[1] ?? seq.range![1]);
      const after = endPos.col === 0 && endPos.line > 0 ? endPos.line : endPos.line + 1;
      cfg.yamlInsert = { kind: 'block', line: after, indent, quote };
    }
  } else {
    cfg.syntax.push({ message: '`supportOptions` must be a list of "Key=Value" strings', range: rangeOf(so as never) });
    cfg.yamlInsert = { kind: 'none' };
  }
  if (doc.errors.length) cfg.yamlInsert = { kind: 'none' };
  return cfg;
}

const YAML_ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };

/**
 * The text of a one-line quoted YAML scalar (without its quotes) unescaped, and for every character of the result
 * (and its end) the offset of its source text. Undefined for text that is not well-formed inside those quotes.
 */
export function unescapeYaml(inner: string, quote: '"' | "'"): { text: string; src: number[] } | undefined {
  let text = '';
  const src: number[] = [];
  for (let i = 0; i < inner.length; ) {
    const start = i;
    let out: string;
    if (quote === "'") {
      out = inner[i];
      if (out === "'" && inner[i + 1] !== "'") return undefined;
      i += out === "'" ? 2 : 1;
    } else if (inner[i] === '"') {
      return undefined;
    } else if (inner[i] !== '\\') {
      out = inner[i++];
    } else {
      const e = inner[i + 1] ?? '';
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const digits = inner.slice(i + 2, i + 2 + hex);
      if (hex && /^[0-9a-fA-F]+$/.test(digits) && digits.length === hex && parseInt(digits, 16) <= 0x10ffff) {
        out = String.fromCodePoint(parseInt(digits, 16));
        i += 2 + hex;
      } else if (e in YAML_ESCAPES) {
        out = YAML_ESCAPES[e];
        i += 2;
      } else {
        return undefined; // not an escape YAML knows, or a backslash at the end
      }
    }
    for (let k = 0; k < out.length; k++) src.push(start);
    text += out;
  }
  src.push(inner.length);
  return { text, src };
}
