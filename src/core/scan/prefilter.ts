// Byte-level prefilter: finds the lines that may hold a finding, on raw UTF-8 bytes, without decoding them.
//
// Anchors. Every rule gets a set of anchors, literals one of which is on every line the rule can fire on: its
// keywords (a keyword must be on the line), or, when some keyword is frequent or tiny, the necessary literals of
// its patterns (literals.ts) if those are cheaper. Letters match case-insensitively (ASCII); other characters
// exactly, so a literal is cut at letters outside ASCII (their case variants have other bytes) and its cheapest
// remaining piece is used. A keyword made only of digits matches only where no digit touches it.
//
// Finding them. The input is read as aligned 32-bit words (one read per 4 bytes), letters folded to lower case
// with `w | ((w >>> 1) & 0x20202020)` (it also folds some other bytes >= 0x40 onto each other, never one below 0x40):
//  - an anchor of 7+ bytes always contains one whole aligned word, whichever its alignment: its 4 words
//    starting at a chosen offset (a 7-byte "window") are hashed into a 256 K entry table, and each input word is
//    looked up there (one multiply, one load);
//  - shorter anchors (2-6 bytes) are found through one byte triple: the 4 triples starting in each word (two of
//    them straddle the previous word) are hashed into a 64 K entry table (a 2-byte anchor: the triples made with
//    any byte after it);
//  - table hits are then compared byte by byte (false hits are dropped there).
// Which window / triple / option is cheapest is estimated from byte frequencies in log text, or, for large
// inputs, measured on a sample of the input itself (its first chunk): the hit rates of the scan's own tables.
// 1-byte anchors are not supported (every line becomes a candidate).
//
// The filter never drops a line a rule could match; it may pass lines that then match nothing.
import { literalOptions, LITERALS_VERSION } from './literals';

/** What the planner needs to know about a rule. */
export interface PlanRule {
  keywords: string[];
  patterns: string[];
}

export interface Anchor {
  /** bytes to find: ASCII letters lower-case, other bytes exact */
  bytes: Uint8Array;
  /** digits only, and must not touch another digit */
  numeric: boolean;
  /** long anchors: offset of the 7-byte window; short ones: offset of the triple */
  at: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const HASH_MUL = 0x9e3779b1 | 0;
const FOLD = new Uint8Array(256);
for (let i = 0; i < 256; i++) FOLD[i] = i >= 0x41 && i <= 0x5a ? i + 32 : i;
/** anchors this long or longer go through the word table */
const LONG = 7;

/** bits of the word hash: a 256 K entry table (bytes: one load per lookup) keeps false hits rare, in the L2 cache */
const WORD_BITS = 18;
const WORD_SHIFT = 32 - WORD_BITS;
const WORD_SIZE = 1 << WORD_BITS;

/** the scan's case fold of one byte (see above) */
function fold(x: number): number {
  return x | ((x >>> 1) & 0x20);
}

/** the hash of the aligned word made of b[o..o+3] (folded like the scan does) */
function wordHash(b: Uint8Array, o: number): number {
  const w = fold(b[o]) | (fold(b[o + 1]) << 8) | (fold(b[o + 2]) << 16) | (fold(b[o + 3]) << 24);
  return Math.imul(w, HASH_MUL) >>> WORD_SHIFT;
}

const TRI_MUL = 0x85ebca6b | 0;

/** an input word in little-endian byte order, folded */
function foldWord(raw: number): number {
  const w = LITTLE_ENDIAN ? raw : ((raw & 0xff) << 24) | ((raw & 0xff00) << 8) | ((raw >>> 8) & 0xff00) | (raw >>> 24);
  return w | ((w >>> 1) & 0x20202020);
}
/** the hash of a byte triple (folded bytes, first byte lowest) */
function triHash(t: number): number {
  return Math.imul(t, TRI_MUL) >>> 16;
}
function triple(x: number, y: number, z: number): number {
  return fold(x) | (fold(y) << 8) | (fold(z) << 16);
}
/** The triples (value, offset in the anchor) that find a short anchor (2-6 bytes) by its triple at `at`. */
function triplesOf(b: Uint8Array, at: number): [number, number][] {
  if (b.length >= 3) return [[triple(b[at], b[at + 1], b[at + 2]), at]];
  const out: [number, number][] = [];
  const seen = new Set<number>();
  for (let y = 0; y < 256; y++) {
    const t = triple(b[0], b[1], y);
    if (!seen.has(t)) seen.add(t), out.push([t, 0]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// cost model: expected prefilter work per input byte

/** byte frequencies in log text (static model, used when there is no sample) */
const FREQ = new Float64Array(256).fill(0.002);
(() => {
  const set = (chars: string, f: number) => {
    for (const c of chars) FREQ[c.charCodeAt(0)] = f;
  };
  set(' ', 0.14);
  set('e', 0.07);
  set('taoinsr', 0.05);
  set('ldcuhm', 0.03);
  set('pgfywb', 0.015);
  set('vk', 0.008);
  set('xjqz', 0.003);
  set('012', 0.03);
  set('3456789', 0.015);
  set('.:-/', 0.015);
  set(',_="\'()[]\t\r', 0.005);
  for (let b = 0x80; b < 0x100; b++) FREQ[b] = 0.001;
  for (let b = 0x41; b <= 0x5a; b++) FREQ[b] = FREQ[b + 32];
})();

/**
 * Tokens that fill ordinary migration-log lines (static model only): a literal inside one of them is frequent
 * whatever its bytes say (the keyword `outlook.office365.com` is on every EWS request line).
 */
const COMMON_TOKENS = [
  'outlook.office365.com', 'outlook.office.com', 'outlook.com', 'office365.com', 'microsoftonline.com', 'graph.microsoft.com',
  'microsoft.com', 'sharepoint.com', 'onmicrosoft.com', '/ews/exchange.asmx', 'autodiscover', 'https://', 'http://', 'http/1.1',
  'error', 'warning', 'info', 'debug', 'trace', 'request', 'response', 'completed', 'mailbox', 'folder', 'message',
];
/** a keyword costing this much (about one false hit per 10 KB: frequent or tiny) lets the planner look at the
 * patterns' literals */
const BAD = 1e-4;
/** a candidate line costs about this many table hits (decoding, keyword regex, rule regexes) */
const LINE_COST = 200;

/** bytes of an input sample measured (enough for a few thousand log lines) */
const SAMPLE_MAX = 64 * 1024;

/** Measured frequencies: the scan's own tables over a sample of the input. */
export class Sample {
  readonly words = new Uint32Array(WORD_SIZE);
  readonly triples = new Uint32Array(65536);
  nWords = 1;
  nTriples = 1;
  constructor(b: Uint8Array) {
    const n = b.length;
    const f = new Uint8Array(n);
    for (let i = 0; i < n; i++) f[i] = fold(b[i]);
    const words = this.words;
    const triples = this.triples;
    for (let o = 0; o + 4 <= n; o += 4) words[Math.imul(f[o] | (f[o + 1] << 8) | (f[o + 2] << 16) | (f[o + 3] << 24), HASH_MUL) >>> WORD_SHIFT]++;
    for (let o = 0; o + 3 <= n; o++) triples[Math.imul(f[o] | (f[o + 1] << 8) | (f[o + 2] << 16), TRI_MUL) >>> 16]++;
    this.nWords = Math.max(1, n >> 2);
    this.nTriples = Math.max(1, n - 2);
  }
  /** hits per word for a word hash (unseen in the sample: nearly free, a tiny prior only breaks ties) */
  word(h: number): number {
    return (this.words[h] + 0.001) / this.nWords;
  }
  /** hits per position for a triple hash */
  triple(h: number): number {
    return (this.triples[h] + 0.001) / this.nTriples;
  }
}

interface Layout {
  at: number;
  /** expected work per input byte: table hits plus the lines the literal itself makes candidates */
  cost: number;
}

function staticLayout(text: string, b: Uint8Array, numeric: boolean): Layout {
  const common = COMMON_TOKENS.filter((t) => text.includes(t) || t.includes(text));
  const inCommon = (o: number, n: number) => b.length === text.length && common.some((t) => {
    for (let i = text.indexOf(t); i !== -1; i = text.indexOf(t, i + 1)) if (o >= i && o + n <= i + t.length) return true;
    return false;
  });
  let occ = 1;
  for (let i = 0; i < b.length && occ > 1e-12; i++) occ *= FREQ[b[i]];
  if (numeric) occ *= 0.1;
  if (b.length >= LONG) {
    let best = 0;
    let bestCost = Infinity;
    for (let o = 0; o + LONG <= b.length; o++) {
      let c = 0;
      for (let j = 0; j < 4; j++) c += FREQ[b[o + j]] * FREQ[b[o + j + 1]] * FREQ[b[o + j + 2]] * FREQ[b[o + j + 3]];
      c /= 4;
      if (inCommon(o, LONG)) c += 0.01;
      if (c < bestCost) (bestCost = c), (best = o);
    }
    return { at: best, cost: bestCost + LINE_COST * (inCommon(best, LONG) ? 0.001 : occ) };
  }
  if (b.length < 2) return { at: 0, cost: Infinity };
  if (b.length === 2) return { at: 0, cost: FREQ[b[0]] * FREQ[b[1]] * (1 + LINE_COST) };
  const tr = (o: number) => FREQ[b[o]] * FREQ[b[o + 1]] * FREQ[b[o + 2]];
  let best = 0;
  for (let o = 1; o + 3 <= b.length; o++) if (tr(o) < tr(best)) best = o;
  return { at: best, cost: tr(best) + LINE_COST * (inCommon(0, b.length) ? 0.001 : occ) };
}

function sampledLayout(b: Uint8Array, numeric: boolean, s: Sample): Layout {
  if (b.length >= LONG) {
    let best = 0;
    let bestCost = Infinity;
    let bestOcc = Infinity;
    const rates: number[] = [];
    for (let o = 0; o + 4 <= b.length; o++) rates.push(s.word(wordHash(b, o)));
    for (let o = 0; o + LONG <= b.length; o++) {
      let c = 0;
      let occ = Infinity;
      for (let j = 0; j < 4; j++) {
        const r = rates[o + j];
        c += r;
        occ = Math.min(occ, r);
      }
      c /= 4;
      if (c < bestCost) (bestCost = c), (best = o), (bestOcc = occ);
    }
    // the literal occurs at most as often as its rarest word (per word, i.e. 4 bytes; and 4 alignments)
    return { at: best, cost: bestCost + LINE_COST * bestOcc * (numeric ? 0.1 : 1) };
  }
  if (b.length < 2) return { at: 0, cost: Infinity };
  const rate = (at: number) => {
    let r = 0;
    for (const [t] of triplesOf(b, at)) r += s.triple(triHash(t));
    return r;
  };
  let best = 0;
  let bestRate = rate(0);
  for (let o = 1; o + 3 <= b.length; o++) {
    const r = rate(o);
    if (r < bestRate) (bestRate = r), (best = o);
  }
  // each hit of the triple is compared; the anchor itself occurs at most as often (and makes a candidate line)
  return { at: best, cost: bestRate + LINE_COST * bestRate * (numeric ? 0.1 : 1) };
}

// ---------------------------------------------------------------------------------------------------------------
// literal -> pieces that can be searched byte-exactly after ASCII folding

/**
 * Does a case-insensitive (non-unicode) regex match the non-ASCII `ch` only as itself? True when it has no case
 * mapping either way: (in V8's tables) no character upper-cases to a character without a lower case mapping, so
 * nothing else canonicalizes to it. Characters with a case mapping are cut out of anchors (conservative).
 */
function caseless(ch: string): boolean {
  return ch.toUpperCase() === ch && ch.toLowerCase() === ch;
}

/** Pieces of a literal that are searched byte-exactly after ASCII folding (cut at non-ASCII letters). */
export function piecesOf(lit: string): string[] {
  if (/^[\x00-\x09\x0b-\x7f]*$/.test(lit)) return lit ? [lit] : [];
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < lit.length; i++) {
    const ch = lit[i];
    const code = ch.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < lit.length) {
      const lo = lit.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        // an astral character: a non-unicode regex compares its two units exactly
        cur += ch + lit[i + 1];
        i++;
        continue;
      }
    }
    const lone = code >= 0xd800 && code <= 0xdfff; // never the same bytes as in the text
    const ok = ch !== '\n' && !lone && (code < 0x80 || caseless(ch));
    if (ok) cur += ch;
    else {
      if (cur) out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

const encoder = new TextEncoder();
/** UTF-8 bytes (a plain loop for ASCII: most literals, and faster than the encoder call when cold) */
function utf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

interface Lit {
  text: string;
  numeric: boolean;
  /** candidate pieces (UTF-8), with the piece text; empty: the literal can never be on a line */
  pieces: { text: string; bytes: Uint8Array }[];
  /** holds a line break: never on a line */
  never: boolean;
}

function literal(text: string, numeric: boolean): Lit {
  if (text.includes('\n')) return { text, numeric, pieces: [], never: true };
  const pieces = piecesOf(text).map((p) => ({ text: p, bytes: utf8(p) }));
  return { text, numeric: numeric && pieces.length === 1 && pieces[0].text === text, pieces, never: false };
}

interface RuleOptions {
  keywords: Lit[] | null;
  /** per pattern, its requirement options (each a set of literals); null when some pattern has none */
  patterns: Lit[][][] | null | undefined; // undefined: not analysed yet
  patternsSrc: string[];
}

const staticCosts = new Map<string, number>();
/** the static cost of a literal: its cheapest piece (used to rank a pattern's literal options) */
function staticCost(text: string): number {
  let c = staticCosts.get(text);
  if (c === undefined) {
    c = Infinity;
    if (text.includes('\n')) c = 0;
    else for (const p of piecesOf(text)) c = Math.min(c, staticLayout(p, utf8(p), false).cost);
    staticCosts.set(text, c);
  }
  return c;
}

const patternHints = new Map<string, string[][] | null>();

/**
 * The literal options of a pattern (literals.ts), ranked by the static cost model; memoized, and precomputed
 * for the built-in packs (addPatternHints).
 */
export function patternLiteralOptions(source: string): string[][] | null {
  let o = patternHints.get(source);
  if (o === undefined) {
    o = literalOptions(source, (set) => set.reduce((sum, t) => sum + staticCost(t), 0));
    patternHints.set(source, o);
  }
  return o;
}

/** Precomputed patternLiteralOptions results, valid for the analysis version they were made with. */
export function addPatternHints(version: number, entries: [string, string[][] | null][]): void {
  if (version !== LITERALS_VERSION) return;
  for (const [src, o] of entries) if (!patternHints.has(src)) patternHints.set(src, o);
}

/** Plans anchors for a rule set; `filter()` builds a ByteFilter, tuned on a sample of the input when given. */
export class AnchorPlanner {
  private readonly rules: RuleOptions[];
  private readonly lits = new Map<string, Lit>();

  constructor(rules: PlanRule[]) {
    this.rules = rules.map((r) => ({
      keywords: r.keywords.length ? r.keywords.map((k) => this.lit(k, /^[0-9]+$/.test(k))) : null,
      patterns: undefined,
      patternsSrc: r.patterns,
    }));
  }

  private lit(text: string, numeric: boolean): Lit {
    const key = `${numeric ? 'n' : 's'}${text}`;
    let l = this.lits.get(key);
    if (!l) this.lits.set(key, (l = literal(text, numeric)));
    return l;
  }

  private patternOptions(r: RuleOptions): Lit[][][] | null {
    if (r.patterns === undefined) {
      let out: Lit[][][] | null = [];
      for (const p of r.patternsSrc) {
        const opts = patternLiteralOptions(p);
        if (!opts) {
          out = null;
          break;
        }
        out.push(opts.map((set) => set.map((t) => this.lit(t, false))));
      }
      r.patterns = out;
    }
    return r.patterns;
  }

  /** the cheapest piece of a literal and its layout */
  private litCost(l: Lit, s: Sample | undefined): { piece?: Uint8Array; at: number; cost: number } {
    if (l.never) return { at: 0, cost: 0 };
    let best: { piece?: Uint8Array; at: number; cost: number } = { at: 0, cost: Infinity };
    for (const p of l.pieces) {
      const lay = s ? sampledLayout(p.bytes, l.numeric, s) : staticLayout(p.text, p.bytes, l.numeric);
      if (lay.cost < best.cost) best = { piece: p.bytes, at: lay.at, cost: lay.cost };
    }
    return best;
  }

  /** Choose every rule's anchors (measuring costs on `sample` when given) and build the filter. */
  filter(sample?: Uint8Array): ByteFilter {
    const s = sample && sample.length >= 4096 ? new Sample(sample.subarray(0, SAMPLE_MAX)) : undefined;
    const costs = new Map<Lit, { piece?: Uint8Array; at: number; cost: number }>();
    const cost = (l: Lit) => {
      let c = costs.get(l);
      if (!c) costs.set(l, (c = this.litCost(l, s)));
      return c;
    };
    const anchors: Anchor[] = [];
    const byKey = new Map<string, number>();
    let all = false;
    for (const r of this.rules) {
      const kw = r.keywords;
      const kwCosts = kw?.map(cost);
      const kwCost = kwCosts ? kwCosts.reduce((a, c) => a + c.cost, 0) : Infinity;
      let pick = kw;
      // keywords are chosen by people to be rare: keep them unless one is frequent or tiny (a digit-only keyword
      // stays: the patterns of its rules need the same number, without the digit boundary)
      if (!kwCosts || kwCosts.some((c, i) => c.cost >= BAD && !kw![i].numeric)) {
        const opts = this.patternOptions(r);
        let pat: Lit[] | null = opts ? [] : null;
        let patCost = 0;
        for (const o of opts ?? []) {
          // each pattern: its cheapest option
          let best: Lit[] = o[0];
          let bestCost = Infinity;
          for (const set of o) {
            const c = set.reduce((a, l) => a + cost(l).cost, 0);
            if (c < bestCost) (bestCost = c), (best = set);
          }
          patCost += bestCost;
          pat!.push(...best);
        }
        if (pat && patCost < kwCost) pick = pat;
      }
      if (!pick || pick.some((l) => !Number.isFinite(cost(l).cost))) {
        all = true; // this rule can fire on lines no anchor finds: every line is a candidate
        continue;
      }
      for (const l of pick) {
        const c = cost(l);
        if (!c.piece) continue; // never on a line
        const numeric = l.numeric;
        const key = `${numeric ? 'n' : 's'}${c.at}:${c.piece.join(',')}`;
        if (!byKey.has(key)) {
          byKey.set(key, anchors.length);
          anchors.push({ bytes: c.piece, numeric, at: c.at });
        }
      }
    }
    return new ByteFilter(anchors, all);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// scanning

/**
 * Finds anchor occurrences in UTF-8 bytes. `scan` reports, in increasing order, a position on each line that
 * holds an anchor; the callback returns where to resume (the next line start), so each line is reported once.
 */
export class ByteFilter {
  readonly anchors: Anchor[];
  /** every line is a candidate (some rule has no anchor) */
  readonly all: boolean;
  /** 1 where some anchor's word / triple hashes (bytes, not bits: fewer operations per lookup) */
  private readonly wordTab = new Uint8Array(WORD_SIZE);
  private readonly triTab = new Uint8Array(65536);
  /** word / triple hash -> (anchor, offset of the word / triple in the anchor) pairs (looked up on hits only) */
  private readonly wordEntries: Map<number, Int32Array>;
  private readonly triEntries: Map<number, Int32Array>;
  private readonly hasTriples: boolean;
  /** all anchors' bytes, back to back */
  private readonly abytes: Uint8Array;
  private readonly aoff: Int32Array;
  private readonly anum: Uint8Array;
  private readonly tailReach: number;

  constructor(anchors: Anchor[], all = false) {
    this.anchors = anchors;
    this.all = all;
    const words = new Map<number, number[]>();
    const triples = new Map<number, number[]>();
    const push = (m: Map<number, number[]>, k: number, a: number, o: number) => {
      let l = m.get(k);
      if (!l) m.set(k, (l = []));
      l.push(a, o);
    };
    let reach = 8;
    let total = 0;
    anchors.forEach((a, i) => {
      const b = a.bytes;
      reach = Math.max(reach, b.length + 8);
      total += b.length;
      if (b.length >= LONG) {
        for (let j = 0; j < 4; j++) {
          const h = wordHash(b, a.at + j);
          this.wordTab[h] = 1;
          push(words, h, i, a.at + j);
        }
      } else {
        for (const [t, o] of triplesOf(b, a.at)) {
          const h = triHash(t);
          this.triTab[h] = 1;
          push(triples, h, i, o);
        }
      }
    });
    this.tailReach = reach;
    this.wordEntries = new Map([...words].map(([k, l]) => [k, Int32Array.from(l)]));
    this.triEntries = new Map([...triples].map(([k, l]) => [k, Int32Array.from(l)]));
    this.hasTriples = triples.size > 0;
    this.abytes = new Uint8Array(total);
    this.aoff = new Int32Array(anchors.length + 1);
    this.anum = new Uint8Array(anchors.length);
    let o = 0;
    anchors.forEach((a, i) => {
      this.aoff[i] = o;
      this.abytes.set(a.bytes, o);
      o += a.bytes.length;
      this.anum[i] = a.numeric ? 1 : 0;
    });
    this.aoff[anchors.length] = o;
  }

  /**
   * Does anchor `a` occur at `s` inside [lo, hi)? A numeric anchor must not touch a digit, except on a line
   * examined through windows (`looseLine`), where the digit may be cut away.
   */
  private check(b: Uint8Array, a: number, s: number, lo: number, hi: number, looseLine: ((pos: number) => boolean) | undefined): boolean {
    const o = this.aoff[a];
    const n = this.aoff[a + 1] - o;
    if (s < lo || s + n > hi) return false;
    const ab = this.abytes;
    for (let j = 0; j < n; j++) if (FOLD[b[s + j]] !== ab[o + j]) return false;
    if (this.anum[a] === 0) return true;
    const l = s > lo ? b[s - 1] : 0;
    const r = s + n < hi ? b[s + n] : 0;
    if ((l < 0x30 || l > 0x39) && (r < 0x30 || r > 0x39)) return true;
    return looseLine !== undefined && looseLine(s);
  }

  /** room for the word indexes one collect() pass returns */
  private readonly hitBuffer = new Int32Array(4096);

  /** The smallest start >= lo of an anchor found through word `k` (at byte `p`), or -1. */
  private inWord(b: Uint8Array, words: Uint32Array, k: number, p: number, lo: number, hi: number, looseLine: ((pos: number) => boolean) | undefined): number {
    const fw = foldWord(words[k]);
    let found = -1;
    const h = Math.imul(fw, HASH_MUL) >>> WORD_SHIFT;
    if (this.hasTriples) {
      if (k > 0) {
        const prev = foldWord(words[k - 1]);
        const t2 = Math.imul((prev >>> 16) | ((fw & 0xff) << 16), TRI_MUL) >>> 16;
        const t3 = Math.imul((prev >>> 24) | ((fw & 0xffff) << 8), TRI_MUL) >>> 16;
        if (this.triTab[t2] !== 0) found = this.firstAt(b, this.triEntries.get(t2), p - 2, lo, hi, found, looseLine);
        if (this.triTab[t3] !== 0) found = this.firstAt(b, this.triEntries.get(t3), p - 1, lo, hi, found, looseLine);
      }
      const t0 = Math.imul(fw & 0xffffff, TRI_MUL) >>> 16;
      const t1 = Math.imul(fw >>> 8, TRI_MUL) >>> 16;
      if (this.triTab[t0] !== 0) found = this.firstAt(b, this.triEntries.get(t0), p, lo, hi, found, looseLine);
      if (this.triTab[t1] !== 0) found = this.firstAt(b, this.triEntries.get(t1), p + 1, lo, hi, found, looseLine);
    }
    if (this.wordTab[h] !== 0) found = this.firstAt(b, this.wordEntries.get(h), p, lo, hi, found, looseLine);
    return found;
  }

  /** the smallest start >= lo of an anchor listed in `entries` (found at position `pos`), or `best` */
  private firstAt(b: Uint8Array, entries: Int32Array | undefined, pos: number, lo: number, hi: number, best: number, looseLine: ((pos: number) => boolean) | undefined): number {
    if (!entries) return best;
    for (let e = 0, e1 = entries.length; e < e1; e += 2) {
      const s = pos - entries[e + 1];
      if ((best < 0 || s < best) && this.check(b, entries[e], s, lo, hi, looseLine)) best = s;
    }
    return best;
  }

  /**
   * Report the lines of [start, end) that hold an anchor. `start` is a line start; `end` a line end (after its
   * '\n') or the end of the input. `onHit(pos)` gets a position inside such a line and returns the position to
   * resume from (the next line start). `looseLine(pos)` tells whether the line at `pos` is long enough to be
   * examined through windows.
   */
  scan(b: Uint8Array, start: number, end: number, onHit: (pos: number) => number, looseLine?: (pos: number) => boolean): void {
    if (this.all) {
      let p = start;
      while (p < end) p = onHit(p);
      return;
    }
    if (end - start < 64) {
      this.naive(b, start, end, start, end, onHit, looseLine);
      return;
    }
    const base = b.byteOffset;
    const i0 = (4 - (base & 3)) & 3; // first aligned index
    const nWords = (b.length - i0) >> 2;
    const words = new Uint32Array(b.buffer, base + i0, nWords);
    // only words wholly before `end` are read; anchors near the end go through the naive scan
    const kEnd = Math.max(0, Math.min(nWords, (end - i0) >> 2));
    const tailFrom = Math.max(start, i0 + kEnd * 4 - this.tailReach);
    let minStart = start;
    // anchors starting before the first word whose triples are all looked up (those straddling word 0 are not)
    if (start < i0 + 4) minStart = this.naive(b, start, Math.min(end, i0 + 4), start, end, onHit, looseLine);
    let k = Math.max(0, Math.floor((minStart - i0) / 4));
    // phase 1 (collect): a tight loop lists the words with a table hit; phase 2 checks them and reports lines
    const hits = this.hitBuffer;
    while (k < kEnd) {
      const n = collect(words, k, kEnd, this.wordTab, this.triTab, this.hasTriples, hits);
      const next = n < hits.length ? kEnd : hits[n - 1] + 1;
      for (let i = 0; i < n; i++) {
        const w = hits[i];
        const p = i0 + 4 * w;
        if (p + 4 <= minStart) continue; // inside a line already reported
        // report every line with an anchor in this word, in order
        for (;;) {
          const found = this.inWord(b, words, w, p, minStart, end, looseLine);
          if (found < 0) break;
          minStart = onHit(found);
          if (minStart >= end) return;
          if (minStart >= p + 4) break;
        }
      }
      k = Math.max(next, Math.floor((minStart - i0) / 4));
    }
    if (tailFrom < end) this.naive(b, Math.max(minStart, tailFrom), end, minStart, end, onHit, looseLine);
  }

  /** every anchor at every start in [from, to); returns where to resume */
  private byFirst?: number[][];
  private naive(b: Uint8Array, from: number, to: number, lo: number, hi: number, onHit: (pos: number) => number, looseLine?: (pos: number) => boolean): number {
    let s = Math.max(from, lo);
    if (!this.byFirst) {
      // anchors by their first byte
      this.byFirst = Array.from({ length: 256 }, () => []);
      this.anchors.forEach((a, i) => this.byFirst![a.bytes[0]].push(i));
    }
    const byFirst = this.byFirst;
    while (s < to) {
      let found = false;
      for (const a of byFirst[FOLD[b[s]]]) if (this.check(b, a, s, lo, hi, looseLine)) {
        found = true;
        break;
      }
      if (found) {
        const next = onHit(s);
        if (next >= hi) return next;
        s = next;
        lo = next;
      } else s++;
    }
    return Math.max(s, lo);
  }
}

/**
 * The hot loop: indexes of the words in [k, kEnd) whose word or one of whose 4 triples (the 2 starting in the
 * previous word included) is in a table, into `out`, until it is full; returns how many.
 */
function collect(words: Uint32Array, k: number, kEnd: number, wordTab: Uint8Array, triTab: Uint8Array, tris: boolean, out: Int32Array): number {
  let n = 0;
  const max = out.length;
  let prev = k > 0 ? foldWord(words[k - 1]) : 0;
  if (!tris) {
    for (; k < kEnd; k++) {
      const fw = foldWord(words[k]);
      if (wordTab[Math.imul(fw, HASH_MUL) >>> WORD_SHIFT] !== 0) {
        out[n++] = k;
        if (n === max) return n;
      }
    }
    return n;
  }
  for (; k < kEnd; k++) {
    const fw = foldWord(words[k]);
    const hit =
      wordTab[Math.imul(fw, HASH_MUL) >>> WORD_SHIFT] |
      triTab[Math.imul(fw & 0xffffff, TRI_MUL) >>> 16] |
      triTab[Math.imul(fw >>> 8, TRI_MUL) >>> 16] |
      triTab[Math.imul((prev >>> 16) | ((fw & 0xff) << 16), TRI_MUL) >>> 16] |
      triTab[Math.imul((prev >>> 24) | ((fw & 0xffff) << 8), TRI_MUL) >>> 16];
    prev = fw;
    if (hit !== 0) {
      out[n++] = k;
      if (n === max) return n;
    }
  }
  return n;
}

