// Activation only wires providers; the engine loads on first use.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Actions, FIX_ALL_KIND } from './actions';
import { DocumentManager } from './documents';
import { EngineHost } from './engineHost';
import { scanFileOnDisk } from './diskScan';
import { SECTION } from './settings';
import { redactFileSync } from '../node/redact';
import { maskSecrets } from '../core/secrets';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'log' },
  { language: 'plaintext' },
  { language: 'csv' },
  { language: 'migration-options' },
  { pattern: '**/*.migration.{yaml,yml}' },
  { pattern: '**/migration-project.{yaml,yml}' },
];

export interface ExtensionApi {
  /** for tests and other extensions: the current findings of a document */
  findings(uri: vscode.Uri): { ruleId: string; line: number; side: string; causes: string[]; count: number }[];
  engineRuleCount(): number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('Migration Doctor', { log: true });
  const host = new EngineHost(context.extensionPath, log);
  const docs = new DocumentManager(host, log);
  const actions = new Actions(docs, log);
  const status = vscode.languages.createLanguageStatusItem('migrationDoctor.status', SELECTOR);
  status.name = 'Migration Doctor';
  status.command = { command: 'migrationDoctor.showOutput', title: 'Show log' };

  const updateStatus = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const st = doc && docs.state(doc.uri);
    if (!st) {
      status.text = '$(pass) Migration Doctor';
      status.detail = 'not a migration log or config';
      status.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const items = st.kind === 'log' ? st.findings.map((f) => f.severity) : st.configProblems.map((p) => p.severity);
    const errors = items.filter((s) => s === 'error').length;
    const warnings = items.filter((s) => s === 'warning').length;
    const rest = items.length - errors - warnings;
    status.text = items.length ? `$(warning) Migration Doctor: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${rest ? `, ${rest} info` : ''}` : '$(pass) Migration Doctor: no findings';
    status.detail = `${st.kind === 'log' ? 'log' : 'config'} scanned at ${st.scannedAt.toLocaleTimeString()} in ${st.ms} ms (${st.lines} lines)`;
    status.severity = errors ? vscode.LanguageStatusSeverity.Error : warnings ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  };

  context.subscriptions.push(
    log,
    host,
    docs,
    status,
    docs.onDidUpdate(updateStatus),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.languages.registerHoverProvider(SELECTOR, actions),
    vscode.languages.registerCodeActionsProvider(SELECTOR, actions, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] }),
    vscode.commands.registerCommand('migrationDoctor.applyFix', (arg) => actions.applyFix(arg)),
    vscode.commands.registerCommand('migrationDoctor.openConfig', (arg) => actions.openConfig(arg)),
    vscode.commands.registerCommand('migrationDoctor.ignoreFinding', (arg) => actions.ignoreFinding(arg)),
    vscode.commands.registerCommand('migrationDoctor.showOutput', () => log.show()),
    vscode.commands.registerCommand('migrationDoctor.rescan', () => {
      host.reload();
    }),
    vscode.commands.registerCommand('migrationDoctor.scanFileOnDisk', (uri?: vscode.Uri) => scanFileOnDisk(host, docs, log, uri)),
    vscode.commands.registerCommand('migrationDoctor.redactCopy', async (uri?: vscode.Uri) => {
      // explicit user action: writes <name>.redacted.<ext> next to the file; the original is never touched
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) return undefined;
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
      if (target.scheme !== 'file' || open?.isDirty) {
        const doc = await vscode.workspace.openTextDocument({ content: maskSecrets(open?.getText() ?? ''), language: open?.languageId ?? 'log' });
        await vscode.window.showTextDocument(doc, { preview: false });
        return doc.uri;
      }
      try {
        const r = redactFileSync(target.fsPath);
        log.info(`redacted copy ${r.out}: ${r.masked} line(s) with secrets masked`);
        await vscode.window.showTextDocument(vscode.Uri.file(r.out), { preview: false });
        void vscode.window.showInformationMessage(`Migration Doctor: wrote ${path.basename(r.out)} (${r.masked} line(s) with secrets masked). The original is unchanged.`);
        return vscode.Uri.file(r.out);
      } catch (e) {
        void vscode.window.showErrorMessage(`Migration Doctor: cannot redact ${path.basename(target.fsPath)}: ${(e as Error).message}`);
        return undefined;
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) host.reload();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => host.reload()),
  );
  updateStatus();
  // documents already open when the extension activates
  for (const d of vscode.workspace.textDocuments) docs.schedule(d, 0);
  log.info(`Migration Doctor activated (${path.basename(context.extensionPath)}; trusted workspace: ${vscode.workspace.isTrusted})`);

  return {
    findings: (uri) => (docs.state(uri)?.findings ?? []).map((f) => ({ ruleId: f.ruleId, line: f.line, side: f.side, causes: f.causes.map((c) => c.id), count: f.count })),
    engineRuleCount: () => host.get().rules.length,
  };
}

export function deactivate(): void {}
