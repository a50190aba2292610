// Secrets in logs and configs: passwords, client secrets, app passwords, bearer tokens, JWTs, SAS and refresh
// tokens. `maskSecrets` keeps the key and masks the value, so a masked line still reads naturally.

export const MASK = '‹redacted›';

interface SecretPattern {
  kind: string;
  re: RegExp;
  /** index of the group holding the secret value (the rest of the match is kept) */
  group: number;
}

const KEY_WORDS = String.raw`(?:client[_-]?secret|clientsecret|app[_-]?secret|application[_ -]?secret|secret[_-]?value|password|passwd|pwd|app[_-]?password|application[_ -]?password|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|apikey|sharedaccesskey|accountkey|client[_-]?assertion|private[_-]?key)`;

const PATTERNS: SecretPattern[] = [
  // JSON / query / key=value / key: value forms, quoted or not
  { kind: 'key-value', re: new RegExp(String.raw`(["']?\b${KEY_WORDS}["']?\s*[=:]\s*)("[^"\r\n]{1,4096}"|'[^'\r\n]{1,4096}'|[^\s&;,"'<>)\]}]{1,4096})`, 'gi'), group: 2 },
  // Authorization headers and Bearer tokens
  { kind: 'bearer', re: /(\bBearer\s+)([A-Za-z0-9\-._~+/]{8,}=*)/g, group: 2 },
  { kind: 'basic', re: /(\bAuthorization:\s*Basic\s+)([A-Za-z0-9+/]{6,}=*)/gi, group: 2 },
  // JSON Web Tokens anywhere
  { kind: 'jwt', re: /()(\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g, group: 2 },
  // Azure SAS signatures in URLs
  { kind: 'sas', re: /([?&]sig=)([A-Za-z0-9%+/=]{10,})/gi, group: 2 },
  // Entra client secret values (~ in the 4th position: 3 chars, '~', 34+ chars)
  { kind: 'client-secret', re: /()(\b[A-Za-z0-9_.-]{3}\dQ~[A-Za-z0-9_.~-]{30,}|\b[A-Za-z0-9]{3}~[A-Za-z0-9_.~-]{34,})/g, group: 2 },
  // passwords in URLs: scheme://user:password@host
  { kind: 'url-password', re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]{1,256})(@)/gi, group: 2 },
];

export interface SecretHit {
  kind: string;
  start: number;
  end: number;
}

/** Positions of secret values in a text (for diagnostics and tests). */
export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text))) {
      const before = m.slice(1, p.group).reduce((n, g) => n + (g?.length ?? 0), 0);
      const value = m[p.group] ?? '';
      if (!value || isPlaceholder(value)) continue;
      const start = m.index + before;
      hits.push({ kind: p.kind, start, end: start + value.length });
      if (m[0].length === 0) p.re.lastIndex++;
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretHit[] = [];
  for (const h of hits) {
    const last = merged[merged.length - 1];
    if (last && h.start < last.end) last.end = Math.max(last.end, h.end);
    else merged.push({ ...h });
  }
  return merged;
}

function isPlaceholder(v: string): boolean {
  const t = v.replace(/^["']|["']$/g, '');
  return t === '' || /^(\*+|x+|<[^>]*>|\$\{[^}]*\}|%[A-Z_]+%|null|none|true|false|redacted|‹redacted›|\*\*\*.*)$/i.test(t) || t === MASK;
}

/** The text with every secret value replaced by MASK (quotes kept). */
export function maskSecrets(text: string): string {
  if (!text) return text;
  const hits = findSecrets(text);
  if (!hits.length) return text;
  let out = '';
  let pos = 0;
  for (const h of hits) {
    let s = h.start;
    let e = h.end;
    const q = text[s];
    if ((q === '"' || q === "'") && text[e - 1] === q && e - s >= 2) {
      s++;
      e--;
    }
    out += text.slice(pos, s) + MASK;
    pos = e;
  }
  return out + text.slice(pos);
}

export function hasSecret(text: string): boolean {
  return findSecrets(text).length > 0;
}
