// Placeholder entry point while the VS Code layer is built (replaced by the real adapters).
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const out = vscode.window.createOutputChannel('Migration Doctor');
  context.subscriptions.push(out);
  out.appendLine('Migration Doctor activated');
}

export function deactivate(): void {}
