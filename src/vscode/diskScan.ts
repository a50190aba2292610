// "Scan Log File on Disk…": for logs too big for the editor. Streams the file in chunks, yields to the
// host between chunks, shows progress with cancel and a live count, and fills the Problems panel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { StreamScanner } from '../core/scan/scanner';
import { explainMarkdown } from '../core/explain/explain';
import { parseConfig } from '../core/config/parse';
import { decode, findConfigFor, sniffBytes } from '../node/files';
import type { DocumentManager } from './documents';
import type { EngineHost } from './engineHost';
import { nodeRuleBudget } from '../node/regexGuard';

const CHUNK = 1 << 20;

export async function scanFileOnDisk(host: EngineHost, docs: DocumentManager, log: vscode.LogOutputChannel, uri?: vscode.Uri): Promise<number | undefined> {
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Scan', filters: { 'Logs and reports': ['log', 'txt', 'csv'], 'All files': ['*'] } });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const file = uri.fsPath;
  const engine = host.get();
  const size = fs.statSync(file).size;
  const budget = nodeRuleBudget();
  const t0 = Date.now();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Migration Doctor: scanning ${path.basename(file)}`, cancellable: true },
    async (progress, token) => {
      const fh = await fs.promises.open(file, 'r');
      try {
        const buf = Buffer.allocUnsafe(CHUNK);
        let { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        const sniff = sniffBytes(buf.subarray(0, Math.min(bytesRead, 8192)));
        if (sniff.binary) return { skipped: 'binary file' as const };
        const decoder = new TextDecoder(sniff.encoding);
        const scanner = new StreamScanner(engine.matcher, { budget });
        let done = 0;
        let first = true;
        let lastReport = 0;
        while (bytesRead > 0) {
          if (token.isCancellationRequested) return { cancelled: true as const, scanner, done };
          scanner.push(decoder.decode(first ? buf.subarray(sniff.bom, bytesRead) : buf.subarray(0, bytesRead), { stream: true }));
          first = false;
          done += bytesRead;
          const pct = size ? (done / size) * 100 : 100;
          if (pct - lastReport >= 1 || done === size) {
            progress.report({ increment: pct - lastReport, message: `${Math.round(done / 1048576)} / ${Math.round(size / 1048576)} MB · ${scanner.sink.findings.length} finding(s)` });
            lastReport = pct;
          }
          await new Promise((r) => setImmediate(r)); // let the host breathe between chunks
          ({ bytesRead } = await fh.read(buf, 0, CHUNK, null));
        }
        scanner.push(decoder.decode());
        scanner.end();
        return { scanner, done };
      } finally {
        await fh.close();
      }
    },
  );
  if ('skipped' in result) {
    void vscode.window.showInformationMessage(`Migration Doctor: ${path.basename(file)} looks binary; it was not scanned.`);
    return 0;
  }
  const cfgFile = findConfigFor(file);
  let config;
  try {
    config = cfgFile ? parseConfig(cfgFile, decode(fs.readFileSync(cfgFile)).text) : undefined;
  } catch {
    config = undefined;
  }
  for (const id of budget.exceeded) log.warn(`on-disk scan of ${file}: rule '${id}' took more than ${budget.ms} ms and was switched off for this file (check its patterns for catastrophic backtracking)`);
  const findings = engine.analyze(result.scanner.sink.findings, { config, newConfigFile: cfgFile ? undefined : path.join(path.dirname(file), 'support-options.txt') });
  docs.collection.set(uri, findings.map((f) => docs.findingDiagnostic(f)));
  const ms = Date.now() - t0;
  const cancelled = 'cancelled' in result;
  log.info(`on-disk scan of ${file}: ${findings.length} finding(s), ${result.scanner.lines} lines, ${(result.done / 1048576).toFixed(1)} MB in ${ms} ms${cancelled ? ' (cancelled)' : ''}`);
  // the prompt is not awaited: the command resolves with the count as soon as the Problems panel is filled
  void vscode.window
    .showInformationMessage(
      `Migration Doctor: ${findings.length} finding(s) in ${path.basename(file)}${cancelled ? ' (scan cancelled, partial results)' : ''}. They are in the Problems panel.`,
      'Open Report',
    )
    .then(async (pick) => {
      if (pick !== 'Open Report') return;
      const body = [`# Migration Doctor report: ${path.basename(file)}`, '', `${findings.length} finding(s), ${result.scanner.lines} lines scanned.`, ''];
      for (const f of findings) body.push(`## Line ${f.line + 1}${f.count > 1 ? ` (×${f.count})` : ''}`, '', explainMarkdown(f), '');
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: body.join('\n') });
      await vscode.window.showTextDocument(doc, { preview: false });
    });
  return findings.length;
}
