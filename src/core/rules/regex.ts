// Compiling the regexes of untrusted (workspace / user) rule packs. Where the host has switched on V8's linear-time
// regex engine (the `l` flag; the Node hosts do it with `enableLinearRegex()` in src/node/regexGuard.ts), a pattern
// that the engine accepts (no look-around, no back-reference, no large counted repeat) is compiled with it and can
// never backtrack. The others keep the backtracking engine: the static check (safety.ts) and the scan's time budget
// (RuleBudget, with an interruptible exec where the host provides one) bound them.

import { hasNullableRepeat } from './safety';

let linear: boolean | undefined;

/** Does this JavaScript engine accept the `l` (linear-time) regex flag? Re-checked until it does. */
export function linearRegexAvailable(): boolean {
  if (linear) return true;
  try {
    new RegExp('a', 'l');
    linear = true;
  } catch {
    linear = false;
  }
  return linear;
}

/** Compile a user pattern, with the linear-time engine when available and possible. Throws like `new RegExp`. */
export function compileUserRegex(pattern: string, flags: string): RegExp {
  const re = new RegExp(pattern, flags); // the error message users see comes from the usual engine
  if (linearRegexAvailable()) {
    // V8's linear engine takes neither `i` nor `u`: spell case-insensitivity out in the pattern instead
    const folded = flags.includes('i') ? foldCase(pattern) : pattern;
    if (folded !== undefined && !flags.includes('u') && !hasNullableRepeat(pattern)) {
      try {
        return new RegExp(folded, flags.replace('i', '') + 'l');
      } catch {
        // "Cannot be executed in linear time" (look-around, back-reference, counted repeat over 16): keep `re`.
        // Repeats of what can match empty stay there too: the two engines differ on them (hasNullableRepeat).
      }
    }
  }
  return re;
}

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const other = (c: string) => (c >= 'a' && c <= 'z' ? c.toUpperCase() : c.toLowerCase());
/** escapes that keep their meaning with and without `i` */
const SAFE_LETTER_ESCAPES = new Set([...'dDwWsSbBnrtfv']);

/**
 * The pattern with every ASCII letter made case-insensitive by hand (`a` -> `[aA]`, `[a-f]` -> `[A-Fa-f]`), so that
 * without the `i` flag it matches exactly what the original matches with it. Undefined where that cannot be done
 * exactly and simply: non-ASCII letters, `\x` / `\u` / `\c` / `\p` escapes, back-references.
 */
export function foldCase(p: string): string | undefined {
  let out = '';
  let i = 0;
  const escape = (e: string): string | undefined => {
    // `e` is the character after a backslash
    if (isLetter(e)) return SAFE_LETTER_ESCAPES.has(e) ? '\\' + e : undefined;
    if (e >= '0' && e <= '9') return e === '0' ? '\\0' : undefined;
    if (e === undefined || e === '') return undefined;
    return e.charCodeAt(0) > 0x7f ? undefined : '\\' + e;
  };
  while (i < p.length) {
    const c = p[i];
    if (c.charCodeAt(0) > 0x7f && c.toLowerCase() !== c.toUpperCase()) return undefined;
    if (c === '\\') {
      const e = escape(p[i + 1]);
      if (e === undefined) return undefined;
      out += e;
      i += 2;
    } else if (c === '(' && p[i + 1] === '?') {
      // group prefixes: (?: (?= (?! (?<= (?<! (?<name>
      const m = /^\(\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(p.slice(i));
      if (!m) return undefined;
      out += m[0];
      i += m[0].length;
    } else if (c === '[') {
      const cls = foldClass(p, i);
      if (!cls) return undefined;
      out += cls.text;
      i = cls.end;
    } else {
      out += isLetter(c) ? `[${c}${other(c)}]` : c;
      i++;
    }
  }
  return out;
}

/** `[...]` starting at `start`: the class with the other case of its letters added, and the index after it. */
function foldClass(p: string, start: number): { text: string; end: number } | undefined {
  let i = start + 1;
  const negated = p[i] === '^';
  if (negated) i++;
  const bodyStart = i;
  const items: { lo: string; hi: string }[] = [];
  const readChar = (): string | undefined | null => {
    // one class character: itself, or null for a class escape (\d, \w...) that is not a range end
    const c = p[i];
    if (c === '\\') {
      const e = p[i + 1];
      i += 2;
      if (e === undefined) return undefined;
      if (isLetter(e)) {
        if ('dDwWsS'.includes(e)) return null;
        const ctl: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', b: '\b' };
        return ctl[e] ?? undefined;
      }
      if (e >= '0' && e <= '9') return e === '0' ? '\0' : undefined;
      return e.charCodeAt(0) > 0x7f ? undefined : e;
    }
    i++;
    if (c.charCodeAt(0) > 0x7f && c.toLowerCase() !== c.toUpperCase()) return undefined;
    return c;
  };
  while (i < p.length && p[i] !== ']') {
    const lo = readChar();
    if (lo === undefined) return undefined;
    if (lo !== null && p[i] === '-' && p[i + 1] !== undefined && p[i + 1] !== ']') {
      i++;
      const hi = readChar();
      if (hi === undefined || hi === null) return undefined;
      items.push({ lo, hi });
    } else if (lo !== null) items.push({ lo, hi: lo });
  }
  if (p[i] !== ']') return undefined;
  const body = p.slice(bodyStart, i);
  // the other case of every letter the class holds, as ranges
  const extra: string[] = [];
  for (const { lo, hi } of items) {
    for (const [a, z] of [['a', 'z'], ['A', 'Z']]) {
      const from = lo > a ? lo : a;
      const to = hi < z ? hi : z;
      if (from <= to) extra.push(from === to ? other(from) : `${other(from)}-${other(to)}`);
    }
  }
  // the additions go first; a leading '-' of the body must stay a literal after them
  const text = `[${negated ? '^' : ''}${extra.join('')}${extra.length && body.startsWith('-') ? '\\' : ''}${body}]`;
  return { text, end: i + 1 };
}

/** Was the regex compiled with the linear-time engine? */
export const isLinearRegex = (re: RegExp): boolean => re.flags.includes('l');
