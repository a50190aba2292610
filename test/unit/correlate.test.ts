import * as assert from 'node:assert/strict';
import { parseSupportOptions, parseYamlConfig } from '../../src/core/config/parse';
import { applyEdits } from '../../src/core/edits';
import { builtinEngine } from './helpers';
import { Engine } from '../../src/core/engine';

const G1 = '1b730954-1685-4b74-9bfd-dac224a7b894';
const G2 = '9188040d-6c67-4c5b-b112-36a304b66dad';
const DEST = "Your migration failed while checking destination credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: The credentials used to access the configured mailbox are invalid.";
const SRC = DEST.replace('destination', 'source');

describe('correlation with the tied config', () => {
  const engine = builtinEngine();
  const one = (line: string, cfgText?: string, yaml = false) => {
    const config = cfgText === undefined ? undefined : yaml ? parseYamlConfig('p.migration.yaml', cfgText) : parseSupportOptions('support-options.txt', cfgText);
    const fs = engine.scan(line, { config, newConfigFile: '/logs/support-options.txt' });
    assert.equal(fs.length, 1);
    return fs[0];
  };

  it('ranks modern-auth-not-configured first when the destination ids are missing, with a note', () => {
    const f = one(DEST, 'UseEwsImportImpersonation=1\n');
    assert.equal(f.side, 'destination');
    assert.equal(f.causes[0].id, 'modern-auth-not-configured');
    assert.ok(f.configNotes.some((n) => /support-options\.txt has no ModernAuthClientIdImport/.test(n)), f.configNotes.join('|'));
  });

  it('drops that cause when both Import ids are set and well-formed, and says so', () => {
    const f = one(DEST, `ModernAuthClientIdImport=${G1}\nModernAuthTenantIdImport=${G2}\n`);
    assert.notEqual(f.causes[0].id, 'modern-auth-not-configured');
    const ma = f.causes.find((c) => c.id === 'modern-auth-not-configured')!;
    assert.equal(ma.ruledOut, true);
    assert.equal(ma.rank, f.causes.length);
    assert.match(ma.note!, /ModernAuthClientIdImport and ModernAuthTenantIdImport are set/);
    assert.equal(f.related.length, 2);
    assert.equal(f.fixes.filter((x) => /Modern/.test(x.title)).length, 0, 'no fix offered for keys already present');
  });

  it('does not drop it when a value is malformed', () => {
    const f = one(DEST, `ModernAuthClientIdImport=${G1}\nModernAuthTenantIdImport=oops\n`);
    assert.equal(f.causes[0].id, 'modern-auth-not-configured');
  });

  it('uses the side: Export ids do not satisfy a destination failure', () => {
    const f = one(DEST, `ModernAuthClientIdExport=${G1}\nModernAuthTenantIdExport=${G2}\n`);
    assert.equal(f.causes[0].id, 'modern-auth-not-configured');
    const s = one(SRC, `ModernAuthClientIdExport=${G1}\nModernAuthTenantIdExport=${G2}\n`);
    assert.notEqual(s.causes[0].id, 'modern-auth-not-configured');
  });

  it('fix inserts both Import lines, keeps the rest, and is idempotent', () => {
    const cfgText = '# options\nUseEwsImportImpersonation=1';
    const f = one(DEST, cfgText);
    const fx = f.fixes.find((x) => x.preferred)!;
    assert.match(fx.title, /Modern Authentication/);
    const once = applyEdits(cfgText, fx.edits);
    assert.equal(once, '# options\nUseEwsImportImpersonation=1\nModernAuthClientIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\nModernAuthTenantIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n');
    assert.equal(fx.edits[0].snippet, '\nModernAuthClientIdImport=${1:client-id-guid}\nModernAuthTenantIdImport=${2:tenant-id-guid}\n');
    const again = one(DEST, once).fixes.find((x) => /Modern/.test(x.title));
    assert.equal(again, undefined, 'a second application changes nothing');
  });

  it('fix keeps CRLF', () => {
    const f = one(DEST, 'UseEwsImportImpersonation=1\r\n');
    const out = applyEdits('UseEwsImportImpersonation=1\r\n', f.fixes.find((x) => x.preferred)!.edits);
    assert.equal(out, 'UseEwsImportImpersonation=1\r\nModernAuthClientIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\r\nModernAuthTenantIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\r\n');
  });

  it('fix inserts into supportOptions: of a YAML project, keeping its indentation and quoting', () => {
    const y = 'project: P\nsupportOptions:\n    - "UseEwsImportImpersonation=1"\ndestination: { type: ExchangeOnline }\n';
    const f = one(DEST, y, true);
    const out = applyEdits(y, f.fixes.find((x) => x.preferred)!.edits);
    assert.equal(out, 'project: P\nsupportOptions:\n    - "UseEwsImportImpersonation=1"\n    - "ModernAuthClientIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"\n    - "ModernAuthTenantIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"\ndestination: { type: ExchangeOnline }\n');
    const reparsed = parseYamlConfig('p.migration.yaml', out);
    assert.equal(reparsed.syntax.length, 0);
    assert.equal(reparsed.options.length, 3);
  });

  it('fix adds supportOptions: to a YAML project that has none', () => {
    const y = 'project: P\n';
    const out = applyEdits(y, one(DEST, y, true).fixes.find((x) => x.preferred)!.edits);
    assert.equal(parseYamlConfig('p.migration.yaml', out).options.length, 2);
  });

  it('offers to create a config when none is tied', () => {
    const f = one(DEST);
    const fx = f.fixes.find((x) => x.preferred)!;
    assert.equal(fx.createFile, true);
    assert.equal(fx.file, '/logs/support-options.txt');
    assert.match(fx.edits[0].newText, /ModernAuthClientIdImport=xxxxxxxx/);
  });

  it('offers both sides when the line does not tell the side', () => {
    const f = one("DatabaseNotFoundException - 401 Unauthorized - Http POST request to 'autodiscover-s.outlook.com' failed: MigrationWiz was not able to locate/access the mail database.");
    assert.equal(f.side, 'unknown');
    const titles = f.fixes.map((x) => x.title).join('|');
    if (f.fixes.some((x) => /Modern/.test(x.title))) assert.ok(/source/.test(titles) && /destination/.test(titles), titles);
  });
});

describe('cause weights', () => {
  it('a raised cause with a lower weight yields to one raised with weight 1, and still beats the unraised', () => {
    const pack = [
      '- id: w.rule',
      '  title: W',
      '  severity: error',
      '  patterns: ["login failed"]',
      '  causes:',
      '    - { id: wrong-credentials }',
      '    - { id: basic-auth-disabled, when: { line: ["basic"], weight: 0.5 } }',
      '    - { id: mfa-required, when: { line: ["mfa"] } }',
      '    - { id: token-expired, when: { line: ["token"], weight: 2 } }',
      '',
    ].join('\n');
    const e = new Engine([{ file: 'w.yaml', text: pack, trusted: true }]);
    const order = (line: string) => e.scan(line)[0].causes.map((c) => c.id);
    assert.deepEqual(order('login failed'), ['wrong-credentials', 'basic-auth-disabled', 'mfa-required', 'token-expired']);
    assert.deepEqual(order('login failed (basic)'), ['basic-auth-disabled', 'wrong-credentials', 'mfa-required', 'token-expired']);
    assert.deepEqual(order('login failed (basic, mfa)'), ['mfa-required', 'basic-auth-disabled', 'wrong-credentials', 'token-expired']);
    assert.deepEqual(order('login failed (basic, mfa, token)'), ['token-expired', 'mfa-required', 'basic-auth-disabled', 'wrong-credentials']);
    const bad = new Engine([{ file: 'b.yaml', text: pack.replace('weight: 2', 'weight: 9') }]);
    assert.match(bad.problems[0].message, /when\.weight/);
  });
});
