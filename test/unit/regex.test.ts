// User patterns run on V8's linear-time engine where possible. That engine takes no `i` flag, so foldCase spells
// case-insensitivity out; it must match exactly what the original matches with `i`. Checked differentially on every
// built-in pattern (hundreds of real-world shapes) against its examples, their case variants and random strings.
import * as assert from 'node:assert/strict';
import { compileUserRegex, foldCase, isLinearRegex } from '../../src/core/rules/regex';
import { enableLinearRegex } from '../../src/node/regexGuard';
import { builtinEngine, prng } from './helpers';

function sameExec(a: RegExp, b: RegExp, s: string): string | undefined {
  a.lastIndex = 0;
  b.lastIndex = 0;
  const x = a.exec(s);
  const y = b.exec(s);
  const show = (m: RegExpExecArray | null) => (m ? JSON.stringify([m.index, [...m], m.groups ?? null]) : 'null');
  return show(x) === show(y) ? undefined : `${show(x)} vs ${show(y)}`;
}

describe('case folding for the linear-time regex engine', () => {
  it('folds letters, classes and ranges, and keeps group names, escapes and quantifiers', () => {
    assert.equal(foldCase('ab'), '[aA][bB]');
    assert.equal(foldCase('(?<side>src)\\d{5,7}'), '(?<side>[sS][rR][cC])\\d{5,7}');
    assert.equal(foldCase('[a-f0-9]'), '[A-Fa-f0-9]');
    assert.equal(foldCase('[^x-]'), '[^Xx-]');
    assert.equal(foldCase('[-q]'), '[Q\\-q]');
    assert.equal(foldCase('[!-~]'), '[A-Za-z!-~]');
    assert.equal(foldCase('\\bAADSTS\\w+\\.'), '\\b[Aa][Aa][Dd][Ss][Tt][Ss]\\w+\\.');
    for (const p of ['\\x41', 'caf\u00e9', '\\p{L}', '(a)\\1', '\\k<n>', '[\\u0041]', '\\cJ']) assert.equal(foldCase(p), undefined, p);
  });

  it('matches exactly what the original matches with `i`, on every built-in pattern', function () {
    this.timeout(60000);
    const engine = builtinEngine();
    const rnd = prng(4401);
    const flip = (s: string) => [...s].map((c) => (rnd.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
    let folded = 0;
    let total = 0;
    const failures: string[] = [];
    for (const rule of engine.rules) {
      const lines = [...(rule.examples?.match ?? []), ...(rule.examples?.noMatch ?? [])].map((e) => (typeof e === 'string' ? e : e.text));
      const pats = [...rule.patterns, ...(rule.exclude ?? []), ...rule.causes.flatMap((c) => [...(c.when?.line ?? []), ...(c.when?.context ?? [])])];
      for (const p of pats) {
        total++;
        const f = foldCase(p);
        if (f === undefined) continue;
        folded++;
        const orig = new RegExp(p, 'i');
        const mine = new RegExp(f, '');
        const alphabet = [...new Set([...p.replace(/\\./g, ''), ...'aZ09 -_:.']), 'é', 'K'];
        const samples = [...lines, ...lines.map((l) => l.toUpperCase()), ...lines.map((l) => l.toLowerCase()), ...lines.map(flip)];
        for (let k = 0; k < 20; k++) samples.push(Array.from({ length: 1 + rnd.int(40) }, () => rnd.pick(alphabet)).join(''));
        for (const s of samples) {
          const d = sameExec(orig, mine, s);
          if (d) failures.push(`${rule.id}: /${p}/ on ${JSON.stringify(s.slice(0, 80))}: ${d}`);
        }
      }
    }
    assert.deepEqual(failures.slice(0, 5), []);
    assert.ok(folded / total > 0.9, `${folded}/${total} folded`);
  });

  it('keeps repeats of what can match empty on the backtracking engine (fuzz: the engines differ there)', () => {
    enableLinearRegex();
    for (const p of ['(@*?){1,3}', '(a*)+x', '(a|)*b', '(?:x?){2}']) {
      const re = compileUserRegex(p, 'i');
      assert.ok(!isLinearRegex(re), p);
    }
    assert.deepEqual([...compileUserRegex('(@*?){1,3}', 'i').exec('@')!], ['@', '@']);
    assert.ok(isLinearRegex(compileUserRegex('(ab)+c', 'i')));
  });

  it('compiles most built-in-like patterns with the linear engine, and the others as before', () => {
    enableLinearRegex();
    const engine = builtinEngine();
    let linear = 0;
    let total = 0;
    for (const rule of engine.rules) {
      for (const p of rule.patterns) {
        total++;
        const re = compileUserRegex(p, 'i');
        if (isLinearRegex(re)) linear++;
        else assert.equal(re.flags, 'i');
      }
    }
    assert.ok(linear / total > 0.5, `${linear}/${total} linear`);
  });
});
