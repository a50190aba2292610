// Checks on a parsed project config. Every problem carries its exact range and, where one exists, a fix.
import type { FileFix, TextEdit } from '../edits';
import { GUID_PLACEHOLDER } from '../edits';
import type { ConfigOption, ProjectConfig, Range } from './parse';
import { GUID_RE, keyInfo, PLACEHOLDER_GUID_RE, suggestKey } from './keys';
import { insertOptionsEdits } from '../fixes/insert';

export type ConfigProblemCode =
  | 'syntax'
  | 'unknown-key'
  | 'key-case'
  | 'not-a-guid'
  | 'placeholder'
  | 'bad-flag'
  | 'bad-int'
  | 'missing-pair'
  | 'side-mixup'
  | 'duplicate'
  | 'conflict'
  | 'mapping-unquoted'
  | 'mapping-invalid'
  | 'ssl-port'
  | 'secret-in-config';

export interface ConfigProblem {
  code: ConfigProblemCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: Range;
  fixes: FileFix[];
  /** other places involved (the first of a duplicate pair, ...) */
  related?: { range: Range; message: string }[];
}

const replaceRange = (range: Range, newText: string): TextEdit => ({ ...range, newText });

/** text to put inside the option's own YAML scalar (escaped for its quotes) */
function inScalar(o: ConfigOption, s: string): string {
  return o.yamlQuote === '"' ? s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : o.yamlQuote === "'" ? s.replace(/'/g, "''") : s;
}

function fix(cfg: ProjectConfig, title: string, edits: TextEdit[], preferred = true): FileFix {
  return { title, file: cfg.file, edits, preferred };
}

/** the value of an option is usable (present, not a placeholder, right format) */
export function optionValid(o: ConfigOption): boolean {
  const info = keyInfo(o.key);
  if (!info) return o.value.length > 0;
  switch (info.format) {
    case 'guid':
      return GUID_RE.test(o.value);
    case 'flag':
      return o.value === '0' || o.value === '1';
    case 'int':
      return /^\d+$/.test(o.value);
    default:
      return o.value.length > 0;
  }
}

export function checkConfig(cfg: ProjectConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const s of cfg.syntax) out.push({ code: 'syntax', severity: 'error', message: s.message, range: s.range, fixes: [] });
  const seen = new Map<string, ConfigOption>();
  const present = new Set(cfg.options.map((o) => (keyInfo(o.key)?.key ?? o.key).toLowerCase()));
  for (const o of cfg.options) {
    const info = keyInfo(o.key);
    if (!info) {
      const sug = suggestKey(o.key);
      out.push({
        code: 'unknown-key',
        severity: 'warning',
        message: sug ? `Unknown support option '${o.key}'. Did you mean '${sug}'?` : `Unknown support option '${o.key}'.`,
        range: o.keyRange,
        fixes: sug ? [fix(cfg, `Rename to '${sug}'`, [replaceRange(o.keyRange, inScalar(o, sug))])] : [],
      });
    } else if (info.key !== o.key) {
      out.push({
        code: 'key-case',
        severity: 'warning',
        message: `Support option '${o.key}' is spelled '${info.key}'.`,
        range: o.keyRange,
        fixes: [fix(cfg, `Rename to '${info.key}'`, [replaceRange(o.keyRange, inScalar(o, info.key))])],
      });
    }
    const canon = (info?.key ?? o.key).toLowerCase();
    const prev = seen.get(canon);
    if (prev) {
      const same = prev.value === o.value;
      out.push({
        code: same ? 'duplicate' : 'conflict',
        severity: same ? 'warning' : 'error',
        message: same
          ? `'${o.key}' is set twice (first on line ${prev.range.line + 1}).`
          : `'${o.key}' is set again with a different value (first on line ${prev.range.line + 1} as '${prev.value}'); only one can apply.`,
        range: o.range,
        fixes: same && cfg.format === 'support-options' ? [fix(cfg, `Remove the duplicate '${o.key}'`, [removeLine(cfg.text, o.range.line)])] : [],
        related: [{ range: prev.range, message: 'first set here' }],
      });
    } else seen.set(canon, o);
    if (!info) continue;
    if (info.format === 'guid') {
      if (PLACEHOLDER_GUID_RE.test(o.value) || o.value === '') {
        out.push({ code: 'placeholder', severity: 'warning', message: `'${info.key}' still holds a placeholder: enter the ${/Tenant/.test(info.key) ? 'Directory (tenant) id' : 'Application (client) id'} of your app registration.`, range: o.valueRange, fixes: [] });
      } else if (!GUID_RE.test(o.value)) {
        const cleaned = o.value.replace(/^[{("']+|[})"']+$/g, '').trim();
        out.push({
          code: 'not-a-guid',
          severity: 'error',
          message: `'${info.key}' must be a GUID like ${GUID_PLACEHOLDER}, not '${o.value.slice(0, 60)}'.`,
          range: o.valueRange,
          fixes: GUID_RE.test(cleaned) ? [fix(cfg, `Use '${cleaned}'`, [replaceRange(o.valueRange, inScalar(o, cleaned))])] : [],
        });
      }
    } else if (info.format === 'flag' && !/^[01]$/.test(o.value)) {
      const v = /^(true|yes|on)$/i.test(o.value) ? '1' : /^(false|no|off)$/i.test(o.value) ? '0' : undefined;
      out.push({ code: 'bad-flag', severity: 'warning', message: `'${info.key}' takes 1 (on) or 0 (off), not '${o.value.slice(0, 40)}'.`, range: o.valueRange, fixes: v ? [fix(cfg, `Use ${v}`, [replaceRange(o.valueRange, inScalar(o, v))])] : [] });
    } else if (info.format === 'int' && !/^\d+$/.test(o.value)) {
      out.push({ code: 'bad-int', severity: 'warning', message: `'${info.key}' takes a whole number, not '${o.value.slice(0, 40)}'.`, range: o.valueRange, fixes: [] });
    } else if (info.format === 'mapping') {
      checkMapping(cfg, o, out);
    }
    // a ClientId without its TenantId on the same side (and the reverse)
    if (info.pair && !present.has(info.pair.toLowerCase())) {
      const counterpartPair = keyInfo(info.counterpart ?? '')?.pair;
      const mixup = counterpartPair && present.has(counterpartPair.toLowerCase()) && !present.has(info.counterpart!.toLowerCase());
      if (mixup) {
        // e.g. ModernAuthClientIdExport + ModernAuthTenantIdImport: one of them names the wrong side
        out.push({
          code: 'side-mixup',
          severity: 'error',
          message: `'${info.key}' (${info.side}) is paired with '${counterpartPair}' (${keyInfo(counterpartPair!)!.side}): Export means source and Import means destination, so both ids of one tenant must use the same suffix.`,
          range: o.keyRange,
          fixes: [fix(cfg, `Rename to '${info.counterpart}'`, [replaceRange(o.keyRange, inScalar(o, info.counterpart!))])],
        });
      } else {
        const edits = insertOptionsEdits(cfg, [`${info.pair}=\${1:${/Tenant/.test(info.pair) ? 'tenant' : 'client'}-id-guid}`]);
        out.push({
          code: 'missing-pair',
          severity: 'error',
          message: `'${info.key}' needs '${info.pair}' on the same side (${info.side}); Modern Authentication uses both.`,
          range: o.keyRange,
          fixes: edits.length ? [{ ...fix(cfg, `Add '${info.pair}'`, edits), keys: [info.pair] }] : [],
        });
      }
    }
  }
  checkEndpoints(cfg, out);
  checkSecrets(cfg, out);
  return out;
}

/** an edit deleting a whole line with its line break (the one before it on the last line); never past the end */
function removeLine(text: string, line: number): TextEdit {
  const lines = text.split('\n');
  const len = (i: number) => lines[i].length - (lines[i].endsWith('\r') ? 1 : 0);
  if (line + 1 < lines.length) return { line, column: 0, endLine: line + 1, endColumn: 0, newText: '' };
  if (line > 0) return { line: line - 1, column: len(line - 1), endLine: line, endColumn: len(line), newText: '' };
  return { line, column: 0, endLine: line, endColumn: len(line), newText: '' };
}

function checkMapping(cfg: ProjectConfig, o: ConfigOption, out: ConfigProblem[]): void {
  if (!o.quoted) {
    const quoted = `"${o.value.replace(/"/g, '')}"`;
    out.push({
      code: 'mapping-unquoted',
      severity: 'warning',
      message: `Quote the value of '${o.key}': ${o.key}=${quoted}. Unquoted mappings are cut at spaces and special characters.`,
      range: o.valueRange,
      fixes: [fix(cfg, `Quote the ${o.key} value`, [replaceRange(o.valueRange, inScalar(o, quoted))])],
    });
  }
  const arrow = o.value.indexOf('->');
  if (arrow < 0) {
    out.push({ code: 'mapping-invalid', severity: 'error', message: `'${o.key}' needs the form "<source>-><destination>" (the '->' is missing).`, range: o.valueRange, fixes: [] });
    return;
  }
  if (o.key.toLowerCase() === 'foldermapping') {
    const lhs = o.value.slice(0, arrow);
    try {
      new RegExp(lhs, 'i');
    } catch (e) {
      out.push({ code: 'mapping-invalid', severity: 'error', message: `The source side of FolderMapping is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`, range: o.valueRange, fixes: [] });
    }
  }
}

function checkEndpoints(cfg: ProjectConfig, out: ConfigProblem[]): void {
  for (const side of ['source', 'destination'] as const) {
    const ep = cfg[side];
    if (!ep || ep.port === undefined) continue;
    const portRange = ep.ranges.port!;
    if (ep.port === 993 && ep.useSsl === false) {
      out.push({
        code: 'ssl-port',
        severity: 'warning',
        message: `The ${side} uses port 993 (IMAP over SSL) with useSsl: false. Port 993 needs SSL; plain IMAP uses 143.`,
        range: ep.ranges.useSsl ?? portRange,
        fixes: ep.ranges.useSsl ? [fix(cfg, 'Set useSsl: true', [replaceRange(ep.ranges.useSsl, 'true')])] : [],
      });
    } else if (ep.port === 143 && ep.useSsl === true) {
      out.push({
        code: 'ssl-port',
        severity: 'warning',
        message: `The ${side} uses port 143 with useSsl: true. Implicit SSL for IMAP is port 993; 143 is plain (or STARTTLS).`,
        range: portRange,
        fixes: [fix(cfg, 'Use port 993', [replaceRange(portRange, '993')])],
      });
    }
  }
}

const SECRET_KEY_RE = /(secret|password|passwd|pwd|apppassword|token)/i;

function checkSecrets(cfg: ProjectConfig, out: ConfigProblem[]): void {
  for (const o of cfg.options) {
    if (SECRET_KEY_RE.test(o.key) && o.value && !PLACEHOLDER_GUID_RE.test(o.value)) {
      out.push({
        code: 'secret-in-config',
        severity: 'warning',
        message: `'${o.key}' holds a secret in a plain file. Keep secrets in the migration tool's endpoint settings, not in a config that gets shared.`,
        range: o.valueRange,
        fixes: [],
      });
    }
  }
}
