// Minimal unified diff (line LCS) for `fix --dry-run`; configs are small.
export function unifiedDiff(name: string, a: string, b: string, context = 3): string {
  const A = a.split('\n');
  const B = b.split('\n');
  const n = A.length;
  const m = B.length;
  if (n * m > 25_000_000) return `--- a/${name}\n+++ b/${name}\n@@ -1,${n} +1,${m} @@\n${A.map((l) => `-${l}`).join('\n')}\n${B.map((l) => `+${l}`).join('\n')}\n`;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = A[i] === B[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  type Op = { t: ' ' | '-' | '+'; s: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && A[i] === B[j]) ops.push({ t: ' ', s: A[i], ai: i++, bi: j++ });
    else if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) ops.push({ t: '+', s: B[j], ai: i, bi: j++ });
    else ops.push({ t: '-', s: A[i], ai: i++, bi: j });
  }
  let out = `--- a/${name}\n+++ b/${name}\n`;
  let k = 0;
  while (k < ops.length) {
    if (ops[k].t === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      if (ops[end].t !== ' ') {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run].t === ' ') run++;
      if (end + run >= ops.length || run > context * 2) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk[0].ai + 1;
    const bStart = hunk[0].bi + 1;
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out += `@@ -${aStart},${aLen} +${bStart},${bLen} @@\n${hunk.map((o) => o.t + o.s.replace(/\r$/, '')).join('\n')}\n`;
    k = end;
    start = end;
  }
  return out;
}
