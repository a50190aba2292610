// The built-in packs precompiled at build time (dist/rules.json) load exactly as the YAML does, and are used only
// for the very texts they were made from.
import * as assert from 'node:assert/strict';
import { loadPacks, parseCauseVocabulary } from '../../src/core/rules/loader';
import { loadRuleSet, precompile, setPrecompiledRules } from '../../src/core/rules/precompiled';
import type { Rule } from '../../src/core/rules/types';
import { readBuiltinPacks } from '../../src/node/files';
import { Engine } from '../../src/core/engine';

/** a rule as plain data (regexes as source + flags) */
function plain(r: Rule): string {
  return JSON.stringify(r, (_k, v) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
}

describe('precompiled rule packs', () => {
  const { packs, vocabulary } = readBuiltinPacks();
  const user = { file: '/ws/extra.yaml', text: '- {id: migrationwiz.autodiscover-401, title: Mine, severity: warning, keywords: ["mine"], patterns: ["mine (401)"], causes: [{id: wrong-credentials}]}\n- {id: extra.one, title: E, severity: error, keywords: ["zz"], patterns: ["zz+top"], causes: [{id: not-a-cause}]}\n', trusted: false };
  beforeEach(() => setPrecompiledRules(undefined)); // the default text hash, when making and when using them
  afterEach(() => setPrecompiledRules(undefined));

  it('is used for the packs it was made from (and not parsed from YAML)', () => {
    const pre = JSON.parse(JSON.stringify(precompile(packs, vocabulary)));
    const first = pre.packs[0].result.rules[0];
    first.title = 'from rules.json';
    setPrecompiledRules(() => pre);
    const res = loadRuleSet(packs, vocabulary);
    assert.equal(res.rules.find((r) => r.id === first.id)?.title, 'from rules.json');
  });

  it('gives the same rules, problems and vocabulary as loading the YAML', () => {
    const pre = JSON.parse(JSON.stringify(precompile(packs, vocabulary)));
    setPrecompiledRules(() => pre);
    const fast = loadRuleSet([...packs, user], vocabulary);
    const vocab = parseCauseVocabulary(vocabulary);
    const slow = loadPacks([...packs, user], vocab);
    assert.deepEqual([...fast.vocabulary], [...vocab]);
    assert.equal(fast.rules.length, slow.rules.length);
    assert.deepEqual(fast.rules.map(plain), slow.rules.map(plain));
    assert.deepEqual(fast.problems, slow.problems);
    // regexes work
    assert.ok(fast.rules.every((r) => r.compiled.every((re) => re instanceof RegExp)));
  });

  it('falls back to the YAML when a text differs (stale dist/rules.json), a pack moved, or trust differs', () => {
    const pre = JSON.parse(JSON.stringify(precompile(packs, vocabulary)));
    setPrecompiledRules(() => pre);
    const edited = packs.map((p, i) => (i === 0 ? { ...p, text: p.text.replace(/title: /, 'title: Edited ') } : p));
    const fast = loadRuleSet(edited, vocabulary);
    const slow = loadPacks(edited, parseCauseVocabulary(vocabulary));
    assert.deepEqual(fast.rules.map(plain), slow.rules.map(plain));
    assert.ok(fast.rules.some((r) => r.title.startsWith('Edited ')));
    // the same text at another path: the path is the runtime one
    const moved = packs.map((p) => ({ ...p, file: p.file.replace(/rules/, 'elsewhere') }));
    assert.ok(loadRuleSet(moved, vocabulary).rules.every((r) => r.pack.includes('elsewhere') && r.loc.file.includes('elsewhere')));
    // untrusted: loaded (and safety-checked) from YAML
    const untrusted = loadRuleSet(packs.map((p) => ({ ...p, trusted: false })), vocabulary);
    assert.deepEqual(untrusted.rules.map(plain), loadPacks(packs.map((p) => ({ ...p, trusted: false })), parseCauseVocabulary(vocabulary)).rules.map(plain));
  });

  it('an engine on precompiled packs scans like one on YAML', () => {
    const pre = JSON.parse(JSON.stringify(precompile(packs, vocabulary)));
    const yamlEngine = new Engine(packs, vocabulary);
    setPrecompiledRules(() => pre);
    const fastEngine = new Engine(packs, vocabulary);
    const text = "x\n2024-01-01 ERROR Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized\nAADSTS50126: bad\n";
    const f = (e: Engine) => e.scan(text).map((x) => [x.ruleId, x.line, x.column, x.side, x.causes.map((c) => c.id).join(',')]);
    assert.deepEqual(f(fastEngine), f(yamlEngine));
  });
});
