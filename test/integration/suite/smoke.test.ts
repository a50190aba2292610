// Smoke tests: the extension loads in a real extension host. Tests whose title contains "[vsix]" also run
// against the packaged extension (the runner's second pass installs dist/migration-doctor.vsix).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'migration-doctor.migration-doctor';

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ') || 'none besides built-ins'}`);
  return ext;
}

suite('Smoke: extension host', () => {
  test('runs in a real Node extension host', () => {
    assert.equal(typeof process.versions.node, 'string');
    if (vscode.env.remoteName) {
      // code-server (the offline runner): the VS Code server forks the Node extension host through bootstrap-fork
      assert.match(process.argv[1] ?? '', /bootstrap-fork(\.js)?$/, `argv[1] = ${process.argv[1]}`);
      assert.equal(extension().extensionKind, vscode.ExtensionKind.Workspace);
    } else {
      // desktop VS Code (@vscode/test-electron)
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
    }
  });

  test('[vsix] the extension is present, activates, and is the build under test', async () => {
    const ext = extension();
    await ext.activate();
    assert.ok(ext.isActive);
    const main = ext.packageJSON.main as string | undefined;
    assert.ok(main, 'package.json has no main');
    const mainFile = path.join(ext.extensionPath, main);
    assert.ok(fs.existsSync(mainFile) || fs.existsSync(`${mainFile}.js`), `${main} is missing from ${ext.extensionPath}`);
    const mode = process.env.MD_TEST_MODE;
    const devPath = process.env.MD_EXTENSION_DEV_PATH;
    if (mode === 'dev' && devPath) {
      assert.equal(path.resolve(ext.extensionPath), path.resolve(devPath), 'expected the development folder');
    } else if (mode === 'vsix') {
      // installed from the .vsix into the run's extensions dir (<publisher>.<name>-<version>)
      assert.match(path.basename(ext.extensionPath), /^migration-doctor\.migration-doctor-\d/, `extensionPath = ${ext.extensionPath}`);
    }
  });

  test('[vsix] every contributed command is a registered migrationDoctor.* command', async () => {
    const ext = extension();
    await ext.activate();
    const contributed: string[] = ((ext.packageJSON.contributes?.commands ?? []) as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !c.startsWith('migrationDoctor.')), [], 'commands outside the migrationDoctor namespace');
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered after activation');
  });
});
