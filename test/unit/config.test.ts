import * as assert from 'node:assert/strict';
import { parseSupportOptions, parseYamlConfig, parseConfig } from '../../src/core/config/parse';
import { checkConfig } from '../../src/core/config/check';
import { applyEdits } from '../../src/core/edits';

const G1 = '1b730954-1685-4b74-9bfd-dac224a7b894';
const G2 = '9188040d-6c67-4c5b-b112-36a304b66dad';

describe('support-options parser', () => {
  it('parses Key=Value lines with exact ranges, comments and quotes', () => {
    const text = `# project options\r\nModernAuthClientIdImport=${G1}\r\n  FolderMapping="^INBOX/->"\r\n\r\nUseEwsImportImpersonation = 1\r\n`;
    const cfg = parseSupportOptions('support-options.txt', text);
    assert.equal(cfg.eol, '\r\n');
    assert.deepEqual(cfg.options.map((o) => [o.key, o.value, o.quoted]), [
      ['ModernAuthClientIdImport', G1, false],
      ['FolderMapping', '^INBOX/->', true],
      ['UseEwsImportImpersonation', '1', false],
    ]);
    const fm = cfg.options[1];
    assert.deepEqual(fm.keyRange, { line: 2, column: 2, endLine: 2, endColumn: 15 });
    assert.deepEqual(fm.valueRange, { line: 2, column: 16, endLine: 2, endColumn: 27 });
    assert.deepEqual(cfg.options[2].valueRange, { line: 4, column: 28, endLine: 4, endColumn: 29 });
  });
  it('reports a line that is not Key=Value', () => {
    const cfg = parseSupportOptions('s.txt', 'just words\nA=1\n');
    assert.equal(cfg.syntax.length, 1);
    assert.equal(cfg.syntax[0].range.line, 0);
  });
});

describe('YAML project parser', () => {
  const text = [
    'project: Contoso IMAP to M365',
    'system: MigrationWiz',
    'source: { type: IMAP, server: imap.example.com, port: 993, useSsl: false }',
    'destination: { type: ExchangeOnline, useImpersonation: true }',
    'supportOptions:',
    `  - ModernAuthClientIdImport=${G1}`,
    `  - "FolderMaping=^INBOX/->"`,
    '',
  ].join('\n');
  it('parses endpoints and options with ranges inside the YAML', () => {
    const cfg = parseYamlConfig('p.migration.yaml', text);
    assert.equal(cfg.syntax.length, 0);
    assert.equal(cfg.source?.port, 993);
    assert.equal(cfg.source?.useSsl, false);
    assert.deepEqual(cfg.options.map((o) => o.key), ['ModernAuthClientIdImport', 'FolderMaping']);
    assert.deepEqual(cfg.options[0].keyRange, { line: 5, column: 4, endLine: 5, endColumn: 28 });
    assert.deepEqual(cfg.options[1].keyRange, { line: 6, column: 5, endLine: 6, endColumn: 17 });
    assert.deepEqual(cfg.options[0].valueRange, { line: 5, column: 29, endLine: 5, endColumn: 65 });
  });
  it('checks: pair, did-you-mean and SSL/port on a YAML file', () => {
    const codes = checkConfig(parseYamlConfig('p.migration.yaml', text)).map((p) => p.code).sort();
    assert.deepEqual(codes, ['missing-pair', 'ssl-port', 'unknown-key']);
  });
  it('keeps the diagnostics good lines allow when the YAML is broken', () => {
    const cfg = parseYamlConfig('p.migration.yaml', 'supportOptions:\n  - FolderMaping="x->y"\n  - [broken\n');
    assert.ok(cfg.syntax.length >= 1);
  });
});

describe('config checks', () => {
  const check = (t: string) => checkConfig(parseSupportOptions('support-options.txt', t));
  it('suggests a known key for a typo, with a rename fix', () => {
    const [p] = check('FolderMaping="^INBOX/->"\n');
    assert.equal(p.code, 'unknown-key');
    assert.match(p.message, /Did you mean 'FolderMapping'/);
    assert.equal(applyEdits('FolderMaping="^INBOX/->"\n', p.fixes[0].edits), 'FolderMapping="^INBOX/->"\n');
  });
  it('flags a value that is not a GUID, and a placeholder', () => {
    const ps = check(`ModernAuthClientIdImport=not-a-guid\nModernAuthTenantIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n`);
    assert.deepEqual(ps.map((p) => p.code), ['not-a-guid', 'placeholder']);
    assert.deepEqual(ps[0].range, { line: 0, column: 25, endLine: 0, endColumn: 35 });
  });
  it('offers to strip braces around a GUID', () => {
    const t = `ModernAuthClientIdImport={${G1}}\nModernAuthTenantIdImport=${G2}\n`;
    const [p] = check(t);
    assert.equal(p.code, 'not-a-guid');
    assert.equal(applyEdits(t, p.fixes[0].edits).split('\n')[0], `ModernAuthClientIdImport=${G1}`);
  });
  it('flags a ClientId without its TenantId (and the reverse), and fixes it by adding the pair', () => {
    const t = `ModernAuthClientIdImport=${G1}\n`;
    const [p] = check(t);
    assert.equal(p.code, 'missing-pair');
    const fixed = applyEdits(t, p.fixes[0].edits);
    assert.equal(fixed, `ModernAuthClientIdImport=${G1}\nModernAuthTenantIdImport=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\n`);
    assert.equal(check(`ModernAuthTenantIdExport=${G2}\n`)[0].code, 'missing-pair');
  });
  it('flags an Export/Import mix-up', () => {
    const ps = check(`ModernAuthClientIdExport=${G1}\nModernAuthTenantIdImport=${G2}\n`);
    assert.deepEqual(ps.map((p) => p.code), ['side-mixup', 'side-mixup']);
  });
  it('flags duplicates and conflicts', () => {
    const ps = check(`UseEwsImportImpersonation=1\nUseEwsImportImpersonation=1\nAllowQuoteInFolder=1\nAllowQuoteInFolder=0\n`);
    assert.deepEqual(ps.map((p) => p.code), ['duplicate', 'conflict']);
    assert.equal(ps[1].severity, 'error');
    assert.equal(ps[0].related?.[0].range.line, 0);
  });
  it('flags an unquoted FolderMapping (fix quotes it) and an invalid regex', () => {
    const t = 'FolderMapping=^INBOX/->\n';
    const [p] = check(t);
    assert.equal(p.code, 'mapping-unquoted');
    assert.equal(applyEdits(t, p.fixes[0].edits), 'FolderMapping="^INBOX/->"\n');
    assert.equal(check('FolderMapping="^(INBOX/->"\n')[0].code, 'mapping-invalid');
    assert.equal(check('FolderMapping="^INBOX/"\n')[0].code, 'mapping-invalid');
  });
  it('flags flags that are not 0/1 and accepts a clean config', () => {
    assert.equal(check('UseEwsImportImpersonation=yes\n')[0].code, 'bad-flag');
    assert.deepEqual(check(`ModernAuthClientIdImport=${G1}\nModernAuthTenantIdImport=${G2}\nUseEwsImportImpersonation=1\nFolderMapping="^INBOX/->"\n`), []);
  });
  it('flags port 143 with SSL', () => {
    const cfg = parseConfig('x.migration.yaml', 'source:\n  type: IMAP\n  port: 143\n  useSsl: true\n');
    const [p] = checkConfig(cfg);
    assert.equal(p.code, 'ssl-port');
    assert.deepEqual(p.range, { line: 2, column: 8, endLine: 2, endColumn: 11 });
  });
  it('warns about a client secret kept in a config', () => {
    assert.equal(check('ClientSecret=abc~def\n').find((p) => p.code === 'secret-in-config')?.severity, 'warning');
  });
});
