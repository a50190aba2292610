// Keeps one DiagnosticCollection in step with open documents: logs get scanned, configs get checked.
// Adapts core results only; never matches text itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../core/analyze';
import { checkConfig, ConfigProblem } from '../core/config/check';
import { isConfigName, parseConfig, ProjectConfig } from '../core/config/parse';
import type { Severity } from '../core/rules/types';
import { decode, findConfigFor } from '../node/files';
import { IncrementalScan } from '../core/scan/incremental';
import type { RuleBudget } from '../core/scan/scanner';
import { nodeRuleBudget } from '../node/regexGuard';
import { parseCsvHeader } from '../core/scan/csv';
import type { Engine } from '../core/engine';
import type { EngineHost } from './engineHost';
import { customSeverity, readSettings } from './settings';

export const SOURCE = 'Migration Doctor';
const SNIFF_RE = /401|unauthori[sz]ed|aadsts|authenticat|login failed|autodiscover|migrationwiz|imapsync|host[12] failure|mrsproxy|ews|x-ms-diagnostics|mauth|invalid_grant|invalid_client|basic auth/i;
/** documents larger than this are not scanned in the editor: the on-disk scan handles them */
export const MAX_EDITOR_SCAN = 40 * 1024 * 1024;

export interface DocState {
  uri: vscode.Uri;
  version: number;
  kind: 'log' | 'config';
  findings: Finding[];
  configProblems: ConfigProblem[];
  configUri?: vscode.Uri;
  scannedAt: Date;
  ms: number;
  lines: number;
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Hint;
  }
}

export class DocumentManager implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('migration-doctor');
  private readonly states = new Map<string, DocState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly updated = new vscode.EventEmitter<DocState | undefined>();
  readonly onDidUpdate = this.updated.event;
  private readonly saidOnce = new Set<string>();
  private disposables: vscode.Disposable[] = [];
  /** per open log: the incremental scan kept in step with every edit, so a keystroke re-scans only its lines */
  private readonly incremental = new Map<string, { inc: IncrementalScan; version: number; engine: Engine; key: string; budget: RuleBudget }>();

  constructor(private readonly host: EngineHost, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!e.contentChanges.length) return;
        this.applyIncremental(e);
        this.schedule(e.document, 300);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (host.isPackFile(d.uri)) host.reload();
      }),
      host.onDidChange(() => this.refreshAll()),
      // a document stays in memory for a while after its editor closes: clear its diagnostics when its last tab goes
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          if (uri && !this.isInTab(uri)) this.forget(uri);
        }
        // ...and scan it again when a tab shows it again (no open event fires for a document still in memory)
        for (const tab of e.opened) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          const doc = uri && !this.states.has(uri.toString()) ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
          if (doc) this.schedule(doc, 0);
        }
      }),
    );
  }

  private isInTab(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
  }

  state(uri: vscode.Uri): DocState | undefined {
    return this.states.get(uri.toString());
  }

  allStates(): DocState[] {
    return [...this.states.values()];
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** re-analyse the logs tied to a config (cheap: re-uses nothing but the scan itself is fast) */
  refreshLogsTiedTo(configUri: vscode.Uri): void {
    for (const s of this.states.values()) {
      if (s.kind === 'log' && s.configUri?.toString() === configUri.toString()) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === s.uri.toString());
        if (doc) this.schedule(doc, 0);
      }
    }
  }

  schedule(doc: vscode.TextDocument, delay: number): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        try {
          this.refresh(doc);
        } catch (e) {
          this.log.error(`scan of ${doc.uri.fsPath} failed: ${(e as Error).message}`);
        }
      }, delay),
    );
  }

  classify(doc: vscode.TextDocument): 'log' | 'config' | undefined {
    if (doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-settings') return undefined;
    if (this.host.isPackFile(doc.uri)) return undefined;
    if (doc.languageId === 'migration-options' || isConfigName(doc.fileName)) return 'config';
    if (!['log', 'plaintext', 'csv'].includes(doc.languageId)) return undefined;
    const s = readSettings(doc.uri);
    if (s.logGlobs.some((g) => vscode.languages.match({ pattern: g }, doc) > 0)) return 'log';
    // a cheap sniff of the head decides for other plain-text documents
    const head = doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 2000), 0)).slice(0, 64 * 1024);
    return SNIFF_RE.test(head) ? 'log' : undefined;
  }

  /** Keep the document's incremental scan in step with an edit (cheap: only the changed lines are matched). */
  private applyIncremental(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const entry = this.incremental.get(key);
    if (!entry) return;
    const touchesHeader = entry.key.includes('\u0001csv') && e.contentChanges.some((c) => c.range.start.line === 0);
    if (entry.version !== e.document.version - 1 || touchesHeader) {
      this.incremental.delete(key); // out of step: the next refresh scans in full
      return;
    }
    const doc = e.document;
    try {
      entry.inc.applyEdits(
        e.contentChanges.map((c) => ({ startLine: c.range.start.line, oldEndLine: c.range.end.line + 1, newLineCount: c.text.split('\n').length })),
        (i) => doc.lineAt(i).text,
      );
      entry.version = doc.version;
    } catch (err) {
      this.log.warn(`incremental scan dropped for ${doc.fileName}: ${(err as Error).message}`);
      this.incremental.delete(key);
    }
  }

  /** Raw findings of a log document: from its incremental scan when in step, else a full scan that starts one. */
  private rawFindings(doc: vscode.TextDocument, engine: Engine, disabled: Set<string>) {
    const key = doc.uri.toString();
    const csv = doc.languageId === 'csv' || /\.csv$/i.test(doc.fileName) ? parseCsvHeader(doc.lineAt(0).text) : undefined;
    const optsKey = `${[...disabled].sort().join(',')}${csv ? `\u0001csv${doc.lineAt(0).text}` : ''}`;
    let entry = this.incremental.get(key);
    if (!entry || entry.engine !== engine || entry.key !== optsKey || entry.version !== doc.version) {
      const budget = nodeRuleBudget();
      const inc = new IncrementalScan(engine.matcher, { disabled, maxFindings: 5000, budget, csvHeader: csv });
      inc.full({ lineCount: doc.lineCount, getLine: (i) => doc.lineAt(i).text });
      entry = { inc, version: doc.version, engine, key: optsKey, budget };
      this.incremental.set(key, entry);
    }
    for (const id of entry.budget.exceeded) {
      void this.tell(`budget:${key}:${id}`, `Migration Doctor: rule '${id}' took more than ${entry.budget.ms} ms in ${path.basename(doc.fileName)} and is switched off for this document. Check its patterns for catastrophic backtracking.`);
    }
    return entry.inc.findings;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.incremental.delete(key);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.states.delete(key);
    this.collection.delete(uri);
    this.updated.fire(undefined);
  }

  private tell(key: string, message: string, ...actions: string[]): Thenable<string | undefined> | undefined {
    if (this.saidOnce.has(key)) return undefined;
    this.saidOnce.add(key);
    this.log.info(message);
    return vscode.window.showInformationMessage(message, ...actions);
  }

  refresh(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const settings = readSettings(doc.uri);
    const kind = settings.enable ? this.classify(doc) : undefined;
    if (!kind) {
      if (this.states.has(doc.uri.toString())) this.forget(doc.uri);
      return;
    }
    const t0 = Date.now();
    const version = doc.version;
    const size = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    if (size > MAX_EDITOR_SCAN) {
      const asked = this.tell(`big:${doc.uri}`, `Migration Doctor: ${path.basename(doc.fileName)} is too large to scan in the editor. Use "Migration Doctor: Scan Log File on Disk…" or the migration-doctor CLI.`, 'Scan on Disk');
      if (asked) {
        void asked.then((a) => {
          if (a) void vscode.commands.executeCommand('migrationDoctor.scanFileOnDisk', doc.uri);
        });
      }
      return;
    }
    if (looksBinary(doc.getText(new vscode.Range(0, 0, Math.min(doc.lineCount, 200), 0)))) {
      void this.tell(`bin:${doc.uri}`, `Migration Doctor: ${path.basename(doc.fileName)} looks binary; it is not scanned.`);
      this.collection.delete(doc.uri);
      return;
    }
    let state: DocState;
    if (kind === 'config') {
      const cfg = parseConfig(doc.fileName, doc.getText());
      const problems = checkConfig(cfg);
      state = { uri: doc.uri, version, kind, findings: [], configProblems: problems, scannedAt: new Date(), ms: Date.now() - t0, lines: doc.lineCount };
      this.collection.set(doc.uri, problems.map((p) => this.configDiagnostic(doc.uri, p)));
      this.states.set(doc.uri.toString(), state);
      this.refreshLogsTiedTo(doc.uri);
    } else {
      const engine = this.host.get();
      const disabled = new Set(engine.rules.filter((r) => customSeverity(settings.customizations, r.id) === 'off').map((r) => r.id));
      const tied = this.configFor(doc, settings.configPath);
      const raw = this.rawFindings(doc, engine, disabled);
      const ignored = this.ignoreSet(doc.uri, settings.ignore);
      const findings = engine
        .analyze(raw, {
          config: tied?.config,
          newConfigFile: tied ? undefined : doc.uri.scheme === 'file' ? path.join(path.dirname(doc.fileName), 'support-options.txt') : undefined,
          severityOverride: (id) => {
            const s = customSeverity(settings.customizations, id);
            return s === 'off' ? undefined : s;
          },
        })
        .filter((f) => !ignored.has(f.fingerprint));
      if (doc.version !== version) return; // stale: a newer version is scheduled
      state = { uri: doc.uri, version, kind, findings, configProblems: [], configUri: tied?.uri, scannedAt: new Date(), ms: Date.now() - t0, lines: doc.lineCount };
      this.states.set(doc.uri.toString(), state);
      const sorted = [...findings].sort((a, b) => sevRank(a.severity) - sevRank(b.severity) || a.line - b.line);
      const capped = sorted.slice(0, settings.maxFindingsPerFile);
      if (sorted.length > capped.length) this.log.info(`${path.basename(doc.fileName)}: showing ${capped.length} of ${sorted.length} findings (migrationDoctor.maxFindingsPerFile)`);
      this.collection.set(doc.uri, capped.map((f) => this.findingDiagnostic(f)));
    }
    this.log.debug(`${kind} ${path.basename(doc.fileName)} v${version}: ${state.findings.length + state.configProblems.length} finding(s) in ${state.ms} ms`);
    this.updated.fire(state);
  }

  findingDiagnostic(f: Finding): vscode.Diagnostic {
    const range = new vscode.Range(f.line, f.column, f.endLine, f.endColumn);
    const msg = f.count > 1 ? `${f.message} (×${f.count} in this file)` : f.message;
    const d = new vscode.Diagnostic(range, msg, toSeverity(f.severity));
    d.source = SOURCE;
    const target = f.rule.docUrl ? vscode.Uri.parse(f.rule.docUrl) : vscode.Uri.file(f.rule.pack);
    d.code = { value: f.ruleId, target };
    if (f.related.length) {
      d.relatedInformation = f.related.map(
        (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), new vscode.Range(r.range.line, r.range.column, r.range.endLine, r.range.endColumn)), r.message),
      );
    }
    return d;
  }

  configDiagnostic(uri: vscode.Uri, p: ConfigProblem): vscode.Diagnostic {
    const d = new vscode.Diagnostic(new vscode.Range(p.range.line, p.range.column, p.range.endLine, p.range.endColumn), p.message, toSeverity(p.severity));
    d.source = SOURCE;
    d.code = `config.${p.code}`;
    if (p.related?.length) d.relatedInformation = p.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Range(r.range.line, r.range.column, r.range.endLine, r.range.endColumn)), r.message));
    return d;
  }

  /** The config tied to a log: the setting's path, else the nearest config in its folder or above. */
  configFor(doc: vscode.TextDocument, configPath: string): { uri: vscode.Uri; config: ProjectConfig } | undefined {
    let file: string | undefined;
    if (configPath) {
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
      file = path.isAbsolute(configPath) ? configPath : folder ? path.join(folder.uri.fsPath, configPath) : undefined;
    } else if (doc.uri.scheme === 'file') {
      file = findConfigFor(doc.fileName, vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath);
    }
    if (!file) return undefined;
    const uri = vscode.Uri.file(file);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    try {
      const text = open ? open.getText() : decode(fs.readFileSync(file)).text;
      return { uri, config: parseConfig(file, text) };
    } catch {
      return undefined;
    }
  }

  ignoreSet(uri: vscode.Uri, fromSettings: string[]): Set<string> {
    const out = new Set(fromSettings);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) {
      try {
        for (const l of fs.readFileSync(path.join(folder.uri.fsPath, '.migration-doctor-ignore'), 'utf8').split(/\r?\n/)) {
          const t = l.replace(/#.*/, '').trim();
          if (t) out.add(t);
        }
      } catch {
        /* no ignore file */
      }
    }
    return out;
  }

  findingsAt(uri: vscode.Uri, line: number): Finding[] {
    const s = this.state(uri);
    if (!s) return [];
    return s.findings.filter((f) => f.line === line || (f.count > 1 && f.occurrences.includes(line)));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.collection.dispose();
    this.updated.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function sevRank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : s === 'info' ? 2 : 3;
}

function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0 || (c < 9 && c !== 0)) bad++;
  }
  return bad > 8 || (head.length > 0 && bad / head.length > 0.01);
}
