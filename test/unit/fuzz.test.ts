// A short, seeded run of every fuzz target (test/fuzz/targets.ts; `npm run fuzz` runs a million cases each), and the
// counterexamples the fuzzer found, kept as plain regression tests.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import YAML from 'yaml';
import { targets, docLines } from '../fuzz/targets';
import { loadPack } from '../../src/core/rules/loader';
import { Matcher, scanText } from '../../src/core/scan/scanner';
import { analyze } from '../../src/core/analyze';
import { parseConfig, parseYamlConfig, parseSupportOptions } from '../../src/core/config/parse';
import { checkConfig } from '../../src/core/config/check';
import { insertOptionsEdits } from '../../src/core/fixes/insert';
import { applyEdits } from '../../src/core/edits';

const RUNS = 400;
const SEED = 20240506;

describe('fuzz (short seeded run)', () => {
  for (const t of targets) {
    it(`${t.name}: ${RUNS} cases hold every invariant`, () => {
      const d = fc.check(fc.property(t.arbitrary(), (input) => t.check(input)), { numRuns: RUNS, seed: SEED });
      if (d.failed) {
        const ce = d.counterexample?.[0];
        throw new Error(`${t.name} failed (seed ${SEED}, path ${d.counterexamplePath}):\n${d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance)}\n--- input\n${ce === undefined ? '?' : t.describe(ce)}`);
      }
    });
  }
});

const RULE = (extra: string) => `- id: r\n  title: R\n  severity: error\n  patterns: ["x"]\n  causes: [{ id: wrong-credentials }]\n${extra}`;
const inDoc = (text: string, line: number, column: number) => {
  const lines = docLines(text);
  return line >= 0 && line < lines.length && column >= 0 && column <= lines[line].length;
};

describe('fuzz regressions: rule loader', () => {
  it('locates YAML errors inside the document (the yaml LineCounter misses line breaks after quoted scalars)', () => {
    const text = "'\n  title: a\n  c: it's\n  - x: y\n";
    const res = loadPack({ file: 'p.yaml', text });
    assert.ok(res.problems.length > 0);
    for (const p of res.problems) assert.ok(inDoc(text, p.line, p.column), `${p.line}:${p.column} ${p.message}`);
  });
  it('refuses nesting deep enough to exhaust the parser stack, without crashing', () => {
    for (const text of ['['.repeat(5000) + ']'.repeat(5000), Array.from({ length: 3000 }, (_, i) => ' '.repeat(i) + '- ').join('\n')]) {
      const res = loadPack({ file: 'p.yaml', text });
      assert.equal(res.rules.length, 0);
      assert.match(res.problems[0].message, /nested more than 100 levels/);
    }
  });
  it('refuses non-scalar keys (toJSON would stringify nested ones in exponential time)', () => {
    const res = loadPack({ file: 'p.yaml', text: RULE('  ' + '? '.repeat(28) + 'steps: x\n') });
    assert.equal(res.rules.length, 0);
    assert.match(res.problems[0].message, /keys in a rule are plain strings/);
  });
  it('rejects rule fields that analyze, explain or the matcher would trip over', () => {
    const bad = [
      '  causes: [{ id: a, steps: "one string" }]\n',
      '  causes: [{ id: a, title: 5 }]\n',
      '  causes: [{ id: a, when: { context: "a string" } }]\n',
      '  causes: [{ id: a, when: 5 }]\n',
      '  fixes: { title: x }\n',
      '  fixes: [{ title: F, insertOptions: ["NoEquals"] }]\n',
      '  fixes: [{ title: F, insertOptions: "A=1" }]\n',
      '  links: [~]\n',
      '  message: [a]\n',
      '  side: { fixed: sideways }\n',
      '  side: { from: [a] }\n',
    ];
    for (const extra of bad) {
      const text = RULE('').replace('  causes: [{ id: wrong-credentials }]\n', extra.startsWith('  causes') ? extra : `  causes: [{ id: wrong-credentials }]\n${extra}`);
      const res = loadPack({ file: 'p.yaml', text });
      assert.equal(res.rules.length, 0, extra);
      assert.equal(res.problems.length, 1, extra);
    }
  });
  it('loaded rules always work in the matcher and in analyze', () => {
    const res = loadPack({ file: 'p.yaml', text: RULE('  priority: .nan\n  context: { before: .nan }\n  fixes: [{ title: Add, insertOptions: ["UseEws{Side}Impersonation=1"] }]\n') });
    assert.equal(res.rules.length, 1);
    assert.equal(res.rules[0].priority, 0);
    assert.equal(res.rules[0].before, 10);
    const [raw] = scanText(new Matcher(res.rules), 'x').findings;
    const f = analyze(raw, { config: parseSupportOptions('support-options.txt', '') });
    assert.deepEqual(f.fixes.map((x) => x.keys), [['UseEwsExportImpersonation'], ['UseEwsImportImpersonation']]);
  });
  it('checks the safety of every regex of a user pack, not only patterns and exclude', () => {
    for (const extra of ['  side: { from: "(a+)+$" }\n', '  causes: [{ id: a, when: { line: ["(a|a)*b"] } }]\n']) {
      const text = extra.startsWith('  causes') ? RULE('').replace('  causes: [{ id: wrong-credentials }]\n', extra) : RULE(extra);
      assert.match(loadPack({ file: 'u.yaml', text }).problems[0]?.message ?? '', /unsafe/, extra);
      assert.equal(loadPack({ file: 'b.yaml', text, trusted: true }).rules.length, 1, extra);
    }
  });
});

describe('fuzz regressions: configs and fixes', () => {
  const fixOf = (file: string, text: string, code: string) => {
    const p = checkConfig(parseConfig(file, text)).find((x) => x.code === code);
    assert.ok(p?.fixes[0], `no ${code} fix`);
    return applyEdits(text, p.fixes[0].edits);
  };
  it('keeps YAML error ranges inside the document (BOM, unclosed quote)', () => {
    const cfg = parseYamlConfig('p.migration.yaml', '\uFEFF"');
    for (const s of cfg.syntax) assert.ok(inDoc(cfg.text, s.range.endLine, s.range.endColumn));
  });
  it('removes a duplicate on a last line without a line break, within the document', () => {
    const text = 'UseEwsImportImpersonation=1\nUseEwsImportImpersonation=1';
    const p = checkConfig(parseSupportOptions('support-options.txt', text)).find((x) => x.code === 'duplicate')!;
    assert.ok(inDoc(text, p.fixes[0].edits[0].endLine, p.fixes[0].edits[0].endColumn));
    assert.equal(applyEdits(text, p.fixes[0].edits), 'UseEwsImportImpersonation=1');
  });
  it('reads escapes in quoted YAML entries and writes fixes escaped for them', () => {
    const text = 'supportOptions:\n  - "FolderMapping=\\"^INBOX/->\\""\n  - "UserMapping=a->b"\n  - \'RecipientMapping=it\'\'s->x\'\n';
    const cfg = parseYamlConfig('p.migration.yaml', text);
    assert.deepEqual(cfg.options.map((o) => [o.key, o.value, o.quoted]), [['FolderMapping', '^INBOX/->', true], ['UserMapping', 'a->b', false], ['RecipientMapping', "it's->x", false]]);
    assert.deepEqual(cfg.options[0].valueRange, { line: 1, column: 19, endLine: 1, endColumn: 32 });
    const fixed = fixOf('p.migration.yaml', text, 'mapping-unquoted');
    assert.deepEqual(YAML.parse(fixed).supportOptions[1], 'UserMapping="a->b"');
    assert.equal(parseYamlConfig('p.migration.yaml', fixed).options[1].quoted, true);
  });
  it('reports an entry folded over several lines instead of giving it wrong ranges', () => {
    const cfg = parseYamlConfig('p.migration.yaml', 'supportOptions:\n  - "A=1\n    2"\n');
    assert.deepEqual(cfg.options, []);
    assert.match(cfg.syntax[0].message, /one line/);
  });
  it('does not read a null useSsl as false', () => {
    const cfg = parseYamlConfig('p.migration.yaml', 'source: { port: 993, useSsl: }\n');
    assert.equal(cfg.source?.useSsl, undefined);
    assert.deepEqual(checkConfig(cfg), []);
  });
  const insert = (file: string, text: string, opts = ['UseEwsImportImpersonation=1']) => applyEdits(text, insertOptionsEdits(parseConfig(file, text), opts));
  const Y = 'p.migration.yaml';
  it('inserts into YAML of every usual shape, and the result parses to the options plus the new one', () => {
    const cases: [string, string][] = [
      ['supportOptions: [\n]\n', 'supportOptions: ["UseEwsImportImpersonation=1"\n]\n'],
      ['supportOptions: [A=1, ]\n', 'supportOptions: [A=1, "UseEwsImportImpersonation=1", ]\n'],
      ['supportOptions: ~\nb: 1\n', 'supportOptions: \n  - UseEwsImportImpersonation=1\nb: 1\n'],
      ['supportOptions:\ndestination: x', 'supportOptions:\n  - UseEwsImportImpersonation=1\ndestination: x'],
      [' x: y', ' x: y\n supportOptions:\n   - UseEwsImportImpersonation=1\n'],
      ['\uFEFF', '\uFEFFsupportOptions:\n  - UseEwsImportImpersonation=1\n'],
      ['\uFEFFa: 1', '\uFEFFa: 1\nsupportOptions:\n  - UseEwsImportImpersonation=1\n'],
      ['supportOptions:\n- A=x: y\n', 'supportOptions:\n- A=x: y\n- UseEwsImportImpersonation=1\n'],
    ];
    for (const [text, want] of cases) {
      const got = insert(Y, text);
      assert.equal(got, want, JSON.stringify(text));
      assert.deepEqual(insertOptionsEdits(parseConfig(Y, got), ['UseEwsImportImpersonation=1']), [], `idempotent: ${JSON.stringify(text)}`);
    }
  });
  it('offers no insert into YAML it cannot place one in safely', () => {
    for (const text of ['"\nsupportOptions:', 'supportOptions: A=1\n', '{a: 1}\n', 'just a scalar\n']) {
      assert.deepEqual(insertOptionsEdits(parseConfig(Y, text), ['UseEwsImportImpersonation=1']), [], JSON.stringify(text));
    }
  });
  it('inserts into support options ending in a lone CR or a BOM, within the document', () => {
    assert.equal(insert('support-options.txt', 'A=1\n\r'), 'A=1\nUseEwsImportImpersonation=1\n\r');
    assert.equal(insert('support-options.txt', '\uFEFF'), '\uFEFFUseEwsImportImpersonation=1\n');
  });
  it('applies inserts at one position in array order', () => {
    const at = { line: 0, column: 1, endLine: 0, endColumn: 1 };
    assert.equal(applyEdits('ab', [{ ...at, newText: '1' }, { ...at, newText: '2' }]), 'a12b');
    assert.equal(applyEdits('ab', [{ line: 0, column: 1, endLine: 0, endColumn: 2, newText: 'X' }, { ...at, newText: '1' }]), 'a1X');
  });
});
