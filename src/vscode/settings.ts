// Typed access to the extension's settings (all `resource` scoped).
import * as vscode from 'vscode';
import type { Severity } from '../core/rules/types';

export const SECTION = 'migrationDoctor';

export interface Customization {
  rule: string;
  severity: Severity | 'off' | 'default';
}

export interface Settings {
  enable: boolean;
  rulePaths: string[];
  customizations: Customization[];
  configPath: string;
  logGlobs: string[];
  maxFindingsPerFile: number;
  ignore: string[];
}

export function readSettings(resource?: vscode.Uri): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, resource);
  const trusted = vscode.workspace.isTrusted;
  return {
    enable: c.get<boolean>('enable', true),
    // restricted in untrusted workspaces: a cloned repository must not bring rule packs or paths
    rulePaths: trusted ? c.get<string[]>('rulePaths', []) : [],
    customizations: trusted ? c.get<Customization[]>('rules.customizations', []) : [],
    configPath: trusted ? c.get<string>('configPath', '') : '',
    logGlobs: c.get<string[]>('logGlobs', ['**/*.log', '**/*migration*.txt', '**/*.csv']),
    maxFindingsPerFile: Math.max(1, c.get<number>('maxFindingsPerFile', 200)),
    ignore: c.get<string[]>('ignore', []),
  };
}

function globToRe(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/** eslint-style: later entries win; `!pattern` applies to rules that do NOT match. */
export function customSeverity(list: Customization[], ruleId: string): Severity | 'off' | undefined {
  let out: Severity | 'off' | undefined;
  for (const c of list) {
    if (!c || typeof c.rule !== 'string') continue;
    const neg = c.rule.startsWith('!');
    const hit = globToRe(neg ? c.rule.slice(1) : c.rule).test(ruleId);
    if (hit !== neg) out = c.severity === 'default' ? undefined : c.severity;
  }
  return out;
}
