// Static check for regex shapes that backtrack catastrophically: a quantified group whose body can
// itself repeat (star height > 1, e.g. `(a+)+`, `(\w*\s?)*`) or whose alternatives overlap (`(a|a)*`).
// Returns a short reason, or undefined when the pattern looks linear enough.

interface Group {
  hasQuantifier: boolean;
  alternatives: string[];
  current: string;
}

export function checkPatternSafety(pattern: string): string | undefined {
  const stack: Group[] = [{ hasQuantifier: false, alternatives: [], current: '' }];
  let i = 0;
  let inClass = false;
  const isQuant = (c: string | undefined) => c === '*' || c === '+' || c === '?' || c === '{';
  const unbounded = (at: number): boolean => {
    const c = pattern[at];
    if (c === '*' || c === '+') return true;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
      return !!m && m[2] !== undefined && (m[3] === '' || Number(m[3]) > 50);
    }
    return false;
  };
  while (i < pattern.length) {
    const c = pattern[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      top.current += pattern.slice(i, i + 2);
      i += 2;
      if (isQuant(pattern[i]) && unbounded(i)) top.hasQuantifier = true;
      continue;
    }
    if (inClass) {
      top.current += c;
      if (c === ']') {
        inClass = false;
        if (unbounded(i + 1)) top.hasQuantifier = true;
      }
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      top.current += c;
      i++;
      continue;
    }
    if (c === '(') {
      stack.push({ hasQuantifier: false, alternatives: [], current: '' });
      i++;
      if (pattern[i] === '?') {
        // skip group modifiers (?: (?= (?! (?<= (?<! (?<name>
        const m = /^\?(<[A-Za-z_$][\w$]*>|[:=!]|<[=!])/.exec(pattern.slice(i));
        if (m) i += m[0].length;
      }
      continue;
    }
    if (c === '|') {
      top.alternatives.push(top.current);
      top.current = '';
      i++;
      continue;
    }
    if (c === ')' && stack.length > 1) {
      const g = stack.pop()!;
      g.alternatives.push(g.current);
      const parent = stack[stack.length - 1];
      parent.current += `(${g.alternatives.join('|')})`;
      i++;
      if (unbounded(i)) {
        if (g.hasQuantifier) return 'a repeated group contains another unbounded repetition';
        const alts = g.alternatives.filter((a) => a.length > 0);
        if (new Set(alts).size < alts.length) return 'a repeated group has identical alternatives';
        if (alts.some((a) => a.length === 1 && /[.\\]/.test(a)) && alts.length > 1) return 'a repeated group has overlapping alternatives';
        parent.hasQuantifier = true;
      } else if (g.hasQuantifier) {
        parent.hasQuantifier = parent.hasQuantifier || false;
        // an unrepeated group keeps its inner repetition visible to enclosing repeated groups
        parent.hasQuantifier = true;
      }
      continue;
    }
    top.current += c;
    i++;
    if (unbounded(i)) top.hasQuantifier = true;
  }
  return undefined;
}
