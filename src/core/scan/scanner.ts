// Text -> raw findings. One matcher compiled for all rules: a keyword prefilter finds candidate lines
// (gitleaks-style), then only the rules whose keywords occur on a line run their regexes there.
// Works on whole texts and on streamed chunks (exact line numbers across chunk edges and CRLF).
import type { Rule, Side } from '../rules/types';

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
}

export const DEFAULT_MAX_LINE = 64 * 1024;
const MAX_OCCURRENCES = 10000;

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

/** One compiled matcher for a rule set; immutable, shared by every document and scan. */
export class Matcher {
  readonly rules: Rule[];
  readonly maxBefore: number;
  private readonly keywordRe: RegExp | undefined;
  private readonly keywordList: string[];
  private readonly rulesByKeyword: Map<string, Rule[]>;
  private readonly alwaysRules: Rule[];
  private readonly ruleIndex: Map<Rule, number>;
  private readonly causeRes: Map<Rule, { context: RegExp[]; line: RegExp[] }[]>;

  constructor(rules: Rule[]) {
    this.rules = rules;
    this.rulesByKeyword = new Map();
    this.alwaysRules = [];
    this.ruleIndex = new Map(rules.map((r, i) => [r, i]));
    this.causeRes = new Map();
    let maxBefore = 0;
    for (const r of rules) {
      if (r.keywords.length === 0) this.alwaysRules.push(r);
      for (const k of new Set(r.keywords)) {
        const list = this.rulesByKeyword.get(k);
        if (list) list.push(r);
        else this.rulesByKeyword.set(k, [r]);
      }
      maxBefore = Math.max(maxBefore, r.before);
      this.causeRes.set(
        r,
        r.causes.map((c) => ({
          context: (c.when?.context ?? []).map((p) => new RegExp(p, 'i')),
          line: (c.when?.line ?? []).map((p) => new RegExp(p, 'i')),
        })),
      );
    }
    this.maxBefore = maxBefore;
    // longest first so that a keyword that is a prefix of another still leads to the line
    this.keywordList = [...this.rulesByKeyword.keys()].sort((a, b) => b.length - a.length);
    this.keywordRe = this.keywordList.length ? new RegExp(this.keywordList.map(escapeRe).join('|'), 'gi') : undefined;
  }

  /** Rules whose keywords occur in the (lower-cased) line, plus the rules without keywords. */
  private candidateRules(lower: string): Rule[] {
    const set = new Set<Rule>(this.alwaysRules);
    for (const k of this.keywordList) {
      if (lower.includes(k)) for (const r of this.rulesByKeyword.get(k)!) set.add(r);
    }
    return [...set].sort((a, b) => this.ruleIndex.get(a)! - this.ruleIndex.get(b)!);
  }

  /**
   * Match one line. `before(n)` returns the n-th line before it (1 = previous), or undefined.
   * Returns the findings of the highest-priority rules that matched.
   */
  matchLine(text: string, lineNo: number, before: (n: number) => string | undefined, opts: ScanOptions = {}): RawFinding[] {
    const maxLen = opts.maxLineLength ?? DEFAULT_MAX_LINE;
    let offset = 0;
    let line = text;
    if (line.length > maxLen) {
      // examine the head and the tail of a huge line: signatures sit at either end of real log lines
      const half = maxLen >> 1;
      const head = line.slice(0, half);
      const tail = line.slice(line.length - half);
      const fromHead = this.matchLine(head, lineNo, before, { ...opts, maxLineLength: Infinity });
      if (fromHead.length) return fromHead;
      offset = line.length - half;
      line = tail;
    }
    const rules = this.candidateRules(line.toLowerCase());
    if (!rules.length) return [];
    let best = -Infinity;
    let out: RawFinding[] = [];
    for (const rule of rules) {
      if (rule.priority < best) continue;
      if (opts.disabled?.has(rule.id)) continue;
      let m: RegExpExecArray | null = null;
      for (const re of rule.compiled) {
        re.lastIndex = 0;
        m = re.exec(line);
        if (m && m[0].length > 0) break;
        m = null;
      }
      if (!m) continue;
      if (rule.excludeCompiled.some((re) => re.test(line))) continue;
      const f = this.makeFinding(rule, m, line, offset, lineNo, before);
      if (rule.priority > best) {
        best = rule.priority;
        out = [f];
      } else out.push(f);
    }
    return out;
  }

  private makeFinding(rule: Rule, m: RegExpExecArray, line: string, offset: number, lineNo: number, before: (n: number) => string | undefined): RawFinding {
    const captures: Record<string, string> = {};
    if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) captures[k] = v;
    let side: Side = 'unknown';
    if (captures.side) side = sideFromWord(captures.side);
    if (side === 'unknown' && rule.sideFrom) {
      const s = rule.sideFrom.exec(line);
      if (s?.groups?.side) side = sideFromWord(s.groups.side);
      for (let n = 1; side === 'unknown' && n <= rule.before; n++) {
        const prev = before(n);
        if (prev === undefined) break;
        const p = rule.sideFrom.exec(prev);
        if (p?.groups?.side) side = sideFromWord(p.groups.side);
      }
    }
    if (side === 'unknown' && rule.sideFixed) side = rule.sideFixed;
    const res = this.causeRes.get(rule)!;
    let ctxLines: string[] | undefined;
    const signals = rule.causes.map((c, i) => {
      const w = c.when;
      if (!w) return false;
      if (w.side && w.side === side) return true;
      if (res[i].line.some((re) => re.test(line))) return true;
      if (res[i].context.length) {
        if (!ctxLines) {
          ctxLines = [line];
          for (let n = 1; n <= rule.before; n++) {
            const prev = before(n);
            if (prev === undefined) break;
            ctxLines.push(prev);
          }
        }
        return res[i].context.some((re) => ctxLines!.some((l) => re.test(l)));
      }
      return false;
    });
    const matchText = m[0];
    const norm = matchText.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '#').replace(/\d{6,}/g, '#');
    return {
      rule,
      line: lineNo,
      column: offset + m.index,
      endColumn: offset + m.index + matchText.length,
      side,
      captures,
      match: matchText.length > 400 ? matchText.slice(0, 400) : matchText,
      signals,
      count: 1,
      occurrences: [lineNo],
      foldKey: `${rule.id}\u0000${side}\u0000${signals.map((s) => (s ? 1 : 0)).join('')}\u0000${norm}`,
    };
  }

  /** Scan a region of `text` (from `start`, a line start) where the first line is `firstLine`. */
  scanRegion(text: string, start: number, firstLine: number, sink: FindingSink, opts: ScanOptions = {}): number {
    // lines before `start` stay reachable as context
    const beforeOf = (lineStart: number) => (n: number): string | undefined => {
      let end = lineStart - 1; // index of the '\n' ending the previous line
      for (let k = 1; end >= 0; k++) {
        const s = text.lastIndexOf('\n', end - 1) + 1;
        if (k === n) return stripCr(text.slice(s, end));
        end = s - 1;
      }
      return undefined;
    };
    let lineNo = firstLine;
    let counted = start; // position up to which newlines have been counted
    const countTo = (pos: number) => {
      let i = text.indexOf('\n', counted);
      while (i !== -1 && i < pos) {
        lineNo++;
        i = text.indexOf('\n', i + 1);
      }
      counted = pos;
    };
    if (this.alwaysRules.length) {
      // rules without keywords: every line is a candidate
      let s = start;
      while (s < text.length) {
        let e = text.indexOf('\n', s);
        if (e === -1) e = text.length;
        countTo(s);
        for (const f of this.matchLine(stripCr(text.slice(s, e)), lineNo, beforeOf(s), opts)) sink.add(f);
        s = e + 1;
      }
      countTo(text.length);
      return lineNo;
    }
    const re = this.keywordRe;
    if (re) {
      re.lastIndex = start;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text))) {
        const s = text.lastIndexOf('\n', m.index) + 1;
        let e = text.indexOf('\n', m.index);
        if (e === -1) e = text.length;
        countTo(s);
        for (const f of this.matchLine(stripCr(text.slice(s, e)), lineNo, beforeOf(s), opts)) sink.add(f);
        if (e >= text.length) break;
        re.lastIndex = e + 1;
      }
    }
    countTo(text.length);
    return lineNo;
  }
}

function stripCr(s: string): string {
  return s.length && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/** Collects findings and folds identical repeats. */
export class FindingSink {
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
  const last = matcher.scanRegion(text, 0, 0, sink, opts);
  const lines = text.length === 0 ? 0 : text.endsWith('\n') ? last : last + 1;
  return { findings: sink.findings, lines, truncated: sink.truncated };
}

/**
 * Streaming scan: push decoded text chunks of any size; line numbers stay exact across chunk edges.
 * Keeps the last `maxBefore` lines as context and the unfinished last line; memory is bounded by those.
 */
export class StreamScanner {
  private carry = ''; // context lines (complete) + the unfinished line
  private carryContextLen = 0; // length of the complete-context part of carry
  private carryLines = 0; // number of complete lines in the context part
  private lineNo = 0; // line number of the first line after the context part
  readonly sink: FindingSink;
  constructor(private readonly matcher: Matcher, private readonly opts: ScanOptions = {}) {
    this.sink = new FindingSink(opts.maxFindings);
  }
  get lines(): number {
    return this.lineNo;
  }
  push(chunk: string): void {
    const text = this.carry + chunk;
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < this.carryContextLen) {
      // no complete new line yet; guard against a runaway line by scanning its head once it is huge
      this.carry = text;
      const max = this.opts.maxLineLength ?? DEFAULT_MAX_LINE;
      if (text.length - this.carryContextLen > max * 4) this.flushLongLine(text, max);
      return;
    }
    const complete = text.slice(0, lastNl + 1);
    this.matcher.scanRegion(complete, this.carryContextLen, this.lineNo, this.sink, this.opts);
    // count lines in the new region
    let n = 0;
    for (let i = complete.indexOf('\n', this.carryContextLen); i !== -1; i = complete.indexOf('\n', i + 1)) n++;
    this.lineNo += n;
    // keep the last maxBefore complete lines as context
    let ctxStart = complete.length;
    let kept = 0;
    const want = this.matcher.maxBefore;
    while (kept < want && ctxStart > 0) {
      const s = complete.lastIndexOf('\n', ctxStart - 2) + 1;
      if (ctxStart - s > 4096) break; // don't keep huge lines as context
      ctxStart = s;
      kept++;
    }
    const ctx = complete.slice(ctxStart);
    this.carry = ctx + text.slice(lastNl + 1);
    this.carryContextLen = ctx.length;
    this.carryLines = kept;
    this.longLineHead = false;
  }
  private longLineHead = false;
  private flushLongLine(text: string, max: number): void {
    // a single line grows beyond 4x the window: examine its head once, then keep only a tail window
    const lineStart = this.carryContextLen;
    if (!this.longLineHead) {
      this.longLineHead = true;
      const head = text.slice(lineStart, lineStart + (max >> 1));
      for (const f of this.matcher.matchLine(head, this.lineNo, () => undefined, { ...this.opts, maxLineLength: Infinity })) this.sink.add(f);
    }
    this.carry = text.slice(0, lineStart) + text.slice(text.length - max);
  }
  end(): void {
    if (this.carry.length > this.carryContextLen) {
      this.push('\n');
      // the synthetic newline does not make a line of its own
    }
    this.longLineHead = false;
  }
}
