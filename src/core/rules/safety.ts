// Static check for regex shapes that backtrack catastrophically, run on every pattern of a workspace or user
// rule pack (built-in packs are reviewed and tested instead). A small parser builds an AST; the checks flag:
//  - nested unbounded repetition (star height > 1): `(a+)+`, `(\w*\s?)*`, `((ab)*c)+`;
//  - a repeated group whose alternatives can start with the same character: `(a|aa)*`, `(\w|\d)+`, `(a|a?)+`;
//  - a large bounded repeat of a group that holds an unbounded one: `(.*a){20}` (polynomial of high degree);
//  - three or more unbounded repeats in a row over overlapping characters: `.*.*.*x`, `\w+\d+\w+$`;
//  - two of them where a match can start: `.*.*x` (cubic over the start positions).
// Counted repeats of 32 or more (`.{0,300}`) count as unbounded.
// Returns a short reason, or undefined when the pattern looks linear enough. The scanner still bounds the line
// window and the time each user rule may take in a document, for whatever this analysis lets through.

type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; body: Node; look: boolean }
  | { t: 'rep'; body: Node; min: number; max: number }
  | { t: 'atom'; test: (c: string) => boolean; empty?: boolean; ch?: string; anchor?: boolean };

const SAMPLE = [...'aAbBzZ09_ -./:@\t"\'()[]{}<>,;=+*?!#$%&|~^\\\n', 'é'];

function classTest(body: string, negated: boolean): (c: string) => boolean {
  // evaluate the class with the engine itself on sample characters: exact for our purposes
  let re: RegExp;
  try {
    re = new RegExp(`[${negated ? '^' : ''}${body}]`);
  } catch {
    re = /[\s\S]/;
  }
  return (c) => re.test(c);
}

function escapeTest(e: string): (c: string) => boolean {
  try {
    const re = new RegExp(`\\${e}`);
    return (c) => re.test(c);
  } catch {
    return (c) => c === e;
  }
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}
  parse(): Node {
    return this.alt();
  }
  private alt(): Node {
    const alts = [this.seq()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts };
  }
  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') items.push(this.quantified());
    return { t: 'seq', items };
  }
  private quantified(): Node {
    let node = this.atom();
    for (;;) {
      const c = this.s[this.i];
      let min = -1;
      let max = -1;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
        if (!m) return node;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.s[this.i] === '?') this.i++; // lazy: same backtracking cost
      node = { t: 'rep', body: node, min, max };
    }
  }
  private atom(): Node {
    const c = this.s[this.i];
    if (c === '(') {
      this.i++;
      let look = false;
      const m = /^\?(<[A-Za-z_$][\w$]*>|:|=|!|<=|<!)/.exec(this.s.slice(this.i));
      if (m) {
        look = m[1] === '=' || m[1] === '!' || m[1] === '<=' || m[1] === '<!';
        this.i += m[0].length;
      }
      const body = this.alt();
      if (this.s[this.i] === ')') this.i++;
      return { t: 'group', body, look };
    }
    if (c === '[') {
      let j = this.i + 1;
      const negated = this.s[j] === '^';
      if (negated) j++;
      const start = j;
      if (this.s[j] === ']') j++;
      while (j < this.s.length && this.s[j] !== ']') j += this.s[j] === '\\' ? 2 : 1;
      const body = this.s.slice(start, j);
      this.i = j + 1;
      return { t: 'atom', test: classTest(body, negated) };
    }
    if (c === '\\') {
      const e = this.s[this.i + 1] ?? '';
      this.i += 2;
      if (/[bB]/.test(e)) return { t: 'atom', test: () => false, empty: true };
      if (/[1-9]/.test(e) || e === 'k') {
        if (e === 'k') this.i = this.s.indexOf('>', this.i) + 1 || this.s.length;
        return { t: 'atom', test: () => true }; // a backreference may match anything
      }
      if (e === 'u' || e === 'x') {
        const m = /^(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2,4})/.exec(this.s.slice(this.i));
        if (m) this.i += m[0].length;
        return { t: 'atom', test: (ch) => ch === '\u0000' };
      }
      return /[^A-Za-z0-9]/.test(e) ? { t: 'atom', test: escapeTest(e), ch: e.toLowerCase() } : { t: 'atom', test: escapeTest(e) };
    }
    this.i++;
    if (c === '^') return { t: 'atom', test: () => false, empty: true, anchor: true };
    if (c === '$') return { t: 'atom', test: () => false, empty: true };
    if (c === '.') return { t: 'atom', test: (ch) => ch !== '\n' };
    const lower = c.toLowerCase();
    return { t: 'atom', test: (ch) => ch.toLowerCase() === lower, ch: lower };
  }
}

/** Can the node match the empty string? */
function nullable(n: Node): boolean {
  switch (n.t) {
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.alts.some(nullable);
    case 'group':
      return n.look || nullable(n.body);
    case 'rep':
      return n.min === 0 || nullable(n.body);
    case 'atom':
      return !!n.empty;
  }
}

/** Sample characters a match of the node can start with. */
function first(n: Node): Set<string> {
  const out = new Set<string>();
  const add = (s: Set<string>) => s.forEach((c) => out.add(c));
  switch (n.t) {
    case 'seq':
      for (const it of n.items) {
        add(first(it));
        if (!nullable(it)) break;
      }
      break;
    case 'alt':
      n.alts.forEach((a) => add(first(a)));
      break;
    case 'group':
      if (!n.look) add(first(n.body));
      break;
    case 'rep':
      add(first(n.body));
      break;
    case 'atom':
      if (n.ch !== undefined) out.add(n.ch);
      else if (!n.empty) for (const c of SAMPLE) if (n.test(c)) out.add(c);
      break;
  }
  return out;
}

function chars(n: Node): Set<string> {
  const out = new Set<string>();
  const walk = (x: Node) => {
    if (x.t === 'atom') {
      if (x.ch !== undefined) out.add(x.ch);
      else if (!x.empty) for (const c of SAMPLE) if (x.test(c)) out.add(c);
    } else if (x.t === 'seq') x.items.forEach(walk);
    else if (x.t === 'alt') x.alts.forEach(walk);
    else if (x.t === 'group') {
      if (!x.look) walk(x.body);
    } else walk(x.body);
  };
  walk(n);
  return out;
}

const overlaps = (a: Set<string>, b: Set<string>) => [...a].some((c) => b.has(c));

/** Can the node match the single character c somewhere (any of its atoms)? */
function accepts(n: Node, c: string): boolean {
  switch (n.t) {
    case 'atom':
      return !n.empty && (n.ch !== undefined ? n.ch === c.toLowerCase() : n.test(c));
    case 'seq':
      return n.items.some((x) => accepts(x, c));
    case 'alt':
      return n.alts.some((x) => accepts(x, c));
    case 'group':
      return !n.look && accepts(n.body, c);
    case 'rep':
      return accepts(n.body, c);
  }
}

function repeatsOverlap(a: Node, b: Node): boolean {
  const probe = new Set([...SAMPLE, ...chars(a), ...chars(b)]);
  return [...probe].some((c) => accepts(a, c) && accepts(b, c));
}

/** The strings a literal-only node can match (single characters, optional with ?), or undefined. */
function literals(n: Node, limit = 64): string[] | undefined {
  if (n.t === 'atom') return n.ch !== undefined ? [n.ch] : n.empty ? [''] : undefined;
  if (n.t === 'group') return n.look ? undefined : literals(n.body, limit);
  if (n.t === 'alt') {
    const out: string[] = [];
    for (const a of n.alts) {
      const l = literals(a, limit);
      if (!l) return undefined;
      out.push(...l);
    }
    return out.length > limit ? undefined : out;
  }
  if (n.t === 'rep') {
    if (n.max !== 1) return undefined;
    const l = literals(n.body, limit);
    return l && (n.min === 0 ? ['', ...l] : l);
  }
  let acc = [''];
  for (const it of n.items) {
    const l = literals(it, limit);
    if (!l) return undefined;
    acc = acc.flatMap((a) => l.map((b) => a + b));
    if (acc.length > limit) return undefined;
  }
  return acc;
}

/** Can a repetition of these alternatives split one text in two ways? */
function ambiguousAlternatives(alts: Node[]): boolean {
  const lits = alts.map((a) => literals(a));
  if (lits.every((l) => l !== undefined)) {
    // literal words: ambiguous when one word is a prefix of another (a|aa), or one can be empty
    const words = lits.flat() as string[];
    if (words.some((w) => w === '')) return true;
    for (let i = 0; i < words.length; i++) for (let j = 0; j < words.length; j++) if (i !== j && words[j].startsWith(words[i])) return true;
    return false;
  }
  const firsts = alts.map(first);
  for (let i = 0; i < firsts.length; i++) for (let j = i + 1; j < firsts.length; j++) if (overlaps(firsts[i], firsts[j])) return true;
  return false;
}

/**
 * A repeat that can run long: unbounded, or counted up to LONG_REPEAT or more. `.{0,300}` backtracks like `.*` on
 * any line the scanner gives a user rule (its head window is 8 KB), so it counts as unbounded.
 */
const LONG_REPEAT = 32;
const isLong = (n: Node): n is Extract<Node, { t: 'rep' }> => n.t === 'rep' && n.max >= LONG_REPEAT;

function hasUnbounded(n: Node): boolean {
  switch (n.t) {
    case 'rep':
      return (isLong(n) && !nullableOnly(n.body)) || hasUnbounded(n.body);
    case 'seq':
      return n.items.some(hasUnbounded);
    case 'alt':
      return n.alts.some(hasUnbounded);
    case 'group':
      return !n.look && hasUnbounded(n.body);
    default:
      return false;
  }
}

function nullableOnly(n: Node): boolean {
  return nullable(n) && first(n).size === 0;
}

function check(n: Node, poly: boolean): string | undefined {
  switch (n.t) {
    case 'rep': {
      const inner = check(n.body, poly);
      if (inner) return inner;
      if (n.max === Infinity || n.max > 10) {
        if (hasUnbounded(n.body)) return isLong(n) ? 'a repeated group contains another long repetition' : 'a large bounded repeat holds a long repetition';
        const body = n.body.t === 'group' ? n.body.body : n.body;
        if (body.t === 'alt') {
          if (body.alts.some(nullable)) return 'a repeated group has an alternative that can match nothing';
          if (ambiguousAlternatives(body.alts)) return 'a repeated group has alternatives that can match the same text';
        }
      }
      if (n.max > 4 && hasUnbounded(n.body)) return 'a large bounded repeat holds a long repetition';
      return undefined;
    }
    case 'seq': {
      for (const it of n.items) {
        const r = check(it, poly);
        if (r) return r;
      }
      // runs of unbounded repeats over overlapping characters: polynomial of the run's length
      let run: Node[] = [];
      for (const it of n.items) {
        const rep = asRep(it);
        if (rep && isLong(rep)) {
          run = run.filter((r) => repeatsOverlap(r, rep.body));
          run.push(rep.body);
          if (poly && run.length >= 3) return 'three or more long repeats in a row can match the same text';
        } else if (!nullable(it)) {
          // a separator the earlier repeats can also match keeps them in the run (`.*b.*c.*d`): they still compete
          const cs = chars(it);
          run = run.filter((r) => cs.size > 0 && [...cs].every((c) => accepts(r, c)));
        }
      }
      return undefined;
    }
    case 'alt':
      for (const a of n.alts) {
        const r = check(a, poly);
        if (r) return r;
      }
      return undefined;
    case 'group':
      return check(n.body, poly);
    default:
      return undefined;
  }
}

/** Single-repeat item of a sequence: `x*` or `(?:x*)`. */
function asRep(it: Node): Extract<Node, { t: 'rep' }> | undefined {
  if (it.t === 'rep') return it;
  if (it.t === 'group' && !it.look && it.body.t === 'seq' && it.body.items.length === 1 && it.body.items[0].t === 'rep') return it.body.items[0];
  return undefined;
}

/**
 * Two long repeats over overlapping characters where a match can start (nothing but optional items before them,
 * and no `^`): `.*.*x`, `\s*.*=`. Every start position tries every split of the rest: cubic in the line length.
 */
function leadingPair(n: Node): string | undefined {
  if (n.t === 'alt') {
    for (const a of n.alts) {
      const r = leadingPair(a);
      if (r) return r;
    }
    return undefined;
  }
  const items = n.t === 'seq' ? n.items : [n];
  const seen: Node[] = [];
  for (const it of items) {
    if (it.t === 'atom' && it.anchor) return undefined;
    const rep = asRep(it);
    if (rep && isLong(rep) && !nullableOnly(rep.body)) {
      if (seen.some((b) => repeatsOverlap(b, rep.body))) return 'two long repeats at the start of the pattern can match the same text';
      seen.push(rep.body);
      continue;
    }
    if (!nullable(it)) return undefined;
  }
  return undefined;
}

/**
 * `linear`: the pattern runs on V8's linear-time engine (src/core/rules/regex.ts), so only the exponential shapes
 * are refused (rule packs stay portable to hosts without that engine); the polynomial ones (runs of long repeats)
 * cannot hurt there.
 */
/**
 * Does a repeat (more than once) hold something that can match the empty string: `(a*)+`, `(@*?){1,3}`, `(a|)*`?
 * V8's linear-time engine treats empty iterations differently from the backtracking one there (found by the fold
 * fuzz target: `(@*?){1,3}` on "@"), so such patterns stay on the backtracking engine.
 */
export function hasNullableRepeat(pattern: string): boolean {
  let ast: Node;
  try {
    ast = new Parser(pattern).parse();
  } catch {
    return true;
  }
  const walk = (n: Node): boolean => {
    switch (n.t) {
      case 'rep':
        return (n.max > 1 && nullable(n.body)) || walk(n.body);
      case 'seq':
        return n.items.some(walk);
      case 'alt':
        return n.alts.some(walk);
      case 'group':
        return walk(n.body);
      default:
        return false;
    }
  };
  return walk(ast);
}

export function checkPatternSafety(pattern: string, opts: { linear?: boolean } = {}): string | undefined {
  let ast: Node;
  try {
    ast = new Parser(pattern).parse();
  } catch {
    return undefined; // the compiler reports syntax errors
  }
  const poly = !opts.linear;
  return check(ast, poly) ?? (poly ? leadingPair(ast) : undefined);
}
