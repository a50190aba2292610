// Rule packs compiled ahead of time: the build loads the built-in packs once and writes the result as JSON
// (dist/rules.json), so that the CLI and the extension start without parsing YAML (and without loading the YAML
// library at all, unless a workspace pack or a YAML config needs it). An entry is used only for a pack whose text
// (and trust, and cause vocabulary) is exactly the one it was made from: its key holds their hashes. Anything
// else is loaded from YAML as before. Pure: the node layer tells where the JSON is (setPrecompiledRules).
import { loadPacks, mergePackResult, parseCauseVocabulary, LoadResult, PackSource } from './loader';
import type { PackProblem, Rule } from './types';
import { addPatternHints, patternLiteralOptions } from '../scan/prefilter';
import { LITERALS_VERSION } from '../scan/literals';

export interface PrecompiledRules {
  version: 1;
  vocabularies: { key: string; entries: [string, string][] }[];
  packs: { key: string; result: unknown }[];
  /** the prefilter's literal analysis of every pattern (src/core/scan/prefilter.ts patternLiteralOptions) */
  patternLiterals?: { version: number; entries: [string, string[][] | null][] };
}

const FILE = '\u0000file';

/** the hash of pack texts in keys: cyrb53 by default; the node layer installs a native one (setPrecompiledRules) */
let hashText: (s: string) => string = cyrb53;

/** 53-bit string hash (cyrb53), as hex */
export function cyrb53(s: string): string {
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

function packKey(src: PackSource, vocabularyText: string | undefined): string {
  return `${src.trusted ? 't' : 'u'}:${vocabularyText === undefined ? '-' : hashText(vocabularyText)}:${src.text.length}:${hashText(src.text)}`;
}

/** JSON of a load result: regexes as { $re: [source, flags] }, the pack's own path as a placeholder */
function encode(res: LoadResult, file: string): unknown {
  return JSON.parse(
    JSON.stringify(res, (_k, v: unknown) => {
      if (v instanceof RegExp) return { $re: [v.source, v.flags] };
      if (v === file) return FILE;
      if (v instanceof Map || v instanceof Set || typeof v === 'function') throw new Error('precompiled rules: unexpected value');
      return v;
    }),
  );
}

function decode(json: unknown, file: string): LoadResult {
  const revive = (v: unknown): unknown => {
    if (v === FILE) return file;
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.$re) && Object.keys(o).length === 1) return new RegExp(o.$re[0] as string, o.$re[1] as string);
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) out[k] = revive(o[k]);
      return out;
    }
    return v;
  };
  return revive(json) as LoadResult;
}

/** Build time: the precompiled form of these packs, loaded with this vocabulary (as the Engine would). */
export function precompile(sources: PackSource[], vocabularyText: string | undefined): PrecompiledRules {
  const vocabulary = vocabularyText !== undefined ? parseCauseVocabulary(vocabularyText) : new Map<string, string>();
  const out: PrecompiledRules = { version: 1, vocabularies: [], packs: [] };
  if (vocabularyText !== undefined) out.vocabularies.push({ key: hashText(vocabularyText), entries: [...vocabulary] });
  const patterns = new Set<string>();
  for (const src of sources) {
    const res = loadPacks([src], vocabulary.size ? vocabulary : undefined);
    out.packs.push({ key: packKey(src, vocabulary.size ? vocabularyText : undefined), result: encode(res, src.file) });
    for (const r of res.rules) for (const p of r.patterns) patterns.add(p);
  }
  out.patternLiterals = { version: LITERALS_VERSION, entries: [...patterns].map((p) => [p, patternLiteralOptions(p)]) };
  return out;
}

let provider: (() => PrecompiledRules | undefined) | undefined;
let loaded: { vocab: Map<string, [string, string][]>; packs: Map<string, unknown> } | undefined;

/**
 * Where precompiled rules come from (read lazily, on the first rule load), and optionally a faster text hash
 * for their keys (the same one must be installed when they are made).
 */
export function setPrecompiledRules(p: (() => PrecompiledRules | undefined) | undefined, hash?: (s: string) => string): void {
  provider = p;
  loaded = undefined;
  hashText = hash ?? cyrb53;
}

function table() {
  if (!loaded) {
    let pre: PrecompiledRules | undefined;
    try {
      pre = provider?.();
    } catch {
      pre = undefined;
    }
    loaded = { vocab: new Map(), packs: new Map() };
    if (pre && pre.version === 1) {
      for (const v of pre.vocabularies ?? []) loaded.vocab.set(v.key, v.entries);
      for (const p of pre.packs ?? []) loaded.packs.set(p.key, p.result);
      if (pre.patternLiterals) addPatternHints(pre.patternLiterals.version, pre.patternLiterals.entries);
    }
  }
  return loaded;
}

/**
 * loadPacks + parseCauseVocabulary, through the precompiled table when it holds the very same texts. Same
 * result, rule objects and problems, as loading the YAML (later packs override earlier rules with the same id).
 */
export function loadRuleSet(sources: PackSource[], vocabularyText?: string): { rules: Rule[]; problems: PackProblem[]; vocabulary: Map<string, string> } {
  const t = table();
  let vocabulary = new Map<string, string>();
  if (vocabularyText) {
    const pre = t.vocab.get(hashText(vocabularyText));
    vocabulary = pre ? new Map(pre) : parseCauseVocabulary(vocabularyText);
  }
  const vocabArg = vocabulary.size ? vocabulary : undefined;
  const byId = new Map<string, Rule>();
  const problems: PackProblem[] = [];
  for (const src of sources) {
    const pre = t.packs.size ? t.packs.get(packKey(src, vocabArg ? vocabularyText : undefined)) : undefined;
    const res = pre !== undefined ? decode(pre, src.file) : loadPacks([src], vocabArg);
    mergePackResult(byId, problems, res);
  }
  loaded = undefined; // read again for the next rule set (a reload): not kept in memory meanwhile
  return { rules: [...byId.values()], problems, vocabulary };
}
