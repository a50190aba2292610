// Loads the built-in packs and the workspace packs (trusted workspaces only) into one shared Engine.
// A broken workspace pack shows diagnostics in the pack file; the other packs keep working.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Engine } from '../core/engine';
import type { PackSource } from '../core/rules/loader';
import { decode, readBuiltinPacks } from '../node/files';
import { readSettings } from './settings';
import { enableLinearRegex } from '../node/regexGuard';

export class EngineHost implements vscode.Disposable {
  private engine?: Engine;
  private readonly packDiagnostics = vscode.languages.createDiagnosticCollection('migration-doctor-rules');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private packFiles = new Set<string>();

  constructor(private readonly extensionPath: string, private readonly log: vscode.LogOutputChannel) {}

  get(): Engine {
    if (!this.engine) this.engine = this.load();
    return this.engine;
  }

  isPackFile(uri: vscode.Uri): boolean {
    return this.packFiles.has(uri.fsPath);
  }

  reload(): void {
    this.engine = undefined;
    this.get();
    this.changed.fire();
  }

  private workspacePacks(): PackSource[] {
    const out: PackSource[] = [];
    this.packFiles = new Set();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const seen = new Set<string>();
    for (const folder of folders.length ? folders : [undefined]) {
      const settings = readSettings(folder?.uri);
      for (const p of settings.rulePaths) {
        const abs = path.isAbsolute(p) ? p : folder ? path.join(folder.uri.fsPath, p) : p;
        if (seen.has(abs)) continue;
        seen.add(abs);
        let files: string[] = [];
        try {
          files = fs.statSync(abs).isDirectory() ? fs.readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(abs, f)) : [abs];
        } catch {
          this.log.warn(`rule pack path not found: ${abs}`);
          continue;
        }
        for (const f of files) {
          try {
            const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === f);
            out.push({ file: f, text: open ? open.getText() : decode(fs.readFileSync(f)).text, trusted: false });
            this.packFiles.add(f);
          } catch (e) {
            this.log.warn(`cannot read rule pack ${f}: ${(e as Error).message}`);
          }
        }
      }
    }
    return out;
  }

  private load(): Engine {
    const t0 = Date.now();
    const { packs, vocabulary } = readBuiltinPacks(path.join(this.extensionPath, 'rules'));
    const user = this.workspacePacks();
    if (user.length) enableLinearRegex(); // before workspace patterns are compiled
    const engine = new Engine([...packs, ...user], vocabulary);
    this.packDiagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of engine.problems) {
      const d = new vscode.Diagnostic(
        new vscode.Range(p.line, p.column, p.endLine ?? p.line, p.endColumn ?? p.column + 1),
        p.message,
        p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'Migration Doctor';
      d.code = 'rule-pack';
      byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
      this.log.warn(`${p.file}:${p.line + 1}:${p.column + 1}: ${p.message}`);
    }
    for (const [file, diags] of byFile) this.packDiagnostics.set(vscode.Uri.file(file), diags);
    this.log.info(`loaded ${engine.rules.length} rules from ${packs.length} built-in and ${user.length} workspace pack(s) in ${Date.now() - t0} ms${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: workspace packs off)'}`);
    return engine;
  }

  dispose(): void {
    this.packDiagnostics.dispose();
    this.changed.dispose();
  }
}
