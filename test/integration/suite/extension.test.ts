// The product's behaviours, driven through the real `vscode` API in a real extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'migration-doctor.migration-doctor';
const SOURCE = 'Migration Doctor';

function ws(...p: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...p);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

async function diagnosticsOf(uri: vscode.Uri, predicate: (d: vscode.Diagnostic[]) => boolean = (d) => d.length > 0, timeoutMs = 10000): Promise<vscode.Diagnostic[]> {
  return waitFor(`diagnostics on ${path.basename(uri.fsPath)}`, () => {
    const d = ours(uri);
    return predicate(d) ? d : undefined;
  }, timeoutMs);
}

function codeValue(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('migrationDoctor').update(key, value, vscode.ConfigurationTarget.Workspace);
}

suite('Migration Doctor in VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('[vsix] diagnostics on open: exact range, code with a docs link, severity, source, folded count', async () => {
    const uri = ws('logs', 'exo', 'migration.log');
    await open(uri);
    const diags = await diagnosticsOf(uri);
    assert.equal(diags.length, 1, diags.map((d) => d.message).join(' | '));
    const d = diags[0];
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.lineAt(1).text;
    assert.equal(d.range.start.line, 1);
    assert.equal(d.range.end.line, 1);
    assert.match(doc.getText(d.range), /401/);
    assert.ok(d.range.start.character >= line.indexOf('Your migration'));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, SOURCE);
    assert.equal(codeValue(d), 'migrationwiz.autodiscover-401');
    assert.ok(typeof d.code === 'object' && d.code.target instanceof vscode.Uri);
    assert.match(d.message, /^Destination: /);
    assert.match(d.message, /×2 in this file/);
  });

  test('no diagnostic on lookalikes (counts, builds, throttling, quoted folder names)', async () => {
    const uri = ws('logs', 'lookalike.log');
    const ed = await open(uri);
    // the extension has scanned it when its status is known; give the debounce time, then assert nothing came
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(ed.document.languageId, 'log');
    assert.deepEqual(ours(uri).map((d) => d.message), []);
  });

  test('updates after an edit, and an edit that removes the line clears the diagnostic', async () => {
    const uri = ws('logs', 'edit.log');
    const ed = await open(uri);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(ours(uri).length, 0);
    await ed.edit((b) => b.insert(new vscode.Position(2, 0), "2026-11-02 11:00:02 Your migration failed while checking source credentials. Http POST request to 'autodiscover-s.outlook.com' failed - 401 Unauthorized: bad\n"));
    const diags = await diagnosticsOf(uri);
    assert.equal(diags[0].range.start.line, 2);
    assert.match(diags[0].message, /^Source: /);
    await ed.edit((b) => b.delete(new vscode.Range(2, 0, 3, 0)));
    await diagnosticsOf(uri, (d) => d.length === 0);
  });

  test('diagnostics are cleared when the document closes', async () => {
    const uri = ws('logs', 'ignore.log');
    await open(uri);
    await diagnosticsOf(uri);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await diagnosticsOf(uri, (d) => d.length === 0, 15000);
  });

  test('[vsix] hover: title, failing endpoint, ranked causes with steps, config state, source, command links', async () => {
    const uri = ws('logs', 'exo', 'migration.log');
    await open(uri);
    await diagnosticsOf(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 30));
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(md, /Autodiscover/i);
    assert.match(md, /\*\*destination\*\* endpoint/);
    assert.match(md, /1\. \*\*Modern Authentication/);
    assert.match(md, /support-options\.txt has no ModernAuthClientIdImport and ModernAuthTenantIdImport/);
    assert.match(md, /Source: 001\\?_242b9102a0fe8768\.txt/);
    assert.match(md, /command:migrationDoctor\.applyFix\?/);
    assert.match(md, /command:migrationDoctor\.openConfig\?/);
    // the same explanation on the folded repeat's line
    const again = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 30));
    assert.ok(again.length >= 1);
    // nothing on a clean line
    const none = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 5));
    assert.ok(!none.some((h) => h.contents.some((c) => /Migration Doctor|Autodiscover/.test(typeof c === 'string' ? c : (c as vscode.MarkdownString).value))));
  });

  test('code actions: fix titles, the preferred one, and ignore', async () => {
    const uri = ws('logs', 'exo', 'migration.log');
    await open(uri);
    const [d] = await diagnosticsOf(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Add Modern Authentication support options for the destination in support-options.txt'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Ignore this finding')), titles.join(' | '));
    const preferred = actions.filter((a) => a.isPreferred).map((a) => a.title);
    assert.deepEqual(preferred, ['Add Modern Authentication support options for the destination in support-options.txt']);
  });

  test('[vsix] applying the Modern Auth fix writes both Import lines into the config and keeps the rest; twice adds nothing', async () => {
    const uri = ws('logs', 'exo', 'migration.log');
    await open(uri);
    const [d] = await diagnosticsOf(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred)!;
    assert.ok(fix.command);
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const cfgUri = ws('logs', 'exo', 'support-options.txt');
    const cfg = await waitFor('config edited', () => vscode.workspace.textDocuments.find((x) => x.uri.fsPath === cfgUri.fsPath && /ModernAuthTenantIdImport/.test(x.getText())));
    const text = cfg.getText();
    assert.match(text, /^# options for the EXO project\nUseEwsImportImpersonation=1\nModernAuthClientIdImport=client-id-guid\nModernAuthTenantIdImport=tenant-id-guid\n$/);
    // the snippet leaves the cursor on the first GUID placeholder
    const ed = vscode.window.activeTextEditor!;
    assert.equal(ed.document.uri.fsPath, cfgUri.fsPath);
    assert.equal(ed.document.getText(ed.selection), 'client-id-guid');
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    assert.equal(cfg.getText(), text, 'a second application duplicates nothing');
    await cfg.save();
  });

  test('config state: with both Import ids set the cause drops, related information points at the config lines', async () => {
    const uri = ws('logs', 'complete', 'migration.log');
    await open(uri);
    const [d] = await diagnosticsOf(uri);
    assert.doesNotMatch(d.message, /Most likely: Modern Authentication/);
    const rel = d.relatedInformation ?? [];
    assert.deepEqual(rel.map((r) => [path.basename(r.location.uri.fsPath), r.location.range.start.line]), [['support-options.txt', 0], ['support-options.txt', 1]]);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 30));
    const md = hovers.flatMap((h) => h.contents.map((c) => (c as vscode.MarkdownString).value)).join('\n');
    assert.match(md, /ModernAuthClientIdImport and ModernAuthTenantIdImport are set in support-options\.txt/);
  });

  test('create-config: a log with no config gets a fix that creates support-options.txt with the Export lines', async () => {
    const uri = ws('logs', 'nocfg', 'first-run.log');
    await open(uri);
    const [d] = await diagnosticsOf(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const create = actions.find((a) => /create support-options\.txt/.test(a.title));
    assert.ok(create?.command, actions.map((a) => a.title).join(' | '));
    await vscode.commands.executeCommand(create.command.command, ...(create.command.arguments ?? []));
    const cfgPath = ws('logs', 'nocfg', 'support-options.txt').fsPath;
    const doc = await waitFor('config created', () => vscode.workspace.textDocuments.find((x) => x.uri.fsPath === cfgPath && /ModernAuthTenantIdExport/.test(x.getText())));
    assert.match(doc.getText(), /ModernAuthClientIdExport=client-id-guid\nModernAuthTenantIdExport=tenant-id-guid\n/);
    assert.equal(doc.languageId, 'migration-options');
    await doc.save();
    assert.ok(fs.existsSync(cfgPath));
  });

  test('[vsix] config validation: did-you-mean, GUID, unquoted FolderMapping, with quick fixes', async () => {
    const uri = ws('config', 'support-options.txt');
    const ed = await open(uri);
    assert.equal(ed.document.languageId, 'migration-options');
    const diags = await diagnosticsOf(uri, (d) => d.length >= 3);
    const byCode = new Map(diags.map((d) => [codeValue(d), d]));
    assert.match(byCode.get('config.unknown-key')!.message, /Did you mean 'FolderMapping'\?/);
    assert.deepEqual([byCode.get('config.unknown-key')!.range.start.line, byCode.get('config.unknown-key')!.range.start.character, byCode.get('config.unknown-key')!.range.end.character], [0, 0, 12]);
    assert.equal(byCode.get('config.not-a-guid')!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(byCode.get('config.not-a-guid')!.range.start.line, 1);
    assert.ok(byCode.has('config.mapping-unquoted'));
    const d = byCode.get('config.unknown-key')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const rename = actions.find((a) => a.title === "Rename to 'FolderMapping'");
    assert.ok(rename?.edit, actions.map((a) => a.title).join(' | '));
    await vscode.workspace.applyEdit(rename.edit);
    assert.match(ed.document.lineAt(0).text, /^FolderMapping="\^INBOX\/->"$/);
    await diagnosticsOf(uri, (ds) => !ds.some((x) => codeValue(x) === 'config.unknown-key'));
  });

  test('YAML project: port/SSL mismatch and a ClientId without its TenantId', async () => {
    const uri = ws('config', 'imap.migration.yaml');
    await open(uri);
    const diags = await diagnosticsOf(uri, (d) => d.length >= 2);
    const codes = diags.map(codeValue).sort();
    assert.deepEqual(codes, ['config.missing-pair', 'config.ssl-port']);
    const pair = diags.find((x) => codeValue(x) === 'config.missing-pair')!;
    assert.equal(pair.range.start.line, 5);
  });

  test('fix-all (source.fixAll.migrationDoctor) inserts every preferred fix into the config, once', async () => {
    const uri = ws('logs', 'fixall', 'migration.log');
    await open(uri);
    await diagnosticsOf(uri, (d) => d.length >= 2);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.migrationDoctor');
    assert.equal(actions.length, 1, actions.map((a) => a.title).join(' | '));
    assert.ok(actions[0].edit);
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit));
    const cfg = await vscode.workspace.openTextDocument(ws('logs', 'fixall', 'support-options.txt'));
    const text = cfg.getText();
    assert.match(text, /^# fix-all fixture\n/);
    for (const k of ['ModernAuthClientIdImport', 'ModernAuthTenantIdImport', 'ModernAuthClientIdExport', 'ModernAuthTenantIdExport']) {
      assert.equal(text.split(`${k}=`).length - 1, 1, `${k} once in ${JSON.stringify(text)}`);
    }
    await cfg.save();
    // nothing left to fix: the action is computed against the config's current text
    const again = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.migrationDoctor');
    assert.equal(again.length, 0, again.map((a) => a.title).join(' | '));
  });

  test('ignore this finding hides it and records the fingerprint', async () => {
    const uri = ws('logs', 'ignore.log');
    await open(uri);
    const [d] = await diagnosticsOf(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const ign = actions.find((a) => a.title.startsWith('Ignore this finding'))!;
    await vscode.commands.executeCommand(ign.command!.command, ...(ign.command!.arguments ?? []));
    await diagnosticsOf(uri, (x) => x.length === 0);
    const file = fs.readFileSync(ws('.migration-doctor-ignore').fsPath, 'utf8');
    assert.match(file, /^migrationwiz\.database-not-found-401:[0-9a-f]{8} #/m);
    fs.unlinkSync(ws('.migration-doctor-ignore').fsPath);
  });

  test('severity customizations change the severity, and "off" hides the rule', async () => {
    const uri = ws('logs', 'complete', 'migration.log');
    await open(uri);
    await diagnosticsOf(uri);
    try {
      await setting('rules.customizations', [{ rule: 'migrationwiz.*', severity: 'warning' }]);
      await diagnosticsOf(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Warning);
      // "off" removes the rule; a lower-priority rule may then speak for the line, so switch off the pack
      await setting('rules.customizations', [{ rule: 'migrationwiz.autodiscover-401', severity: 'off' }]);
      await diagnosticsOf(uri, (d) => !d.some((x) => codeValue(x) === 'migrationwiz.autodiscover-401'));
      await setting('rules.customizations', [{ rule: '*', severity: 'off' }]);
      await diagnosticsOf(uri, (d) => d.length === 0);
    } finally {
      await setting('rules.customizations', undefined);
    }
    await diagnosticsOf(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Error);
  });

  test('a workspace rule pack adds findings, and a broken pack reports in its own file', async () => {
    const uri = ws('logs', 'custom.log');
    try {
      await setting('rulePaths', ['packs']);
      await open(uri);
      const [d] = await diagnosticsOf(uri);
      assert.equal(codeValue(d), 'acme.login-denied');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      const broken = await diagnosticsOf(ws('packs', 'broken.yaml'));
      assert.equal(broken[0].range.start.line, 4);
      assert.match(broken[0].message, /invalid regex/);
      // an exponential shape is refused on its line; a cubic one loads (linear-time engine in this host)
      const hostile = await diagnosticsOf(ws('packs', 'hostile.yaml'));
      assert.deepEqual(hostile.map((x) => x.range.start.line), [5], hostile.map((x) => x.message).join('; '));
      assert.match(hostile[0].message, /unsafe regex/);
      // the built-in rules still work next to the broken pack
      const exo = ws('logs', 'exo', 'migration.log');
      await open(exo);
      await diagnosticsOf(exo);
    } finally {
      await setting('rulePaths', undefined);
    }
    await diagnosticsOf(uri, (d) => d.length === 0);
  });

  test('support-options files get the migration-options language, with snippets', async () => {
    const doc = await vscode.workspace.openTextDocument(ws('logs', 'complete', 'support-options.txt'));
    assert.equal(doc.languageId, 'migration-options');
    const ed = await vscode.window.showTextDocument(doc);
    const items = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(doc.lineCount - 1, 0));
    const labels = items.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.some((l) => /modernauth-import|Modern Authentication \(destination\)/.test(l)), labels.slice(0, 20).join(', '));
    assert.ok(ed);
  });

  test('[vsix] Scan Log File on Disk fills the Problems panel for a file that is not open, CSV rows point at their message cell', async () => {
    const uri = ws('logs', 'reports', 'ItemFailureReport_R1.csv');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath));
    const count = await vscode.commands.executeCommand<number>('migrationDoctor.scanFileOnDisk', uri);
    assert.equal(count, 1);
    const [d] = await diagnosticsOf(uri);
    assert.equal(d.range.start.line, 1);
    const row = fs.readFileSync(uri.fsPath, 'utf8').split(/\r?\n/)[1];
    // the match is the SPMT code, so the finding points at the Error code cell of that row
    assert.equal(row.slice(d.range.start.character, d.range.end.character), '0x0201000C');
  });
});
