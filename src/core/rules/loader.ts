// YAML rule packs -> validated, compiled rules, with every problem located (file:line:column).
// A broken rule is skipped; a broken pack yields problems and no rules; nothing here throws.
import { isMap, isSeq, isScalar, Node as YamlNode, YAMLMap } from 'yaml';
import { complexKey, parseYamlDocument, TextPositions } from '../config/yaml';
import type { CauseSpec, Located, PackProblem, Rule, RuleSpec, Severity, Side, SideSpec } from './types';
import { checkPatternSafety } from './safety';
import { compileUserRegex, isLinearRegex } from './regex';

export interface PackSource {
  /** display name / path of the pack */
  file: string;
  text: string;
  /** built-in packs are trusted; user packs get the regex safety analysis */
  trusted?: boolean;
}

export interface LoadResult {
  rules: Rule[];
  problems: PackProblem[];
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
const SIDES = new Set(['source', 'destination', 'unknown']);
const RULE_KEYS = new Set([
  'id', 'title', 'severity', 'patterns', 'causes', 'system', 'summary', 'message', 'keywords', 'exclude', 'caseSensitive',
  'priority', 'side', 'context', 'fixes', 'links', 'tags', 'examples',
]);

export function parseCauseVocabulary(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let js: unknown;
  try {
    const doc = parseYamlDocument(text);
    if (complexKey(doc.contents)) return out;
    js = doc.toJS(); // throws on alias bombs
  } catch {
    return out;
  }
  if (js && typeof js === 'object') for (const [k, v] of Object.entries(js)) out.set(k, String(v));
  return out;
}

/** Load several packs; later packs override earlier rules with the same id. */
export function loadPacks(sources: PackSource[], vocabulary?: Map<string, string>): LoadResult {
  const byId = new Map<string, Rule>();
  const problems: PackProblem[] = [];
  for (const src of sources) mergePackResult(byId, problems, loadPack(src, vocabulary));
  return { rules: [...byId.values()], problems };
}

/** Add one pack's rules and problems to a rule set: a later pack's rule replaces one with the same id. */
export function mergePackResult(byId: Map<string, Rule>, problems: PackProblem[], res: LoadResult): void {
  problems.push(...res.problems);
  for (const r of res.rules) {
    const prev = byId.get(r.id);
    if (prev && prev.pack === r.pack) {
      problems.push({ ...r.loc, severity: 'error', message: `duplicate rule id '${r.id}' (first defined at line ${prev.loc.line + 1})`, ruleId: r.id });
      continue;
    }
    byId.set(r.id, r);
  }
}

export function loadPack(src: PackSource, vocabulary?: Map<string, string>): LoadResult {
  const problems: PackProblem[] = [];
  const rules: Rule[] = [];
  const positions = new TextPositions(src.text);
  let doc;
  try {
    doc = parseYamlDocument(src.text, { prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    problems.push({ file: src.file, line: 0, column: 0, severity: 'error', message: `cannot parse YAML: ${(e as Error).message}` });
    return { rules, problems };
  }
  const at = (offset: number | undefined): Located => {
    const p = positions.at(offset);
    return { file: src.file, line: p.line, column: p.col };
  };
  const nodeLoc = (n: unknown): Located => at((n as YamlNode | undefined)?.range?.[0]);
  for (const err of doc.errors) {
    problems.push({ ...at(err.pos[0]), severity: 'error', message: `YAML syntax: ${firstLine(err.message)}` });
  }
  if (doc.errors.length) return { rules, problems };

  let seq: unknown = doc.contents;
  let packSystem: string | undefined;
  if (isMap(seq)) {
    const m = seq as YAMLMap;
    const sys = m.get('system');
    if (typeof sys === 'string') packSystem = sys;
    seq = m.get('rules', true);
    if (!seq) {
      problems.push({ ...nodeLoc(m), severity: 'error', message: 'a rule pack mapping needs a `rules:` list' });
      return { rules, problems };
    }
  }
  if (seq === null || seq === undefined) return { rules, problems }; // empty file: no rules, no problem
  if (!isSeq(seq)) {
    problems.push({ ...nodeLoc(seq), severity: 'error', message: 'a rule pack is a list of rules (or a mapping with `rules:`)' });
    return { rules, problems };
  }
  const seen = new Map<string, Located>();
  for (const item of seq.items) {
    const loc = nodeLoc(item);
    if (!isMap(item)) {
      problems.push({ ...loc, severity: 'error', message: 'each rule is a mapping with id, title, severity, patterns and causes' });
      continue;
    }
    const rule = compileRule(item as YAMLMap, loc, src, packSystem, nodeLoc, problems, vocabulary);
    if (!rule) continue;
    const dup = seen.get(rule.id);
    if (dup) {
      problems.push({ ...rule.loc, severity: 'error', message: `duplicate rule id '${rule.id}' (first at line ${dup.line + 1})`, ruleId: rule.id });
      continue;
    }
    seen.set(rule.id, rule.loc);
    rules.push(rule);
  }
  return { rules, problems };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function compileRule(
  node: YAMLMap,
  loc: Located,
  src: PackSource,
  packSystem: string | undefined,
  nodeLoc: (n: unknown) => Located,
  problems: PackProblem[],
  vocabulary?: Map<string, string>,
): Rule | undefined {
  const complex = complexKey(node);
  if (complex) {
    problems.push({ ...nodeLoc(complex), severity: 'error', message: 'mapping keys in a rule are plain strings' });
    return undefined;
  }
  const spec = node.toJSON() as Record<string, unknown>;
  const idNode = node.get('id', true);
  const ruleLoc = idNode ? nodeLoc(idNode) : loc;
  const id = typeof spec.id === 'string' ? spec.id : undefined;
  const fail = (where: unknown, message: string): undefined => {
    problems.push({ ...(where ? nodeLoc(where) : ruleLoc), severity: 'error', message: id ? `rule '${id}': ${message}` : message, ruleId: id });
    return undefined;
  };
  if (!id) return fail(node, 'rule needs an `id` (a string)');
  for (const k of Object.keys(spec)) {
    if (!RULE_KEYS.has(k)) problems.push({ ...nodeLoc(node.get(k, true) ?? keyNode(node, k)), severity: 'warning', message: `rule '${id}': unknown field '${k}' is ignored`, ruleId: id });
  }
  if (typeof spec.title !== 'string' || !spec.title) return fail(node.get('title', true) ?? node, 'needs a `title`');
  if (typeof spec.severity !== 'string' || !SEVERITIES.has(spec.severity)) {
    return fail(node.get('severity', true) ?? node, '`severity` must be error, warning, info or hint');
  }
  const pats = spec.patterns;
  if (!Array.isArray(pats) || pats.length === 0 || !pats.every((p) => typeof p === 'string')) {
    return fail(node.get('patterns', true) ?? node, '`patterns` must be a non-empty list of regex strings');
  }
  const causes = spec.causes;
  if (!Array.isArray(causes) || causes.length === 0) return fail(node.get('causes', true) ?? node, '`causes` must be a non-empty list of `{ id }`');
  const causesNode = node.get('causes', true);
  for (let i = 0; i < causes.length; i++) {
    const c = causes[i] as CauseSpec;
    const cNode = isSeq(causesNode) ? causesNode.items[i] : causesNode;
    if (!c || typeof c !== 'object' || typeof c.id !== 'string') return fail(cNode, 'each cause needs an `id`');
    const bad = optionalText(c, ['title', 'source']) ?? (c.steps != null && !isTextList(c.steps) ? '`steps` must be a list of strings' : undefined) ?? whenProblem(c.when);
    if (bad) return fail(cNode, `cause '${c.id}': ${bad}`);
    if (vocabulary && !vocabulary.has(c.id)) {
      problems.push({ ...nodeLoc(cNode), severity: 'warning', message: `rule '${id}': cause id '${c.id}' is not in the cause vocabulary`, ruleId: id });
    }
  }
  const caseSensitive = spec.caseSensitive === true;
  const flags = caseSensitive ? '' : 'i';
  const compileList = (field: string, list: unknown): RegExp[] | undefined => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return fail(node.get(field, true), `\`${field}\` must be a list of regex strings`);
    const listNode = node.get(field, true);
    const out: RegExp[] = [];
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      const pNode = isSeq(listNode) ? listNode.items[i] : listNode;
      if (typeof p !== 'string') return fail(pNode, `\`${field}\` entries must be strings`);
      let re: RegExp;
      try {
        re = src.trusted ? new RegExp(p, flags) : compileUserRegex(p, flags);
      } catch (e) {
        return fail(pNode, `invalid regex: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
      if (!src.trusted) {
        const unsafe = checkPatternSafety(p, { linear: isLinearRegex(re) });
        if (unsafe) return fail(pNode, `unsafe regex (${unsafe}); rewrite it without nested or overlapping repetition`);
      }
      out.push(re);
    }
    return out;
  };
  const compiled = compileList('patterns', pats);
  if (!compiled) return undefined;
  const excludeCompiled = compileList('exclude', spec.exclude);
  if (!excludeCompiled) return undefined;
  // every regex in `when` must compile too (and, in user packs, be as safe as the patterns: the scanner runs them)
  for (let i = 0; i < causes.length; i++) {
    const w = (causes[i] as CauseSpec).when;
    for (const list of [w?.context, w?.line]) {
      for (const p of list ?? []) {
        try {
          new RegExp(p, 'i');
        } catch (e) {
          return fail(isSeq(causesNode) ? causesNode.items[i] : causesNode, `invalid regex in when: ${(e as Error).message}`);
        }
        const unsafe = src.trusted ? undefined : checkPatternSafety(p, { linear: isLinearRegex(compileUserRegex(p, 'i')) });
        if (unsafe) return fail(isSeq(causesNode) ? causesNode.items[i] : causesNode, `unsafe regex in when (${unsafe}); rewrite it without nested or overlapping repetition`);
      }
    }
  }
  const badText = optionalText(spec, ['message', 'summary']);
  if (badText) return fail(node, badText);
  const fixes = spec.fixes;
  if (fixes != null) {
    if (!Array.isArray(fixes)) return fail(node.get('fixes', true), '`fixes` must be a list of `{ title, insertOptions }`');
    const fixesNode = node.get('fixes', true);
    for (let i = 0; i < fixes.length; i++) {
      const bad = fixProblem(fixes[i]);
      if (bad) return fail(isSeq(fixesNode) ? fixesNode.items[i] : fixesNode, bad);
    }
  }
  const links = spec.links;
  if (links != null) {
    if (!Array.isArray(links) || !links.every((l) => l && typeof l === 'object' && typeof l.title === 'string' && !optionalText(l, ['url', 'source']))) {
      return fail(node.get('links', true), '`links` must be a list of `{ title, url?, source? }` with string values');
    }
  }
  let keywords: string[] = [];
  if (spec.keywords !== undefined) {
    if (!Array.isArray(spec.keywords) || !spec.keywords.every((k) => typeof k === 'string' && k.length > 0)) {
      return fail(node.get('keywords', true), '`keywords` must be a list of non-empty strings');
    }
    keywords = (spec.keywords as string[]).map((k) => k.toLowerCase());
  }
  let sideFixed: Side | undefined;
  let sideFrom: RegExp | undefined;
  const side = spec.side as Side | SideSpec | undefined;
  if (typeof side === 'string') {
    if (!SIDES.has(side)) return fail(node.get('side', true), '`side` must be source, destination, unknown or { from: regex }');
    sideFixed = side;
  } else if (side && typeof side === 'object') {
    if (side.fixed) {
      if (!SIDES.has(side.fixed)) return fail(node.get('side', true), '`side.fixed` must be source, destination or unknown');
      sideFixed = side.fixed;
    }
    if (side.from) {
      if (typeof side.from !== 'string') return fail(node.get('side', true), '`side.from` must be a regex string');
      try {
        sideFrom = src.trusted ? new RegExp(side.from, 'i') : compileUserRegex(side.from, 'i');
      } catch (e) {
        return fail(node.get('side', true), `invalid side regex: ${(e as Error).message}`);
      }
      const unsafe = src.trusted ? undefined : checkPatternSafety(side.from, { linear: isLinearRegex(sideFrom) });
      if (unsafe) return fail(node.get('side', true), `unsafe side regex (${unsafe}); rewrite it without nested or overlapping repetition`);
    }
  }
  const ctx = spec.context as { before?: number } | undefined;
  const before = Math.floor(Math.max(0, Math.min(500, typeof ctx?.before === 'number' && !Number.isNaN(ctx.before) ? ctx.before : 10)));
  const rule: Rule = {
    ...(spec as unknown as RuleSpec),
    id,
    severity: spec.severity as Severity,
    system: typeof spec.system === 'string' ? spec.system : packSystem,
    pack: src.file,
    loc: ruleLoc,
    trusted: !!src.trusted,
    priority: typeof spec.priority === 'number' && Number.isFinite(spec.priority) ? spec.priority : 0,
    keywords,
    compiled,
    excludeCompiled,
    sideFixed,
    sideFrom,
    before,
    links: (links ?? undefined) as Rule['links'],
    docUrl: (links as Rule['links'])?.find((l) => l.url)?.url,
  };
  return rule;
}

function keyNode(map: YAMLMap, key: string): unknown {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair?.key;
}

function isTextList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'string');
}

/** the first of `fields` that is set (not null) but not a string */
function optionalText(obj: object, fields: string[]): string | undefined {
  const o = obj as Record<string, unknown>;
  const f = fields.find((k) => o[k] != null && typeof o[k] !== 'string');
  return f ? `\`${f}\` must be a string` : undefined;
}

/** a cause's or a fix's `when`: what analyze and the scanner read from it */
function whenProblem(w: unknown): string | undefined {
  if (w == null) return undefined;
  if (typeof w !== 'object' || Array.isArray(w)) return '`when` must be a mapping';
  const o = w as Record<string, unknown>;
  for (const k of ['configMissing', 'configPresent', 'context', 'line']) if (o[k] != null && !isTextList(o[k])) return `\`when.${k}\` must be a list of strings`;
  if (o.side != null && o.side !== 'source' && o.side !== 'destination') return '`when.side` must be source or destination';
  if (o.weight != null && (typeof o.weight !== 'number' || !(o.weight >= 0.1 && o.weight <= 3))) return '`when.weight` must be a number from 0.1 to 3';
  return undefined;
}

/** `{ title, insertOptions: ["Key=value", ...], when?, preferred? }`; keys may hold {Side} */
function fixProblem(fx: unknown): string | undefined {
  if (!fx || typeof fx !== 'object' || Array.isArray(fx)) return 'each fix is a mapping with `title` and `insertOptions`';
  const o = fx as Record<string, unknown>;
  if (typeof o.title !== 'string' || !o.title) return 'a fix needs a `title`';
  if (!isTextList(o.insertOptions) || !o.insertOptions.length) return '`insertOptions` must be a non-empty list of "Key=value" strings';
  for (const opt of o.insertOptions) {
    const eq = opt.indexOf('=');
    const key = eq > 0 ? opt.slice(0, eq).trim().replace(/\{[Ss]ide\}/g, 'Side') : '';
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) return `insertOptions entry '${opt.slice(0, 60)}' is not "Key=value"`;
    if (/[\r\n]/.test(opt)) return `insertOptions entry '${opt.slice(0, 60)}' spans several lines`;
  }
  return whenProblem(o.when);
}
