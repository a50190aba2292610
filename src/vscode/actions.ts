// Hover, code actions (quick fixes, fix-all, ignore) and the commands behind them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../core/analyze';
import { checkConfig } from '../core/config/check';
import { keyInfo } from '../core/config/keys';
import { parseConfig } from '../core/config/parse';
import { applyEdits, FileFix, TextEdit } from '../core/edits';
import { explainMarkdown } from '../core/explain/explain';
import { createConfigFix, insertOptionsEdits } from '../core/fixes/insert';
import { DocumentManager, SOURCE } from './documents';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('migrationDoctor');

export interface FindingRef {
  uri: string;
  line: number;
  ruleId: string;
}

function cmdUri(command: string, arg: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`;
}

function toRange(e: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(e.line, e.column, e.endLine, e.endColumn);
}

export class Actions implements vscode.HoverProvider, vscode.CodeActionProvider {
  constructor(private readonly docs: DocumentManager, private readonly log: vscode.LogOutputChannel) {}

  private find(ref: FindingRef): Finding | undefined {
    return this.docs.findingsAt(vscode.Uri.parse(ref.uri), ref.line).find((f) => f.ruleId === ref.ruleId);
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const state = this.docs.state(doc.uri);
    if (!state) return undefined;
    if (state.kind === 'config') return this.configHover(doc, pos);
    const findings = this.docs.findingsAt(doc.uri, pos.line);
    if (!findings.length) return undefined;
    const parts = findings.map((f) => {
      const ref: FindingRef = { uri: doc.uri.toString(), line: f.line, ruleId: f.ruleId };
      const md = new vscode.MarkdownString(
        explainMarkdown(f, {
          applyFix: (i) => cmdUri('migrationDoctor.applyFix', { ...ref, fix: i }),
          openConfig: state.configUri ? cmdUri('migrationDoctor.openConfig', { uri: state.configUri.toString() }) : undefined,
          ignore: cmdUri('migrationDoctor.ignoreFinding', ref),
        }),
      );
      md.isTrusted = { enabledCommands: ['migrationDoctor.applyFix', 'migrationDoctor.openConfig', 'migrationDoctor.ignoreFinding'] };
      return md;
    });
    const line = doc.lineAt(pos.line);
    return new vscode.Hover(parts, line.range);
  }

  private configHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const cfg = parseConfig(doc.fileName, doc.getText());
    const o = cfg.options.find((x) => x.keyRange.line === pos.line && pos.character >= x.keyRange.column && pos.character <= x.keyRange.endColumn);
    const info = o && keyInfo(o.key);
    if (!o || !info) return undefined;
    const side = info.side ? ` — ${info.side} (${info.side === 'source' ? 'Export' : 'Import'})` : '';
    return new vscode.Hover(new vscode.MarkdownString(`**${info.key}**${side}\n\n${info.doc}\n\nValue: ${info.format}`), new vscode.Range(o.keyRange.line, o.keyRange.column, o.keyRange.endLine, o.keyRange.endColumn));
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const state = this.docs.state(doc.uri);
    if (!state) return [];
    const wantFixAll = context.only && (FIX_ALL_KIND.contains(context.only) || context.only.contains(FIX_ALL_KIND) || context.only.value === vscode.CodeActionKind.SourceFixAll.value);
    if (wantFixAll || (context.only && vscode.CodeActionKind.Source.contains(context.only))) {
      const a = state.kind === 'config' ? this.configFixAll(doc) : this.logFixAll(doc);
      return a ? [a] : [];
    }
    const out: vscode.CodeAction[] = [];
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    for (const d of ours) {
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
      if (state.kind === 'config') {
        const p = state.configProblems.find((x) => `config.${x.code}` === code && x.range.line === d.range.start.line && x.range.column === d.range.start.character);
        for (const fx of p?.fixes ?? []) {
          const a = new vscode.CodeAction(fx.title, vscode.CodeActionKind.QuickFix);
          a.diagnostics = [d];
          a.isPreferred = fx.preferred;
          a.edit = new vscode.WorkspaceEdit();
          for (const e of fx.edits) a.edit.replace(doc.uri, toRange(e), e.newText);
          out.push(a);
        }
        continue;
      }
      const f = this.docs.findingsAt(doc.uri, d.range.start.line).find((x) => x.ruleId === code);
      if (!f) continue;
      const ref: FindingRef = { uri: doc.uri.toString(), line: f.line, ruleId: f.ruleId };
      f.fixes.forEach((fx, i) => {
        const a = new vscode.CodeAction(fx.title, vscode.CodeActionKind.QuickFix);
        a.diagnostics = [d];
        a.isPreferred = !!fx.preferred;
        a.command = { command: 'migrationDoctor.applyFix', title: fx.title, arguments: [{ ...ref, fix: i }] };
        out.push(a);
      });
      const ign = new vscode.CodeAction(`Ignore this finding (${f.ruleId})`, vscode.CodeActionKind.QuickFix);
      ign.diagnostics = [d];
      ign.command = { command: 'migrationDoctor.ignoreFinding', title: 'Ignore this finding', arguments: [ref] };
      out.push(ign);
    }
    return out;
  }

  /** All preferred fixes of a log's findings, as one edit of its config (no snippets: plain placeholders). */
  private logFixAll(doc: vscode.TextDocument): vscode.CodeAction | undefined {
    const state = this.docs.state(doc.uri)!;
    const fixes = state.findings.map((f) => f.fixes.find((x) => x.preferred) ?? f.fixes[0]).filter((x): x is FileFix => !!x && !!x.insertOptions);
    if (!fixes.length) return undefined;
    const file = fixes[0].file;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    const exists = !!open || fs.existsSync(file);
    const original = open ? open.getText() : exists ? fs.readFileSync(file, 'utf8') : '';
    let text = original;
    for (const fx of fixes.filter((x) => x.file === file)) {
      if (!exists && text === '') {
        text = applyEdits('', createConfigFix(file, fx.title, fx.insertOptions!).edits);
        continue;
      }
      text = applyEdits(text, insertOptionsEdits(parseConfig(file, text), fx.insertOptions!));
    }
    if (text === original) return undefined;
    const a = new vscode.CodeAction('Fix all Migration Doctor findings in the project config', FIX_ALL_KIND);
    a.edit = new vscode.WorkspaceEdit();
    const uri = vscode.Uri.file(file);
    if (!exists) {
      a.edit.createFile(uri, { ignoreIfExists: true });
      a.edit.insert(uri, new vscode.Position(0, 0), text);
    } else {
      const lines = original.split('\n');
      a.edit.replace(uri, new vscode.Range(0, 0, lines.length - 1, lines[lines.length - 1].length), text);
    }
    return a;
  }

  private configFixAll(doc: vscode.TextDocument): vscode.CodeAction | undefined {
    const original = doc.getText();
    let text = original;
    for (let guard = 0; guard < 200; guard++) {
      const p = checkConfig(parseConfig(doc.fileName, text)).find((x) => x.fixes.length);
      if (!p) break;
      const next = applyEdits(text, p.fixes[0].edits);
      if (next === text) break;
      text = next;
    }
    if (text === original) return undefined;
    const a = new vscode.CodeAction('Fix all Migration Doctor problems in this config', FIX_ALL_KIND);
    a.edit = new vscode.WorkspaceEdit();
    a.edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
    return a;
  }

  /** Insert a fix's options into the tied config as a snippet, re-computed against the config's current text. */
  async applyFix(arg: FindingRef & { fix: number }): Promise<boolean> {
    const f = this.find(arg);
    const fx = f?.fixes[arg.fix];
    if (!f || !fx) {
      void vscode.window.showWarningMessage('Migration Doctor: that finding is gone (the log changed). Hover the line again.');
      return false;
    }
    const uri = vscode.Uri.file(fx.file);
    let exists = true;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      exists = vscode.workspace.textDocuments.some((d) => d.uri.fsPath === fx.file);
    }
    if (!exists) {
      const we = new vscode.WorkspaceEdit();
      we.createFile(uri, { ignoreIfExists: true });
      await vscode.workspace.applyEdit(we);
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const options = fx.insertOptions ?? [];
    let edits: TextEdit[];
    if (doc.getText().length === 0) edits = createConfigFix(fx.file, fx.title, options).edits;
    else edits = insertOptionsEdits(parseConfig(fx.file, doc.getText()), options);
    if (!edits.length) {
      void vscode.window.showInformationMessage(`Migration Doctor: ${path.basename(fx.file)} already has ${options.map((o) => o.slice(0, o.indexOf('='))).join(', ')}.`);
      return false;
    }
    const e = edits[0];
    const ok = await editor.insertSnippet(new vscode.SnippetString(e.snippet ?? e.newText), new vscode.Position(e.line, e.column));
    this.log.info(`applied "${fx.title}" to ${fx.file}`);
    return ok;
  }

  async openConfig(arg?: { uri?: string }): Promise<void> {
    let uri = arg?.uri ? vscode.Uri.parse(arg.uri) : undefined;
    if (!uri) {
      const active = vscode.window.activeTextEditor?.document;
      const st = active && this.docs.state(active.uri);
      uri = st?.configUri;
    }
    if (!uri) {
      void vscode.window.showInformationMessage('Migration Doctor: no project config is tied to this log. Use a quick fix to create support-options.txt, or set migrationDoctor.configPath.');
      return;
    }
    await vscode.window.showTextDocument(uri, { preview: false });
  }

  /** Add the finding's fingerprint to .migration-doctor-ignore at the workspace folder root. */
  async ignoreFinding(ref: FindingRef): Promise<void> {
    const f = this.find(ref);
    const uri = vscode.Uri.parse(ref.uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!f) return;
    if (!folder) {
      const cfg = vscode.workspace.getConfiguration('migrationDoctor', uri);
      await cfg.update('ignore', [...cfg.get<string[]>('ignore', []), f.fingerprint], vscode.ConfigurationTarget.Global);
    } else {
      const file = path.join(folder.uri.fsPath, '.migration-doctor-ignore');
      const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Migration Doctor: fingerprints of ignored findings, one per line\n';
      if (!prev.split(/\r?\n/).includes(f.fingerprint)) {
        fs.writeFileSync(file, `${prev}${prev.endsWith('\n') ? '' : '\n'}${f.fingerprint} # ${f.title.replace(/\n/g, ' ')}\n`);
      }
    }
    this.log.info(`ignored ${f.fingerprint}`);
    this.docs.refreshAll();
  }
}
