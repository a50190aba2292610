// Workspace trust. "[restricted]" tests run in the runner's Restricted Mode pass (untrusted folder); in a trusted
// pass they are skipped. The trusted behaviour of the same settings is covered in extension.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const SOURCE = 'Migration Doctor';

function ws(...p: string[]): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, ...p);
}

async function until(what: string, probe: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

suite('Workspace trust', () => {
  suiteSetup(async function () {
    if (process.env.MD_TEST_MODE !== 'restricted') this.skip();
    await vscode.extensions.getExtension('migration-doctor.migration-doctor')!.activate();
  });

  test('[restricted] the folder is untrusted and the extension runs in Restricted Mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.extensions.getExtension('migration-doctor.migration-doctor')!.isActive);
  });

  test('[restricted] built-in rules still report on logs', async () => {
    const uri = ws('logs', 'exo', 'migration.log');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await until('built-in diagnostics', () => vscode.languages.getDiagnostics(uri).some((d) => d.source === SOURCE));
  });

  test('[restricted] workspace rule packs, config path and customizations from the workspace are ignored', async () => {
    // what a cloned repository could bring: its own packs (one broken), a config path, and rules switched off
    const settingsDir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode');
    fs.mkdirSync(settingsDir, { recursive: true });
    fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify({
      'migrationDoctor.rulePaths': ['packs'],
      'migrationDoctor.rules.customizations': [{ rule: '*', severity: 'off' }],
      'migrationDoctor.configPath': 'logs/complete/support-options.txt',
    }));
    await new Promise((r) => setTimeout(r, 1500)); // let the configuration service pick the file up
    await vscode.commands.executeCommand('migrationDoctor.rescan');
    const custom = ws('logs', 'custom.log');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(custom));
    const exo = ws('logs', 'exo', 'migration.log');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(exo));
    await until('built-in diagnostics despite "off"', () => vscode.languages.getDiagnostics(exo).some((d) => d.source === SOURCE));
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(vscode.languages.getDiagnostics(custom).filter((d) => d.source === SOURCE).map((d) => d.message), [], 'the workspace pack must not load');
    assert.deepEqual(vscode.languages.getDiagnostics(ws('packs', 'broken.yaml')), [], 'workspace packs are not even read');
    // the configPath is ignored: the exo log stays tied to its own folder's config, which lacks the Import ids
    const d = vscode.languages.getDiagnostics(exo).find((x) => x.source === SOURCE)!;
    assert.match(d.message, /Most likely: Modern Authentication/);
  });
});
