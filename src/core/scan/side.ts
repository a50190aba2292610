// Generic side detection, used when a rule's own side detection says nothing: the words migration tools use
// for the two endpoints, and hosts matched against the tied config's endpoints.
import type { Side } from '../rules/types';

const SIDE_PATTERNS: { re: RegExp; side: Side }[] = [
  // Exchange move reports and MRS
  { re: /\bFailureSide\s*[:=]\s*"?(Source)\b/i, side: 'source' },
  { re: /\bFailureSide\s*[:=]\s*"?(Target|Destination)\b/i, side: 'destination' },
  // imapsync
  { re: /\bHost1\b/, side: 'source' },
  { re: /\bHost2\b/, side: 'destination' },
  // "Source:" / "Destination:" prefixes and labelled endpoints
  { re: /(?:^|[\s[(|])(?:Source|Src)\s*(?:endpoint|mailbox|tenant|server|connector|side|account)?\s*[:=]\s/i, side: 'source' },
  { re: /(?:^|[\s[(|])(?:Destination|Target|Dest)\s*(?:endpoint|mailbox|tenant|server|connector|side|account)?\s*[:=]\s/i, side: 'destination' },
  { re: /\b(?:checking|verifying|connecting to|connect to|logging in to|login to|sign-?in to) (?:the )?source\b/i, side: 'source' },
  { re: /\b(?:checking|verifying|connecting to|connect to|logging in to|login to|sign-?in to) (?:the )?(?:destination|target)\b/i, side: 'destination' },
  { re: /\bsource (?:endpoint|credentials|tenant|mailbox|server|connector)\b/i, side: 'source' },
  { re: /\b(?:destination|target) (?:endpoint|credentials|tenant|mailbox|server|connector)\b/i, side: 'destination' },
  // MigrationWiz's words for the two sides
  { re: /\bExport(?:ing)?\b(?![-_])/, side: 'source' },
  { re: /\bImport(?:ing)?\b(?![-_])/, side: 'destination' },
  // transfer direction (Mover / Migration Manager): download from the source, upload to the destination
  { re: /\bFailed to download\b|\bdownload(?:ing)? from\b/i, side: 'source' },
  { re: /\bFailed to upload\b|\bupload(?:ing)? to\b/i, side: 'destination' },
];

/** The side a line names, or 'unknown' when it names none or both. */
export function sideFromText(line: string): Side {
  if (/\b(?:source|export)\s+(?:and|&|or|\/)\s+(?:the\s+)?(?:destination|target|import)\b|\b(?:destination|target|import)\s+(?:and|&|or|\/)\s+(?:the\s+)?(?:source|export)\b/i.test(line)) return 'unknown';
  let found: Side = 'unknown';
  for (const p of SIDE_PATTERNS) {
    if (!p.re.test(line)) continue;
    if (found !== 'unknown' && found !== p.side) return 'unknown'; // both named: can't tell
    found = p.side;
  }
  return found;
}

export interface EndpointHosts {
  source?: string;
  destination?: string;
}

/** Match hosts in the line against the config's endpoint servers. */
export function sideFromHosts(line: string, hosts: EndpointHosts): Side {
  const lower = line.toLowerCase();
  const src = hosts.source?.toLowerCase();
  const dst = hosts.destination?.toLowerCase();
  const hasSrc = !!src && lower.includes(src);
  const hasDst = !!dst && lower.includes(dst);
  if (hasSrc && !hasDst) return 'source';
  if (hasDst && !hasSrc) return 'destination';
  return 'unknown';
}
