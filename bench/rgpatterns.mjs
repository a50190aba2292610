// JS rule regexes -> patterns for ripgrep's default engine (Rust regex, no look-around).
//
// "Equivalent" means: ripgrep reports every line that a rule pattern matches (a superset at most):
//  - look-around groups ((?=..) (?!..) (?<=..) (?<!..)) are removed: they only narrow a match, so the
//    converted pattern matches every line the JS one does (and a few more);
//  - `exclude` regexes and keyword prefilters are not applied (again a superset of lines);
//  - JS (non-unicode) classes keep their ASCII meaning: \d -> [0-9], \w -> [0-9A-Za-z_], \b -> (?-u:\b);
//  - named groups become plain groups (names clash once ripgrep joins the patterns); case-insensitive rules become (?i:..), caseSensitive ones (?-i:..);
//  - escapes Rust rejects (\/ \' \" ...) are unescaped, \uXXXX becomes \x{XXXX}.

const RUST_META = new Set('\\.+*?()|[]{}^$#&-~'.split(''));

/** Convert one JS regex source (no flags) to Rust regex syntax, dropping look-around. */
export function toRust(src) {
  let out = '';
  let i = 0;
  let inClass = false;
  const escape = (c, cls) => {
    // returns the Rust spelling of the escape `\c` (c is the char after the backslash)
    switch (c) {
      case 'd': return cls ? '0-9' : '[0-9]';
      case 'D': return cls ? null : '[^0-9]';
      case 'w': return cls ? '0-9A-Za-z_' : '[0-9A-Za-z_]';
      case 'W': return cls ? null : '[^0-9A-Za-z_]';
      case 'b': return cls ? '\\x08' : '(?-u:\\b)';
      case 'B': return '(?-u:\\B)';
      case 's': case 'S': case 'n': case 'r': case 't': case 'f': case 'v': return c === 'v' ? '\\x0B' : `\\${c}`;
      case '0': return '\\x00';
      default:
        if (RUST_META.has(c)) return `\\${c}`;
        if (/[A-Za-z0-9]/.test(c)) return `\\${c}`;
        return c; // \/ \' \" \: ... are plain characters
    }
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
        out += `\\x{${src.slice(i + 2, i + 6)}}`;
        i += 6;
        continue;
      }
      if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
        out += src.slice(i, i + 4);
        i += 4;
        continue;
      }
      const e = escape(n, inClass);
      if (e === null) throw new Error(`cannot convert \\${n} inside a class: ${src}`);
      out += e;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[') {
        out += '\\[';
        i++;
        continue;
      } else if ((c === '&' || c === '~' || c === '-') && src[i + 1] === c) {
        out += `\\${c}`;
        i++;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (src[i] === '^') {
        out += '^';
        i++;
      }
      if (src[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const la = /^\(\?(?:=|!|<=|<!)/.exec(src.slice(i));
      if (la) {
        i = skipGroup(src, i);
        // a quantifier on a look-around is meaningless; drop it too
        const q = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/.exec(src.slice(i));
        if (q) i += q[0].length;
        continue;
      }
      const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
      if (named) {
        out += '(?:'; // names would clash across patterns once rg joins them
        i += named[0].length;
        continue;
      }
    }
    if (c === '{' && !/^\{\d+(?:,\d*)?\}/.test(src.slice(i))) {
      out += '\\{';
      i++;
      continue;
    }
    if (c === '}' && !/\{\d+(?:,\d*)?$/.test(src.slice(0, i))) {
      out += '\\}';
      i++;
      continue;
    }
    if (c === '#' || c === '&' || c === '~') {
      out += `\\${c}`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** index just after the group opening at `start` */
function skipGroup(src, start) {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return src.length;
}

/** rules: [{ patterns: string[], caseSensitive?: boolean }] -> one Rust pattern per JS pattern */
export function rgPatterns(rules) {
  const out = [];
  for (const r of rules) {
    for (const p of r.patterns) {
      const rust = toRust(p);
      if (!rust.length) continue;
      out.push(r.caseSensitive ? `(?-i:${rust})` : `(?i:${rust})`);
    }
  }
  return out;
}
