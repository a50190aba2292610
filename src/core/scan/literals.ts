// Necessary literals of a JavaScript regex: a small set of strings such that every match of the regex contains at
// least one of them (Russ Cox's "trigram index" idea, with literals instead of trigrams). The prefilter uses them
// when they are rarer than a rule's keywords. Strings are lower-cased (anchors are matched case-insensitively, a
// superset of both flag settings). Conservative: whatever the analysis does not understand (back-references,
// unknown syntax) means "no requirement", never a wrong one.

/** most strings tracked for an exact set (`ab?c` -> {ac, abc}) */
const MAX_SET = 16;
/** longest string tracked exactly; longer runs still yield their (truncated) literals as requirements */
const MAX_LEN = 64;

/** What the analysis knows about a sub-expression. */
interface Info {
  /** every string the node can match, when there are few (lower-cased); '' for zero-width nodes */
  exact: string[] | null;
  /** the cheapest known requirement: every match contains one of these (none is ''), or null */
  need: string[] | null;
  needCost: number;
  /** every requirement found (sequences), for callers that rank them with other costs */
  options?: string[][];
}

export type SetCost = (literals: string[]) => number;

/** bumped whenever the analysis changes what it returns (precomputed results of other versions are ignored) */
export const LITERALS_VERSION = 1;

/** a candidate requirement, with its cost when already known */
interface Cand {
  set: string[] | null;
  cost?: number;
}

const DIGITS = '0123456789'.split('');

/** ASCII letters fold to lower case; other characters stay as written (the planner decides what to do with them) */
function fold(ch: string): string {
  return ch.length === 1 && ch.charCodeAt(0) < 0x80 ? ch.toLowerCase() : ch;
}

class Analyzer {
  private i = 0;
  private groups = 0;
  constructor(private readonly src: string, private readonly cost: SetCost) {}

  run(): Info | null {
    const info = this.alternation();
    if (this.i < this.src.length) return null; // unbalanced ')': give up
    return info;
  }

  /** An Info whose requirement is the cheapest of `cands` (sets with known costs are not costed again). */
  private mk(exact: string[] | null, cands: Cand[] = []): Info {
    let need: string[] | null = null;
    let needCost = Infinity;
    if (exact && exact.length && !exact.includes('')) cands.push({ set: exact });
    for (const c of cands) {
      if (!c.set || !c.set.length) continue;
      let k = c.cost;
      if (k === undefined) {
        if (c.set.includes('')) continue;
        // single characters: costed only when nothing better exists
        if (need && c.set.every((x) => x.length === 1)) continue;
        k = this.cost(c.set);
      }
      if (k < needCost) {
        needCost = k;
        need = c.set;
      }
    }
    return { exact, need, needCost };
  }

  private alternation(): Info {
    const branches: Info[] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0];
    let exact: string[] | null = [];
    for (const b of branches) {
      if (!b.exact || !exact) {
        exact = null;
        continue;
      }
      exact = union(exact, b.exact);
      if (exact.length > MAX_SET) exact = null;
    }
    let need: string[] | null = [];
    for (const b of branches) {
      if (!b.need || !need) {
        need = null;
        break;
      }
      need = union(need, b.need);
    }
    return this.mk(exact, [{ set: need }]);
  }

  private sequence(): Info {
    const cands: Cand[] = [];
    let run: string[] = [''];
    let whole = true;
    const close = () => {
      if (!run.includes('')) cands.push({ set: run.map((s) => s.slice(0, MAX_LEN)) });
      run = [''];
    };
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const item = this.quantified();
      if (item.need) cands.push({ set: item.need, cost: item.needCost });
      if (item.exact) {
        const p = product(run, item.exact);
        if (p) run = p;
        else {
          // too many or too long: keep what we have as a requirement, go on with a fresh run
          whole = false;
          close();
          run = item.exact.every((s) => s.length <= MAX_LEN) ? item.exact : [''];
        }
      } else {
        whole = false;
        close();
      }
    }
    const exact = whole ? run : null;
    close();
    const info = this.mk(exact, cands);
    info.options = cands.filter((c) => c.set && c.set.length && !c.set.includes('')).map((c) => c.set!);
    if (exact && exact.length && !exact.includes('') && !info.options.includes(exact)) info.options.push(exact);
    return info;
  }

  private quantified(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    const [min, max] = q;
    if (max === 0) return { exact: [''], need: null, needCost: Infinity };
    if (min === 0) {
      // optional: can match the empty string, so it requires nothing
      const exact = max === 1 && atom.exact ? union([''], atom.exact) : null;
      return { exact: exact && exact.length <= MAX_SET ? exact : null, need: null, needCost: Infinity };
    }
    let exact: string[] | null = null;
    if (min === max && atom.exact) {
      exact = [''];
      for (let k = 0; k < min && exact; k++) exact = product(exact, atom.exact);
    }
    return this.mk(exact, [{ set: atom.need, cost: atom.needCost }]);
  }

  private quantifier(): [number, number] | null {
    const c = this.src[this.i];
    let r: [number, number] | null = null;
    if (c === '*') r = [0, Infinity];
    else if (c === '+') r = [1, Infinity];
    else if (c === '?') r = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return null; // a literal '{' (Annex B)
      const min = Number(m[1]);
      const max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
      this.i += m[0].length - 1;
      r = [min, max];
    }
    if (!r) return null;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy
    return r;
  }

  private atom(): Info {
    const s = this.src;
    const c = s[this.i];
    if (c === '(') {
      this.i++;
      let kind: 'group' | 'look+' | 'look-' = 'group';
      if (s[this.i] === '?') {
        const rest = s.slice(this.i, this.i + 4);
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=')) (this.i += 2), (kind = 'look+');
        else if (rest.startsWith('?!')) (this.i += 2), (kind = 'look-');
        else if (rest.startsWith('?<=')) (this.i += 3), (kind = 'look+');
        else if (rest.startsWith('?<!')) (this.i += 3), (kind = 'look-');
        else {
          const m = /^\?<[A-Za-z_$][\w$]*>/.exec(s.slice(this.i));
          if (!m) return this.fail();
          this.i += m[0].length;
          this.groups++;
        }
      } else this.groups++;
      const inner = this.alternation();
      if (s[this.i] !== ')') return this.fail();
      this.i++;
      if (kind === 'group') return inner;
      // look-around is zero-width; a positive one still requires its own literals on the line
      return { exact: [''], need: kind === 'look+' ? inner.need : null, needCost: kind === 'look+' ? inner.needCost : Infinity };
    }
    if (c === '[') return this.charClass();
    this.i++;
    if (c === '.') return unknown();
    if (c === '^' || c === '$') return { exact: [''], need: null, needCost: Infinity };
    if (c === '\\') return this.escape(false) as Info;
    return exactOnly([fold(c)]);
  }

  private fail(): Info {
    this.i = this.src.length + 1; // makes run() return null
    return unknown();
  }

  /** after a backslash; in a class returns a char list (or null), outside an Info */
  private escape(inClass: boolean): Info | string[] | null {
    const s = this.src;
    const c = s[this.i++];
    if (c === undefined) return inClass ? null : this.fail();
    const one = (ch: string) => (inClass ? [ch] : exactOnly([fold(ch)]));
    switch (c) {
      case 'd':
        return inClass ? DIGITS : exactOnly(DIGITS);
      case 'D': case 'w': case 'W': case 's': case 'S':
        return inClass ? null : unknown();
      case 'b':
        return inClass ? ['\b'] : { exact: [''], need: null, needCost: Infinity };
      case 'B':
        return inClass ? ['B'] : { exact: [''], need: null, needCost: Infinity };
      case 'n': return one('\n');
      case 'r': return one('\r');
      case 't': return one('\t');
      case 'f': return one('\f');
      case 'v': return one('\v');
      case '0':
        if (!/[0-9]/.test(s[this.i] ?? '')) return one('\0');
        return inClass ? null : unknown(); // octal escapes: not worth it
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(s.slice(this.i));
        if (!m) return one('x');
        this.i += 2;
        return one(String.fromCharCode(parseInt(m[0], 16)));
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(s.slice(this.i));
        if (!m) return one('u');
        this.i += 4;
        return one(String.fromCharCode(parseInt(m[0], 16)));
      }
      case 'c': {
        const n = s[this.i];
        if (n && /[A-Za-z]/.test(n)) {
          this.i++;
          return one(String.fromCharCode(n.charCodeAt(0) % 32));
        }
        return inClass ? null : unknown();
      }
      case 'k':
        if (!inClass && s[this.i] === '<') {
          const m = /^<[^>]*>/.exec(s.slice(this.i));
          if (m) this.i += m[0].length;
          return unknown(); // back-reference: matches anything
        }
        return one('k');
      default:
        if (/[1-9]/.test(c)) {
          // back-reference or (Annex B) octal: either way, no requirement
          while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
          return inClass ? null : unknown();
        }
        return one(c);
    }
  }

  private charClass(): Info {
    const s = this.src;
    this.i++; // '['
    const negated = s[this.i] === '^';
    if (negated) this.i++;
    const chars = new Set<string>();
    let known = true;
    while (this.i < s.length && s[this.i] !== ']') {
      let item: string[] | null;
      if (s[this.i] === '\\') {
        this.i++;
        item = this.escape(true) as string[] | null;
      } else item = [s[this.i++]];
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && s[this.i + 1] !== undefined && item && item.length === 1) {
        // a range
        this.i++;
        let hi: string[] | null;
        if (s[this.i] === '\\') {
          this.i++;
          hi = this.escape(true) as string[] | null;
        } else hi = [s[this.i++]];
        if (!hi || hi.length !== 1) {
          known = false;
          continue;
        }
        const a = item[0].charCodeAt(0);
        const b = hi[0].charCodeAt(0);
        if (b - a > 40) known = false;
        else for (let k = a; k <= b; k++) chars.add(fold(String.fromCharCode(k)));
        continue;
      }
      if (!item) known = false;
      else for (const ch of item) chars.add(fold(ch));
    }
    if (s[this.i] !== ']') return this.fail();
    this.i++;
    if (negated || !known || chars.size === 0 || chars.size > 10) return unknown();
    return exactOnly([...chars]);
  }
}

/** single characters and classes: part of the enclosing run; never a requirement on their own */
function exactOnly(exact: string[]): Info {
  return { exact, need: null, needCost: Infinity };
}

function unknown(): Info {
  return { exact: null, need: null, needCost: Infinity };
}

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

function product(a: string[], b: string[]): string[] | null {
  if (a.length * b.length > MAX_SET) return null;
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      const s = x + y;
      if (s.length > MAX_LEN) return null;
      if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

/**
 * The cheapest set of literals (lower-cased) one of which every match of `source` contains, or null when the
 * analysis finds none. `cost` ranks candidate sets (lower is better).
 */
export function necessaryLiterals(source: string, cost: SetCost): string[] | null {
  try {
    return new Analyzer(source, cost).run()?.need ?? null;
  } catch {
    return null;
  }
}

/**
 * Every requirement the analysis finds at the top level of `source` (each a set of lower-cased literals one of
 * which every match contains), cheapest first by `cost`, at most `max`; null when there is none.
 */
export function literalOptions(source: string, cost: SetCost, max = 6): string[][] | null {
  let info: Info | null;
  try {
    info = new Analyzer(source, cost).run();
  } catch {
    return null;
  }
  if (!info?.need) return null;
  const seen = new Set<string>();
  const out: [string[], number][] = [];
  for (const o of [info.need, ...(info.options ?? [])]) {
    const k = o.join('\u0000');
    if (seen.has(k)) continue;
    seen.add(k);
    out.push([o, o === info.need ? info.needCost : cost(o)]);
  }
  return out.sort((a, b) => a[1] - b[1]).slice(0, max).map((x) => x[0]);
}
