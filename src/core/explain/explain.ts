// Finding -> Markdown (hover, report) or plain text (CLI). Never echoes the log line itself.
import type { Finding } from '../analyze';
import type { Rule } from '../rules/types';

export interface MarkdownLinks {
  /** command URI applying fix i */
  applyFix?: (index: number) => string;
  /** command URI opening the tied config */
  openConfig?: string;
  /** command URI creating the config */
  ignore?: string;
}

function esc(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

function sideText(side: string): string {
  return side === 'source' ? 'the **source** endpoint' : side === 'destination' ? 'the **destination** endpoint' : 'an endpoint the line does not name';
}

export function sourceLabel(src: string): string {
  return /^https?:/.test(src) ? `[${src.replace(/^https?:\/\//, '').slice(0, 60)}](${src})` : esc(src);
}

export function explainMarkdown(f: Finding, links: MarkdownLinks = {}, maxCauses = 6): string {
  const out: string[] = [];
  out.push(`**${esc(f.title)}** — ${esc(f.system ?? 'Migration Doctor')}`);
  out.push('');
  out.push(`Failing: ${sideText(f.side)}${f.count > 1 ? ` · seen ${f.count} times in this file` : ''}`);
  if (f.rule.summary) out.push('', esc(f.rule.summary));
  if (f.configNotes.length) out.push('', `Config: ${f.configNotes.map(esc).join('; ')}.`);
  out.push('', '**Likely causes, most likely first**', '');
  f.causes.slice(0, maxCauses).forEach((c, i) => {
    const flag = c.ruledOut ? ' _(ruled out by the config)_' : c.raised ? ' _(matches the context)_' : '';
    out.push(`${i + 1}. **${esc(c.title)}**${flag}${c.note ? ` — ${esc(c.note)}` : ''}`);
    for (const s of c.steps) out.push(`    - ${esc(s)}`);
    if (c.source) out.push(`    - _Source: ${sourceLabel(c.source)}_`);
  });
  if (f.causes.length > maxCauses) out.push(`\n_${f.causes.length - maxCauses} less likely causes not shown._`);
  const actions: string[] = [];
  f.fixes.forEach((fx, i) => {
    if (links.applyFix) actions.push(`[${esc(fx.title)}](${links.applyFix(i)})`);
  });
  if (links.openConfig) actions.push(`[Open the project config](${links.openConfig})`);
  if (links.ignore) actions.push(`[Ignore this finding](${links.ignore})`);
  if (actions.length) out.push('', actions.join(' · '));
  const refs = (f.rule.links ?? []).map((l) => (l.url ? `[${esc(l.title)}](${l.url})` : `${esc(l.title)}${l.source ? ` (${esc(l.source)})` : ''}`));
  if (refs.length) out.push('', `References: ${refs.join(' · ')}`);
  out.push('', `\`${f.ruleId}\``);
  return out.join('\n');
}

export function explainText(f: Finding, opts: { maxCauses?: number; allSteps?: boolean } = {}): string[] {
  const max = opts.maxCauses ?? 3;
  const out: string[] = [];
  f.causes.slice(0, max).forEach((c, i) => {
    out.push(`${i + 1}. ${c.title}${c.ruledOut ? ' (ruled out by the config)' : ''}${c.note ? ` [${c.note}]` : ''}`);
    const steps = opts.allSteps ? c.steps : c.steps.slice(0, 1);
    for (const s of steps) out.push(`   - ${s}`);
  });
  return out;
}

export function explainRuleText(rule: Rule, vocabulary?: Map<string, string>): string {
  const out: string[] = [];
  out.push(`${rule.id}: ${rule.title}`);
  out.push(`  system: ${rule.system ?? '-'}   severity: ${rule.severity}   pack: ${rule.pack}`);
  if (rule.summary) out.push('', `  ${rule.summary}`);
  out.push('', '  Causes, most likely first:');
  rule.causes.forEach((c, i) => {
    out.push(`  ${i + 1}. ${c.title ?? vocabulary?.get(c.id) ?? c.id} (${c.id})`);
    for (const s of c.steps ?? []) out.push(`     - ${s}`);
    if (c.source) out.push(`     source: ${c.source}`);
  });
  if (rule.fixes?.length) {
    out.push('', '  Fixes:');
    for (const fx of rule.fixes) out.push(`  - ${fx.title}: ${fx.insertOptions.join(', ')}`);
  }
  if (rule.links?.length) {
    out.push('', '  References:');
    for (const l of rule.links) out.push(`  - ${l.title}${l.url ? ` <${l.url}>` : ''}${l.source ? ` (${l.source})` : ''}`);
  }
  return out.join('\n');
}
