// Raw findings + the tied config -> findings with ranked causes, config notes and fixes.
// Pure: everything an adapter (diagnostics, hover, code actions, CLI) needs is on the Finding.
import type { CauseWhen, Rule, Severity, Side } from './rules/types';
import type { RawFinding } from './scan/scanner';
import type { ConfigOption, ProjectConfig, Range } from './config/parse';
import type { FileFix } from './edits';
import { expandSide, keyInfo } from './config/keys';
import { optionValid } from './config/check';
import { createConfigFix, insertOptionsEdits } from './fixes/insert';
import { maskSecrets } from './secrets';

export interface RankedCause {
  id: string;
  title: string;
  steps: string[];
  source?: string;
  rank: number;
  score: number;
  /** what the config says about this cause */
  note?: string;
  /** the config shows this cause cannot apply (moved to the end) */
  ruledOut?: boolean;
  /** a condition raised this cause (context, line, side or config) */
  raised?: boolean;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  rule: Rule;
  severity: Severity;
  system?: string;
  title: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  side: Side;
  captures: Record<string, string>;
  count: number;
  occurrences: number[];
  causes: RankedCause[];
  fixes: FileFix[];
  /** sentences on the tied config's state ("support-options.txt has no ModernAuthClientIdImport") */
  configNotes: string[];
  related: RelatedLocation[];
  fingerprint: string;
  /** the config file the finding was correlated with */
  configFile?: string;
}

export interface AnalyzeContext {
  config?: ProjectConfig;
  /** where a new config would be created when none is tied (enables "create config" fixes) */
  newConfigFile?: string;
  /** cause id -> default title */
  vocabulary?: Map<string, string>;
  /** severity overrides by rule id */
  severityOverride?: (ruleId: string) => Severity | undefined;
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

const SIDES: ('source' | 'destination')[] = ['source', 'destination'];

function hasSideTemplate(s: string[]): boolean {
  return s.some((k) => /\{side\}/i.test(k));
}

function sidesFor(templates: string[], side: Side): ('source' | 'destination')[] {
  if (!hasSideTemplate(templates)) return ['destination']; // expansion is a no-op; one pass
  return side === 'unknown' ? SIDES : [side];
}

interface KeyState {
  missing: string[];
  invalid: ConfigOption[];
  present: ConfigOption[];
}

function keyState(cfg: ProjectConfig, keys: string[]): KeyState {
  const st: KeyState = { missing: [], invalid: [], present: [] };
  for (const k of keys) {
    const canon = (keyInfo(k)?.key ?? k).toLowerCase();
    const o = cfg.options.find((x) => (keyInfo(x.key)?.key ?? x.key).toLowerCase() === canon);
    if (!o) st.missing.push(k);
    else if (!optionValid(o)) st.invalid.push(o);
    else st.present.push(o);
  }
  return st;
}

function listWords(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** Evaluate config conditions: true (holds), false (config shows it doesn't), undefined (unknown). */
function evalConfig(when: CauseWhen | undefined, side: Side, cfg: ProjectConfig | undefined, notes: string[], related: RelatedLocation[]): boolean | undefined {
  if (!when || !cfg) return undefined;
  let result: boolean | undefined;
  const file = baseName(cfg.file);
  if (when.configMissing?.length) {
    const templates = when.configMissing;
    let anyMissing = false;
    for (const s of sidesFor(templates, side)) {
      const keys = templates.map((k) => expandSide(k, s));
      const st = keyState(cfg, keys);
      if (st.missing.length || st.invalid.length) {
        anyMissing = true;
        if (st.missing.length) notes.push(`${file} has no ${listWords(st.missing)}`);
        for (const o of st.invalid) {
          notes.push(`${file} sets ${o.key} but its value is not valid`);
          related.push({ file: cfg.file, range: o.range, message: `${o.key} is set here but its value is not valid` });
        }
      } else {
        notes.push(`${listWords(keys)} ${keys.length > 1 ? 'are' : 'is'} set in ${file}`);
        for (const o of st.present) related.push({ file: cfg.file, range: o.range, message: `${o.key} is set here` });
      }
    }
    result = anyMissing;
  }
  if (when.configPresent?.length) {
    let all = true;
    for (const s of sidesFor(when.configPresent, side)) {
      const st = keyState(cfg, when.configPresent.map((k) => expandSide(k, s)));
      if (st.missing.length || st.invalid.length) all = false;
      else for (const o of st.present) related.push({ file: cfg.file, range: o.range, message: `${o.key} is set here` });
    }
    result = result === undefined ? all : result && all;
  }
  return result;
}

/** Expand {side}, {Side} and captures; secrets a capture carries are masked (explanations never echo them). */
function expandText(s: string, f: RawFinding): string {
  const side = f.side === 'unknown' ? undefined : f.side;
  return maskSecrets(s
    .replace(/\{side\}/g, side ?? 'failing endpoint')
    .replace(/\{Side\}/g, side ? (side === 'source' ? 'Export' : 'Import') : 'Export/Import')
    .replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string) => (name in f.captures ? f.captures[name] : m)));
}

/** Small stable hash (FNV-1a, 32 bit) for fingerprints. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function analyze(raw: RawFinding, ctx: AnalyzeContext = {}): Finding {
  const rule = raw.rule;
  const cfg = ctx.config;
  const configNotes: string[] = [];
  const related: RelatedLocation[] = [];
  const n = rule.causes.length;
  const ranked = rule.causes.map((c, i) => {
    let score = (n - i) * 10;
    let note: string | undefined;
    let ruledOut = false;
    let raised = raw.signals[i] ?? false;
    // a raised cause outranks every unraised one (their scores stay under 500 for up to 49 causes); among raised
    // ones the condition's weight decides before the written order (weight 1: +1000; a config condition: +2000)
    if (raised) score += 500 + 500 * Math.min(3, Math.max(0.1, c.when?.weight ?? 1));
    const notes: string[] = [];
    const cfgState = evalConfig(c.when, raw.side, cfg, notes, related);
    if (cfgState === true) {
      score += 2000;
      raised = true;
    } else if (cfgState === false) {
      score -= 100000;
      ruledOut = true;
    }
    if (notes.length) {
      note = notes.join('; ');
      configNotes.push(...notes);
    }
    return {
      id: c.id,
      title: expandText(c.title ?? ctx.vocabulary?.get(c.id) ?? c.id, raw),
      steps: (c.steps ?? []).map((s) => expandText(s, raw)),
      source: c.source,
      rank: 0,
      score,
      note,
      ruledOut: ruledOut || undefined,
      raised: raised || undefined,
    } as RankedCause;
  });
  ranked.sort((a, b) => b.score - a.score);
  ranked.forEach((c, i) => (c.rank = i + 1));

  const fixes: FileFix[] = [];
  for (const fx of rule.fixes ?? []) {
    const templated = hasSideTemplate(fx.insertOptions);
    // with the side unknown, a per-side fix is offered for both sides and neither is "the best"
    const preferred = fx.preferred && !(templated && raw.side === 'unknown');
    for (const s of sidesFor(fx.insertOptions, raw.side)) {
      // a side condition is about the finding's side (or the expanded side for {Side} templates)
      if (fx.when?.side && fx.when.side !== (templated ? s : raw.side)) continue;
      if (fx.when && cfg) {
        const st = evalConfig({ configMissing: fx.when.configMissing?.map((k) => expandSide(k, s)) }, s, cfg, [], []);
        if (st === false) continue;
      }
      const options = fx.insertOptions.map((o) => expandSide(o, s));
      const title = expandSide(fx.title, s);
      if (cfg) {
        const edits = insertOptionsEdits(cfg, options);
        if (!edits.length) continue; // already there: nothing to do (idempotent)
        fixes.push({ title: `${title} in ${baseName(cfg.file)}`, file: cfg.file, edits, preferred, keys: options.map((o) => o.slice(0, o.indexOf('='))), insertOptions: options });
      } else if (ctx.newConfigFile) {
        fixes.push({ ...createConfigFix(ctx.newConfigFile, `${title} (create ${baseName(ctx.newConfigFile)})`, options), preferred, insertOptions: options });
      }
    }
  }
  if (fixes.length && !fixes.some((f) => f.preferred) && (raw.side !== 'unknown' || fixes.length === 1)) fixes[0].preferred = true;

  const severity = ctx.severityOverride?.(rule.id) ?? rule.severity;
  const sideLabel = raw.side === 'unknown' ? '' : `${raw.side === 'source' ? 'Source' : 'Destination'}: `;
  const base = rule.message ? expandText(rule.message, raw) : rule.title;
  const top = ranked[0];
  const message = `${sideLabel}${base}${top ? `. Most likely: ${top.title.replace(/\.$/, '')}` : ''}.`.replace(/\.\.$/, '.');
  return {
    ruleId: rule.id,
    rule,
    severity,
    system: rule.system,
    title: rule.title,
    message,
    line: raw.line,
    column: raw.column,
    endLine: raw.line,
    endColumn: raw.endColumn,
    side: raw.side,
    captures: Object.fromEntries(Object.entries(raw.captures).map(([k, v]) => [k, maskSecrets(v)])),
    count: raw.count,
    occurrences: raw.occurrences,
    causes: ranked,
    fixes,
    configNotes: [...new Set(configNotes)],
    related: dedupeRelated(related),
    fingerprint: fingerprintOf(raw),
    configFile: cfg?.file,
  };
}

function dedupeRelated(xs: RelatedLocation[]): RelatedLocation[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = `${x.file}:${x.range.line}:${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Stable id of a finding for ignore lists: rule, side and the matched text without volatile parts. */
export function fingerprintOf(raw: RawFinding): string {
  const norm = raw.match
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '#')
    .replace(/\d{6,}/g, '#')
    .toLowerCase();
  return `${raw.rule.id}:${fnv1a(`${raw.side}|${norm}`)}`;
}
