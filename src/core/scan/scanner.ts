// Text -> raw findings. One matcher compiled for all rules, shared by every scan:
//  1. a byte-level prefilter (prefilter.ts) finds the lines that hold an anchor (a keyword, or a literal every
//     match of a rule's patterns contains, whichever is rarer), on raw UTF-8 bytes, without decoding;
//  2. on such a candidate line, one keyword regex (all keywords, longest first) lists the keywords present; a
//     rule runs its regexes only when one of its keywords is on the line (rules without keywords always do), and
//     when its gate passes: a regex of literals one of which every match of its patterns contains.
// Only candidate lines are decoded; newlines are counted with indexOf up to them (and to the end, for the total).
// Inputs under 256 KB are matched line by line (planning the prefilter would cost more); larger ones get a
// prefilter tuned on their own first bytes (Matcher.filter(sample)). Rules compile once, on first use, and the
// matcher is shared by every document and scan.
// Works on whole texts and on streamed chunks (bytes or strings) with exact 0-based line numbers and UTF-16
// columns across chunk edges, CRLF, multi-byte characters and invalid UTF-8.
//
// Semantics (identical for every entry point: scanText, StreamScanner, Matcher.matchLine line by line):
//  - lines end at '\n'; a trailing '\r' is not part of the line;
//  - a keyword matches case-insensitively (JavaScript /i); a keyword made only of digits matches only where no
//    other digit touches it ("401" is not in "14012");
//  - a line longer than `maxLineLength` UTF-16 units is examined on its head and tail windows (half each): the
//    tail only when the head has no finding;
//  - context (`before(n)`) reaches at most `context.before` lines back, and stops at a line longer than
//    `maxLineLength` (so a stream never has to keep a huge line).
import { CsvHeader, refineCsvFinding } from './csv';
import { sideFromText } from './side';
import type { Rule, Side } from '../rules/types';
import { compileUserRegex, isLinearRegex } from '../rules/regex';
import { AnchorPlanner, ByteFilter, patternLiteralOptions } from './prefilter';

export interface RawFinding {
  rule: Rule;
  /** 0-based line */
  line: number;
  /** 0-based, UTF-16 columns within the line (CR excluded) */
  column: number;
  endColumn: number;
  side: Side;
  captures: Record<string, string>;
  /** the matched text */
  match: string;
  /** per cause of the rule: did its context/line/side conditions hold */
  signals: boolean[];
  /** identical repeats folded into this one */
  count: number;
  /** 0-based lines of every occurrence (first one included), capped */
  occurrences: number[];
  /** key used to fold repeats */
  foldKey: string;
}

export interface ScanOptions {
  /** longest line examined, in characters (longer lines are examined on their first and last window) */
  maxLineLength?: number;
  /** stop collecting distinct findings after this many (repeats still counted) */
  maxFindings?: number;
  /** rule ids to skip */
  disabled?: Set<string>;
  /** filled in when given: how many lines passed the prefilter */
  stats?: ScanStats;
  /** time budget for untrusted (workspace / user) rules in one document; a rule over it is disabled for the rest */
  budget?: RuleBudget;
  /** CSV report header: findings point at the row's Message / Error code cell and take side and user from columns */
  csvHeader?: CsvHeader;
}

/**
 * Runs `re.exec(subject)` for at most `ms` milliseconds: the result, or undefined when it was stopped. Hosts that can
 * interrupt a regex (Node: `vm` with a timeout, src/node/regexGuard.ts) provide one to RuleBudget.
 */
export type GuardedExec = (re: RegExp, subject: string, ms: number) => RegExpExecArray | null | undefined;

/**
 * Per-document time budget for untrusted rules (create one per scan; `exceeded` lists the rules switched off).
 * Every regex of an untrusted rule runs through `exec`: on the line's head window, charged to the rule, and, with a
 * `guard`, stopped when the rule's budget runs out (regexes compiled with the linear-time engine need no guard).
 */
export class RuleBudget {
  readonly spent = new Map<string, number>();
  readonly exceeded = new Set<string>();
  constructor(
    readonly ms = 200,
    private readonly guard?: GuardedExec,
  ) {}
  charge(ruleId: string, ms: number): boolean {
    const total = (this.spent.get(ruleId) ?? 0) + ms;
    this.spent.set(ruleId, total);
    if (total > this.ms) this.exceeded.add(ruleId);
    return total <= this.ms;
  }
  /** One regex of an untrusted rule on a line: the match, or null (no match, or the rule is over its budget). */
  exec(ruleId: string, re: RegExp, subject: string): RegExpExecArray | null {
    if (this.exceeded.has(ruleId)) return null;
    const s = subject.length > UNTRUSTED_MAX_LINE ? subject.slice(0, UNTRUSTED_MAX_LINE) : subject;
    re.lastIndex = 0;
    const t0 = now();
    let m: RegExpExecArray | null | undefined;
    if (this.guard && !isLinearRegex(re)) {
      m = this.guard(re, s, Math.max(1, Math.ceil(this.ms - (this.spent.get(ruleId) ?? 0))));
      if (m === undefined) {
        this.charge(ruleId, Math.max(now() - t0, this.ms + 1));
        return null;
      }
    } else m = re.exec(s);
    return this.charge(ruleId, now() - t0) ? m : null;
  }
}

/** The options, with a budget of their own for this scan when untrusted rules take part and none was given. */
export function withBudget(matcher: Matcher, opts: ScanOptions): ScanOptions {
  return opts.budget || !matcher.hasUntrusted ? opts : { ...opts, budget: new RuleBudget() };
}

/** Longest line window an untrusted rule's regexes see (its head), bounding any super-linear pattern. */
export const UNTRUSTED_MAX_LINE = 8192;

export interface ScanStats {
  candidateLines: number;
}

/** Receives findings in line order. */
export interface Sink {
  add(f: RawFinding): void;
}

export const DEFAULT_MAX_LINE = 64 * 1024;
/**
 * Inputs at least this large get the byte prefilter, tuned on their own first bytes (up to TUNE_SAMPLE of them);
 * smaller ones are matched line by line (the keyword regex on every line costs less than planning the filter).
 */
const TUNE_MIN = 256 * 1024;
const TUNE_SAMPLE = 1 << 20;
/** the "filter" that passes every line */
const EVERY_LINE = new ByteFilter([], true);
const MAX_OCCURRENCES = 10000;
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

const SIDE_WORDS: Record<string, Side> = {
  source: 'source', src: 'source', export: 'source', exporting: 'source', host1: 'source', from: 'source', origin: 'source', user1: 'source',
  destination: 'destination', dest: 'destination', dst: 'destination', import: 'destination', importing: 'destination', host2: 'destination',
  target: 'destination', to: 'destination', user2: 'destination',
};

export function sideFromWord(word: string | undefined): Side {
  if (!word) return 'unknown';
  return SIDE_WORDS[word.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? 'unknown';
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isDigitCode = (c: number) => c >= 48 && c <= 57;
const utf8 = new TextEncoder();
const utf8Line = new TextDecoder('utf-8', { ignoreBOM: true });

/** start of the line holding `pos` when `pos` is inside a line or at its start; of the line ending at `pos - 1`
 * when `pos` is a line start (then `pos - 1` is a '\n') */
function lineStartBefore(b: Uint8Array, pos: number): number {
  if (pos <= 0) return 0;
  return b.lastIndexOf(10, pos - 1) + 1;
}

function stripCr(s: string): string {
  return s.length && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/** Per keyword: the rules it enables and the shorter keywords that are its prefixes (so present with it). */
interface KeywordEntry {
  rules: number[];
  /** prefixes: [keyword index, needs a left digit-boundary check at run time] */
  prefixes: [number, boolean][];
}

/** One compiled matcher for a rule set; immutable, shared by every document and scan. */
export class Matcher {
  readonly rules: Rule[];
  /** some rules come from untrusted packs: every scan runs them under a RuleBudget */
  readonly hasUntrusted: boolean;
  readonly maxBefore: number;
  private readonly keywordRe: RegExp | undefined;
  private readonly keywords: string[];
  private readonly kwIndex: Map<string, number>;
  private readonly kwEntries: KeywordEntry[];
  private readonly kwExact: RegExp[];
  private readonly alwaysRules: number[];
  /** per rule, per cause: its `when` regexes (compiled on the rule's first finding) */
  private readonly causeRes: ({ context: RegExp[]; line: RegExp[] }[] | undefined)[];
  private filterCache?: ByteFilter;
  private plannerCache?: AnchorPlanner;
  private readonly mark: Int32Array;
  private gen = 0;
  /** per rule: a regex of literals one of which every match of its patterns holds (null: none known) */
  private readonly gates: (RegExp | null | undefined)[] = [];

  constructor(rules: Rule[]) {
    this.rules = rules;
    this.hasUntrusted = this.rules.some((r) => !r.trusted);
    this.alwaysRules = [];
    this.causeRes = [];
    const kwRules = new Map<string, number[]>();
    let maxBefore = 0;
    rules.forEach((r, i) => {
      if (r.keywords.length === 0) this.alwaysRules.push(i);
      for (const k of new Set(r.keywords)) {
        const list = kwRules.get(k);
        if (list) list.push(i);
        else kwRules.set(k, [i]);
      }
      maxBefore = Math.max(maxBefore, r.before);
      this.causeRes.push(undefined);
    });
    this.maxBefore = maxBefore;
    this.mark = new Int32Array(rules.length);
    // longest first: at each position the regex reports the longest keyword there; shorter keywords that are its
    // prefixes are added from `prefixes`, and the exec loop resumes one character later for the others
    this.keywords = [...kwRules.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    this.kwIndex = new Map(this.keywords.map((k, i) => [k, i]));
    const numeric = this.keywords.map((k) => /^[0-9]+$/.test(k));
    this.kwExact = this.keywords.map((k, i) => new RegExp(`^${kwSource(k, numeric[i])}$`, 'i'));
    this.kwEntries = this.keywords.map((k) => ({ rules: kwRules.get(k)!, prefixes: [] }));
    const ascii = this.keywords.map((k) => /^[\x00-\x7f]*$/.test(k));
    // prefixes of ASCII keywords are ASCII keywords with the same first character; others are compared by regex
    const byFirst = new Map<string, number[]>();
    this.keywords.forEach((k, j) => {
      const key = ascii[j] ? k[0] : '';
      const l = byFirst.get(key);
      if (l) l.push(j);
      else byFirst.set(key, [j]);
    });
    this.keywords.forEach((k, i) => {
      const others = ascii[i] ? [...(byFirst.get(k[0]) ?? []), ...(byFirst.get('') ?? [])] : this.keywords.map((_, j) => j);
      others.forEach((j) => {
        const p = this.keywords[j];
        if (j === i || p.length >= k.length) return;
        if (ascii[i] && ascii[j] ? !k.startsWith(p) : !this.kwExact[j].test(k.slice(0, p.length))) return;
        if (numeric[j]) {
          // the prefix must not be followed by a digit inside k; before it is the same character as before k
          if (isDigitCode(k.charCodeAt(p.length))) return;
          this.kwEntries[i].prefixes.push([j, !numeric[i]]);
        } else this.kwEntries[i].prefixes.push([j, false]);
      });
    });
    this.keywordRe = this.keywords.length ? new RegExp(this.keywords.map((k, i) => kwSource(k, numeric[i])).join('|'), 'gi') : undefined;
  }

  /** the prefilter planner, made on first use */
  private get planner(): AnchorPlanner {
    return (this.plannerCache ??= new AnchorPlanner(this.rules.map((r) => ({ keywords: r.keywords, patterns: r.patterns }))));
  }

  /** The prefilter: planned with the static cost model, or tuned on `sample` (a large input's first bytes). */
  filter(sample?: Uint8Array): ByteFilter {
    if (sample) return this.planner.filter(sample);
    return (this.filterCache ??= this.planner.filter());
  }

  private keywordOf(hit: string): number {
    const i = this.kwIndex.get(hit.toLowerCase());
    if (i !== undefined) return i;
    // a non-ASCII letter whose lower case differs from the keyword's spelling
    return this.kwExact.findIndex((re) => re.test(hit));
  }

  /** Indexes of the rules to run on `line`, in rule order. */
  private candidateRules(line: string): number[] {
    if (this.gen >= 0x3fffffff) {
      this.mark.fill(0);
      this.gen = 0;
    }
    const gen = ++this.gen;
    const mark = this.mark;
    const out: number[] = [];
    for (const i of this.alwaysRules) {
      mark[i] = gen;
      out.push(i);
    }
    const re = this.keywordRe;
    if (re) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(line))) {
        const k = this.keywordOf(m[0]);
        if (k >= 0) {
          const e = this.kwEntries[k];
          for (const r of e.rules) if (mark[r] !== gen) (mark[r] = gen), out.push(r);
          for (const [j, leftCheck] of e.prefixes) {
            if (leftCheck && m.index > 0 && isDigitCode(line.charCodeAt(m.index - 1))) continue;
            for (const r of this.kwEntries[j].rules) if (mark[r] !== gen) (mark[r] = gen), out.push(r);
          }
        }
        re.lastIndex = m.index + 1;
      }
    }
    if (out.length > 1) out.sort((a, b) => a - b);
    return out;
  }

  /**
   * Match one line. `before(n)` returns the n-th line before it (1 = previous), or undefined.
   * Returns the findings of the highest-priority rules that matched.
   */
  matchLine(text: string, lineNo: number, before: (n: number) => string | undefined, opts: ScanOptions = {}): RawFinding[] {
    const maxLen = opts.maxLineLength ?? DEFAULT_MAX_LINE;
    if (text.length > maxLen) {
      const half = maxLen >> 1;
      return this.matchLong(text.slice(0, half), text.slice(text.length - half), text.length, lineNo, before, opts);
    }
    return this.matchWindow(text, 0, lineNo, before, opts);
  }

  /**
   * A line longer than maxLineLength, given by its head and tail windows (half of maxLineLength each) and its
   * length: signatures sit at either end of real log lines.
   */
  matchLong(head: string, tail: string, length: number, lineNo: number, before: (n: number) => string | undefined, opts: ScanOptions = {}): RawFinding[] {
    const fromHead = this.matchWindow(head, 0, lineNo, before, opts);
    if (fromHead.length) return fromHead;
    return this.matchWindow(tail, length - tail.length, lineNo, before, opts);
  }

  private matchWindow(line: string, offset: number, lineNo: number, before: (n: number) => string | undefined, opts: ScanOptions): RawFinding[] {
    const rules = this.candidateRules(line);
    if (!rules.length) return [];
    let best = -Infinity;
    let out: RawFinding[] = [];
    for (const ri of rules) {
      const rule = this.rules[ri];
      if (rule.priority < best) continue;
      if (opts.disabled?.has(rule.id)) continue;
      const gate = this.gates[ri] === undefined ? this.gate(ri) : this.gates[ri];
      if (gate && !gate.test(line)) continue; // none of its patterns can match here
      const budget = rule.trusted ? undefined : opts.budget;
      if (budget?.exceeded.has(rule.id)) continue;
      const run = (re: RegExp): RegExpExecArray | null => {
        if (budget) return budget.exec(rule.id, re, line);
        re.lastIndex = 0;
        return re.exec(line);
      };
      let m: RegExpExecArray | null = null;
      for (const re of rule.compiled) {
        m = run(re);
        if (m && m[0].length > 0) break;
        m = null;
      }
      if (!m || rule.excludeCompiled.some((re) => run(re) !== null) || budget?.exceeded.has(rule.id)) continue;
      const f = this.makeFinding(ri, m, line, offset, lineNo, before, opts);
      if (rule.priority > best) {
        best = rule.priority;
        out = [f];
      } else out.push(f);
    }
    return out;
  }

  /** The rule's gate: the union of its patterns' cheapest necessary-literal sets, as one case-insensitive regex. */
  private gate(ri: number): RegExp | null {
    const rule = this.rules[ri];
    // an option that the rule's keywords already guarantee (each keyword contains one of its literals, like
    // "401" for keyword "401") says nothing on a line that has the keyword: prefer another one
    const implied = (set: string[]) => rule.keywords.length > 0 && rule.keywords.every((k) => set.some((l) => k.includes(l)));
    const lits = new Set<string>();
    for (const p of rule.patterns) {
      const o = patternLiteralOptions(p);
      if (!o || !o.length) return (this.gates[ri] = null);
      for (const l of o.find((set) => !implied(set)) ?? o[0]) lits.add(l);
    }
    return (this.gates[ri] = lits.size ? new RegExp([...lits].map(escapeRe).join('|'), 'i') : null);
  }

  private makeFinding(ri: number, m: RegExpExecArray, line: string, offset: number, lineNo: number, before: (n: number) => string | undefined, opts: ScanOptions = {}): RawFinding {
    const rule = this.rules[ri];
    const captures: Record<string, string> = {};
    if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) captures[k] = v;
    let side: Side = 'unknown';
    if (captures.side) side = sideFromWord(captures.side);
    // an untrusted rule's regexes run through its budget (head window, time charged, stoppable)
    const budget = rule.trusted ? undefined : opts.budget;
    const run = (re: RegExp, s: string): RegExpExecArray | null => {
      if (budget) return budget.exec(rule.id, re, s);
      re.lastIndex = 0;
      return re.exec(s);
    };
    if (side === 'unknown' && rule.sideFrom) {
      const s = run(rule.sideFrom, line);
      if (s?.groups?.side) side = sideFromWord(s.groups.side);
      for (let n = 1; side === 'unknown' && n <= rule.before; n++) {
        const prev = before(n);
        if (prev === undefined) break;
        const p = run(rule.sideFrom, prev);
        if (p?.groups?.side) side = sideFromWord(p.groups.side);
      }
    }
    if (side === 'unknown' && rule.sideFixed) side = rule.sideFixed;
    let column = offset + m.index;
    let endColumn = column + m[0].length;
    if (opts.csvHeader && lineNo > 0 && offset === 0) {
      // a report row: point at its Message / Error code cell; the columns tell side and user
      const r = refineCsvFinding(opts.csvHeader, line, column, endColumn);
      column = r.column;
      endColumn = r.endColumn;
      if (side === 'unknown' && r.side) side = r.side;
      if (r.user && !captures.user) captures.user = r.user;
    }
    // the words most tools use for the two endpoints, when the rule itself could not tell
    if (side === 'unknown') side = sideFromText(line);
    const compile = (p: string) => (rule.trusted ? new RegExp(p, 'i') : compileUserRegex(p, 'i'));
    const res = (this.causeRes[ri] ??= rule.causes.map((c) => ({
      context: (c.when?.context ?? []).map(compile),
      line: (c.when?.line ?? []).map(compile),
    })));
    let ctxLines: string[] | undefined;
    const signals = rule.causes.map((c, i) => {
      const w = c.when;
      if (!w) return false;
      if (w.side && w.side === side) return true;
      if (res[i].line.some((re) => run(re, line) !== null)) return true;
      if (res[i].context.length) {
        if (!ctxLines) {
          ctxLines = [line];
          for (let n = 1; n <= rule.before; n++) {
            const prev = before(n);
            if (prev === undefined) break;
            ctxLines.push(prev);
          }
        }
        return res[i].context.some((re) => ctxLines!.some((l) => run(re, l) !== null));
      }
      return false;
    });
    const matchText = m[0];
    const norm = matchText.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '#').replace(/\d{6,}/g, '#');
    return {
      rule,
      line: lineNo,
      column,
      endColumn,
      side,
      captures,
      match: matchText.length > 400 ? matchText.slice(0, 400) : matchText,
      signals,
      count: 1,
      occurrences: [lineNo],
      foldKey: `${rule.id}\u0000${side}\u0000${signals.map((s) => (s ? 1 : 0)).join('')}\u0000${norm}`,
    };
  }

  /**
   * Scan the complete lines of `bytes` in [start, end): `start` is a line start, `end` follows a '\n' (or is the end
   * of the input). The line at `start` is line `firstLine`; lines before `start` in `bytes` (or in `src.text`) serve
   * as context. With `src`, `bytes` is the UTF-8 encoding of `src.text` from `src.offset` on, and line texts are
   * taken from the string (exact even for unpaired surrogates). `filter` (from `filter()`) passes the candidate
   * lines; without it every line is matched. Returns the number of '\n' in [start, end).
   */
  scanBytes(bytes: Uint8Array, start: number, end: number, firstLine: number, sink: Sink, opts: ScanOptions = {}, src?: TextSource, filter?: ByteFilter): number {
    const maxLen = opts.maxLineLength ?? DEFAULT_MAX_LINE;
    const text = src?.text;
    // ASCII text: byte offsets are string offsets
    const direct = !!src?.ascii;
    const charAt = (bytePos: number) => src!.offset + bytePos;
    let lineNo = firstLine;
    let cur = start; // byte start of line `lineNo`
    let curChar = text !== undefined ? charAt(start) : 0; // its string offset (text, non-direct)
    const advanceTo = (ls: number) => {
      for (;;) {
        const nl = bytes.indexOf(10, cur);
        if (nl === -1 || nl >= ls) break;
        lineNo++;
        cur = nl + 1;
        if (text !== undefined && !direct) curChar = text.indexOf('\n', curChar) + 1;
      }
    };
    const stats = opts.stats;
    const onHit = (pos: number): number => {
      const ls = lineStartBefore(bytes, pos);
      let le = bytes.indexOf(10, pos);
      if (le === -1 || le >= end) le = end;
      advanceTo(ls);
      let line: string;
      let before: (n: number) => string | undefined;
      if (text === undefined) {
        line = stripCr(utf8Line.decode(bytes.subarray(ls, le)));
        before = bytesBefore(bytes, ls, maxLen);
      } else {
        const cs = direct ? charAt(ls) : curChar;
        const ce = direct ? charAt(le) : (() => {
          const i = text.indexOf('\n', cs);
          return i === -1 ? text.length : i;
        })();
        line = stripCr(text.slice(cs, ce));
        before = textBefore(text, cs, maxLen);
      }
      if (stats) stats.candidateLines++;
      for (const f of this.matchLine(line, lineNo, before, opts)) sink.add(f);
      return le + 1;
    };
    // a numeric keyword next to a digit may still match in a window of a line longer than maxLen
    const looseLine = Number.isFinite(maxLen)
      ? (pos: number) => {
          const ls = lineStartBefore(bytes, pos);
          let le = bytes.indexOf(10, pos);
          if (le === -1 || le >= end) le = end;
          return le - ls > maxLen;
        }
      : undefined;
    if (start < end) (filter ?? EVERY_LINE).scan(bytes, start, end, onHit, looseLine);
    advanceTo(end);
    return lineNo - firstLine;
  }
}

/** a string whose UTF-8 encoding is being scanned: bytes[0] is the character at `offset` */
export interface TextSource {
  text: string;
  offset: number;
  /** the scanned part is ASCII: byte offsets are string offsets */
  ascii: boolean;
}

function kwSource(k: string, numeric: boolean): string {
  return numeric ? `(?<![0-9])${k}(?![0-9])` : escapeRe(k);
}

/** context lines from UTF-8 bytes: the n-th line before the line starting at `ls` */
function bytesBefore(b: Uint8Array, ls: number, maxLen: number): (n: number) => string | undefined {
  const cache: string[] = [];
  let reached = ls; // start of the last line walked back to
  let stopped = false;
  return (n: number) => {
    while (cache.length < n && !stopped) {
      if (reached <= 0) {
        stopped = true;
        break;
      }
      const e = reached - 1; // its '\n'
      const s = lineStartBefore(b, e);
      // a UTF-8 character is at most 3 bytes per UTF-16 unit: longer lines are too long to be context
      const line = e - s > maxLen * 3 + 3 ? undefined : stripCr(utf8Line.decode(b.subarray(s, e)));
      if (line === undefined || line.length > maxLen) {
        stopped = true;
        break;
      }
      cache.push(line);
      reached = s;
    }
    return cache[n - 1];
  };
}

/** context lines from a string: the n-th line before the line starting at `cs` */
function textBefore(text: string, cs: number, maxLen: number): (n: number) => string | undefined {
  const cache: string[] = [];
  let reached = cs;
  let stopped = false;
  return (n: number) => {
    while (cache.length < n && !stopped) {
      if (reached <= 0) {
        stopped = true;
        break;
      }
      const e = reached - 1;
      const s = e > 0 ? text.lastIndexOf('\n', e - 1) + 1 : 0;
      const line = stripCr(text.slice(s, e));
      if (line.length > maxLen) {
        stopped = true;
        break;
      }
      cache.push(line);
      reached = s;
    }
    return cache[n - 1];
  };
}

/** Collects findings and folds identical repeats. */
export class FindingSink implements Sink {
  readonly findings: RawFinding[] = [];
  private readonly byKey = new Map<string, RawFinding>();
  constructor(private readonly maxFindings = Infinity) {}
  truncated = 0;
  add(f: RawFinding): void {
    const prev = this.byKey.get(f.foldKey);
    if (prev) {
      prev.count++;
      if (prev.occurrences.length < MAX_OCCURRENCES) prev.occurrences.push(f.line);
      return;
    }
    if (this.findings.length >= this.maxFindings) {
      this.truncated++;
      return;
    }
    this.byKey.set(f.foldKey, f);
    this.findings.push(f);
  }
}

/** Scan a whole text. */
export function scanText(matcher: Matcher, text: string, opts: ScanOptions = {}): { findings: RawFinding[]; lines: number; truncated: number } {
  const sink = new FindingSink(opts.maxFindings);
  const lines = scanTextInto(matcher, text, sink, opts);
  return { findings: sink.findings, lines, truncated: sink.truncated };
}

/** Scan a whole text into `sink`; returns the number of lines. */
export function scanTextInto(matcher: Matcher, text: string, sink: Sink, opts: ScanOptions = {}): number {
  if (text.length === 0) return 0;
  opts = withBudget(matcher, opts);
  const bytes = utf8.encode(text);
  const filter = bytes.length >= TUNE_MIN ? matcher.filter(bytes.subarray(0, TUNE_SAMPLE)) : undefined;
  const nl = matcher.scanBytes(bytes, 0, bytes.length, 0, sink, opts, { text, offset: 0, ascii: bytes.length === text.length }, filter);
  return text.charCodeAt(text.length - 1) === 10 ? nl : nl + 1;
}

/**
 * A line longer than the stream keeps whole: its head window, the last `half + 1` units (a final '\r' is not
 * part of the line) and its length, fed in pieces.
 */
class LongLine {
  head = '';
  tail = '';
  length = 0;
  private readonly decoder?: InstanceType<typeof TextDecoder>;
  constructor(private readonly half: number, bytes: boolean) {
    if (bytes) this.decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  }
  feedBytes(b: Uint8Array, last: boolean): void {
    this.feed(this.decoder!.decode(b, { stream: !last }));
  }
  feed(s: string): void {
    if (!s) return;
    if (this.head.length < this.half) this.head += s.slice(0, this.half - this.head.length);
    this.length += s.length;
    const keep = this.half + 1;
    this.tail = s.length >= keep ? s.slice(s.length - keep) : (this.tail + s).slice(-keep);
  }
  /** head, tail window and length of the finished line */
  windows(): { head: string; tail: string; length: number } {
    let tail = this.tail;
    let length = this.length;
    if (tail.charCodeAt(tail.length - 1) === 13) {
      tail = tail.slice(0, -1);
      length--;
    }
    return { head: this.head, tail: tail.slice(Math.max(0, tail.length - this.half)), length };
  }
}

/**
 * Streaming scan: push chunks (UTF-8 bytes with pushBytes, or decoded strings with push; one kind per scanner) of
 * any size; findings and line numbers are exactly those of scanText on the whole text. Keeps the last
 * `maxBefore` lines as context and the unfinished last line (a line longer than 3 x maxLineLength bytes is kept
 * as its head and tail windows only), so memory stays bounded whatever the input size.
 */
export class StreamScanner {
  readonly sink: FindingSink;
  private readonly maxLen: number;
  private lineNo = 0; // number of complete lines so far = line number of the pending line
  // byte mode
  private carry: Uint8Array = new Uint8Array(0);
  private carryCtx = 0; // bytes of complete context lines at the start of carry
  // text mode
  private carryText = '';
  private carryTextCtx = 0;
  private mode: 'bytes' | 'text' | undefined;
  private long?: LongLine;
  /** the prefilter, tuned on the first large enough region */
  private tuned?: ByteFilter;
  private untuned = 0;
  private readonly alloc: (n: number) => Uint8Array;

  /**
   * `alloc` makes the working buffers (Node passes Buffer.allocUnsafe, whose indexOf is faster than a plain
   * Uint8Array's).
   */
  private readonly opts: ScanOptions;
  constructor(private readonly matcher: Matcher, opts: ScanOptions = {}, alloc?: (n: number) => Uint8Array) {
    this.opts = withBudget(matcher, opts);
    this.sink = new FindingSink(opts.maxFindings);
    this.maxLen = opts.maxLineLength ?? DEFAULT_MAX_LINE;
    this.alloc = alloc ?? ((n) => new Uint8Array(n));
  }

  /** complete lines seen so far (after end(): all lines) */
  get lines(): number {
    return this.lineNo;
  }

  private setMode(m: 'bytes' | 'text'): void {
    if (this.mode && this.mode !== m) throw new Error('StreamScanner: do not mix push(string) and pushBytes()');
    this.mode = m;
  }

  /** Push UTF-8 bytes (no BOM). */
  pushBytes(chunk: Uint8Array): void {
    this.setMode('bytes');
    if (chunk.length === 0) return;
    if (this.long) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.long.feedBytes(chunk, false);
        return;
      }
      this.long.feedBytes(chunk.subarray(0, nl), true);
      this.finishLong();
      chunk = chunk.subarray(nl + 1);
      if (chunk.length === 0) return;
    }
    const buf = this.take(this.carry.length + chunk.length);
    buf.set(this.carry, 0);
    buf.set(chunk, this.carry.length);
    const from = this.carryCtx;
    const lastNl = buf.lastIndexOf(10);
    if (lastNl < from) {
      this.carry = buf;
      this.checkLongBytes();
      return;
    }
    this.lineNo += this.matcher.scanBytes(buf, from, lastNl + 1, this.lineNo, this.sink, this.opts, undefined, this.filterFor(buf, from, lastNl + 1));
    // keep the last maxBefore lines (stop at a line too long to be context) and the unfinished line
    let ctx = lastNl + 1;
    for (let kept = 0; kept < this.matcher.maxBefore && ctx > 0; kept++) {
      const s = lineStartBefore(buf, ctx - 1);
      const len = ctx - 1 - s;
      if (len > this.maxLen) {
        const l = len > this.maxLen * 3 + 3 ? this.maxLen + 1 : stripCr(utf8Line.decode(buf.subarray(s, ctx - 1))).length;
        if (l > this.maxLen) break;
      }
      ctx = s;
    }
    this.carry = buf.subarray(ctx);
    this.carryCtx = lastNl + 1 - ctx;
    this.checkLongBytes();
  }

  /** Two working buffers, used in turn: the carry (a view into the last one) is copied into the other. */
  private pool: [Uint8Array | undefined, Uint8Array | undefined] = [undefined, undefined];
  private turn = 0;
  private take(n: number): Uint8Array {
    this.turn ^= 1;
    let b = this.pool[this.turn];
    if (!b || b.length < n) this.pool[this.turn] = b = this.alloc(Math.max(n, 64 * 1024));
    return b.subarray(0, n);
  }

  /** the filter for a region: tuned on the first region of TUNE_MIN bytes or more (static before that) */
  private filterFor(b: Uint8Array, from: number, to: number): ByteFilter | undefined {
    if (this.tuned) return this.tuned;
    if (to - from >= TUNE_MIN) return (this.tuned = this.matcher.filter(b.subarray(from, Math.min(to, from + TUNE_SAMPLE))));
    this.untuned += to - from;
    if (this.untuned > 16 * TUNE_MIN) this.tuned = this.matcher.filter(); // small pushes only: the static plan
    return this.tuned;
  }

  /** the unfinished line has grown too long to keep whole: keep its windows only */
  private checkLongBytes(): void {
    const pending = this.carry.length - this.carryCtx;
    if (!Number.isFinite(this.maxLen) || pending <= this.maxLen * 3 + 3) return;
    this.long = new LongLine(this.maxLen >> 1, true);
    this.long.feedBytes(this.carry.subarray(this.carryCtx), false);
    this.carry = this.carry.subarray(0, this.carryCtx);
  }

  /** Push decoded text. */
  push(chunk: string): void {
    this.setMode('text');
    if (chunk.length === 0) return;
    if (this.long) {
      const nl = chunk.indexOf('\n');
      if (nl === -1) {
        this.long.feed(chunk);
        return;
      }
      this.long.feed(chunk.slice(0, nl));
      this.finishLong();
      chunk = chunk.slice(nl + 1);
      if (chunk.length === 0) return;
    }
    const text = this.carryText + chunk;
    const from = this.carryTextCtx;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < from) {
      this.carryText = text;
      this.checkLongText();
      return;
    }
    const part = text.slice(from, lastNl + 1);
    const bytes = utf8.encode(part);
    this.lineNo += this.matcher.scanBytes(bytes, 0, bytes.length, this.lineNo, this.sink, this.opts, { text, offset: from, ascii: bytes.length === part.length }, this.filterFor(bytes, 0, bytes.length));
    let ctx = lastNl + 1;
    for (let kept = 0; kept < this.matcher.maxBefore && ctx > 0; kept++) {
      const s = ctx - 1 > 0 ? text.lastIndexOf('\n', ctx - 2) + 1 : 0;
      if (stripCr(text.slice(s, ctx - 1)).length > this.maxLen) break;
      ctx = s;
    }
    this.carryText = text.slice(ctx);
    this.carryTextCtx = lastNl + 1 - ctx;
    this.checkLongText();
  }

  private checkLongText(): void {
    const pending = this.carryText.length - this.carryTextCtx;
    if (!Number.isFinite(this.maxLen) || pending <= this.maxLen * 3 + 3) return;
    this.long = new LongLine(this.maxLen >> 1, false);
    this.long.feed(this.carryText.slice(this.carryTextCtx));
    this.carryText = this.carryText.slice(0, this.carryTextCtx);
  }

  /** a long line ended: match its windows with the kept context, then start afresh (it is no context itself) */
  private finishLong(): void {
    const w = this.long!.windows();
    this.long = undefined;
    const before = this.mode === 'bytes' ? bytesBefore(this.carry, this.carry.length, this.maxLen) : textBefore(this.carryText, this.carryText.length, this.maxLen);
    for (const f of this.matcher.matchLong(w.head, w.tail, w.length, this.lineNo, before, this.opts)) this.sink.add(f);
    this.lineNo++;
    this.carry = new Uint8Array(0);
    this.carryCtx = 0;
    this.carryText = '';
    this.carryTextCtx = 0;
  }

  end(): void {
    if (this.long) {
      if (this.mode === 'bytes') this.long.feedBytes(new Uint8Array(0), true);
      this.finishLong();
      return;
    }
    if (this.mode === 'bytes') {
      if (this.carry.length > this.carryCtx) {
        this.lineNo += this.matcher.scanBytes(this.carry, this.carryCtx, this.carry.length, this.lineNo, this.sink, this.opts) + 1;
        this.carry = new Uint8Array(0);
        this.carryCtx = 0;
      }
    } else if (this.carryText.length > this.carryTextCtx) {
      const text = this.carryText;
      const part = text.slice(this.carryTextCtx);
      const bytes = utf8.encode(part);
      this.lineNo += this.matcher.scanBytes(bytes, 0, bytes.length, this.lineNo, this.sink, this.opts, { text, offset: this.carryTextCtx, ascii: bytes.length === part.length }) + 1;
      this.carryText = '';
      this.carryTextCtx = 0;
    }
  }
}
