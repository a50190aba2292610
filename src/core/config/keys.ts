// Known MigrationWiz support-option keys and their value formats.
// Source: ../shared/knowledge/domain-facts.md §1 (BitTitan KBs, SDK scripts, practitioner notes).

export type ValueFormat = 'guid' | 'flag' | 'int' | 'mapping' | 'text';

export interface KeyInfo {
  key: string;
  format: ValueFormat;
  side?: 'source' | 'destination';
  /** key of the same setting on the other side (Export <-> Import) */
  counterpart?: string;
  /** key that must accompany this one on the same side */
  pair?: string;
  doc: string;
}

const K = (key: string, format: ValueFormat, doc: string, extra: Partial<KeyInfo> = {}): KeyInfo => ({ key, format, doc, ...extra });

export const KNOWN_KEYS: KeyInfo[] = [
  K('ModernAuthClientIdExport', 'guid', 'Application (client) id of the Entra app used for Modern Authentication (OAuth) to EWS at the source.', { side: 'source', counterpart: 'ModernAuthClientIdImport', pair: 'ModernAuthTenantIdExport' }),
  K('ModernAuthTenantIdExport', 'guid', 'Directory (tenant) id of the source tenant, for Modern Authentication.', { side: 'source', counterpart: 'ModernAuthTenantIdImport', pair: 'ModernAuthClientIdExport' }),
  K('ModernAuthClientIdImport', 'guid', 'Application (client) id of the Entra app used for Modern Authentication (OAuth) to EWS at the destination.', { side: 'destination', counterpart: 'ModernAuthClientIdExport', pair: 'ModernAuthTenantIdImport' }),
  K('ModernAuthTenantIdImport', 'guid', 'Directory (tenant) id of the destination tenant, for Modern Authentication.', { side: 'destination', counterpart: 'ModernAuthTenantIdExport', pair: 'ModernAuthClientIdImport' }),
  K('UseEwsImportImpersonation', 'flag', 'Use EWS impersonation at the destination instead of delegation.', { side: 'destination', counterpart: 'UseEwsExportImpersonation' }),
  K('UseEwsExportImpersonation', 'flag', 'Use EWS impersonation at the source (key not confirmed by a public source).', { side: 'source', counterpart: 'UseEwsImportImpersonation' }),
  K('FolderMapping', 'mapping', 'Map source folders to destination folders: "<source regex>-><destination path>", double-quoted.'),
  K('RecipientMapping', 'mapping', 'Map source addresses or domains to destination ones: "a@src->b@dst", double-quoted.'),
  K('UserMapping', 'mapping', 'Map users in collaboration projects: "src->dst", double-quoted.'),
  K('AllowQuoteInFolder', 'flag', 'Accept folder names that contain quotes (IMAP "FolderNameWithQuote" errors).'),
  K('UseApplicationPermission', 'flag', 'SharePoint/OneDrive/Teams: authenticate with application permissions.'),
  K('UseApplicationPermissionAtSource', 'flag', 'Teams: application permissions at the source (0 = delegated).', { side: 'source', counterpart: 'UseApplicationPermissionAtDestination' }),
  K('UseApplicationPermissionAtDestination', 'flag', 'Teams: application permissions at the destination.', { side: 'destination', counterpart: 'UseApplicationPermissionAtSource' }),
  K('UseDelegatePermission', 'flag', 'SharePoint/OneDrive: use the delegated app.'),
  K('IncreasePathLengthLimit', 'flag', 'Use the 400-character path limit at SharePoint/OneDrive.'),
  K('ShrinkFoldersMaxLength', 'int', 'Truncate folder names to this length ("Request URL Too Long").'),
  K('RenameConflictingFiles', 'flag', 'Rename files that conflict after truncation.'),
  K('IgnoreConflictingFiles', 'flag', 'Skip conflicting files.'),
  K('InitializationTimeout', 'int', 'Longer initialization for very large accounts.'),
  K('ExtendedEwsTimeout', 'flag', 'Wait longer for EWS responses.'),
  K('OneDriveProLogAllSkippedPermission', 'flag', 'Log every skipped OneDrive permission.'),
  K('ExtensionExcludeFilter', 'text', 'File extensions to skip.'),
  K('DocumentBrowsingMode', 'text', 'Document project browsing mode (e.g. FullCopy).'),
  K('ShouldConvertToDestinationFormat', 'flag', 'Convert documents to the destination format.'),
  K('Tags', 'text', 'Project tags such as IpLockDown!.'),
  K('SyncItems', 'flag', 'Item-level sync option.'),
  K('FolderLimit', 'int', 'Maximum number of folders (document projects).'),
  K('MustMigrateAllPermissions', 'flag', 'Also migrate non-system folder permissions.'),
  K('MigrateGmailAllCalendar', 'flag', 'Gmail: migrate all user-created calendars.'),
  K('SuppressReminderDays', 'int', 'Suppress reminders of events older than this many days.'),
  K('InvalidCharacterReplacementString', 'text', 'Replacement for characters invalid in OneDrive/SharePoint.'),
  K('IgnoreListViewThreshold', 'flag', 'Avoid list view threshold problems in large libraries.'),
  K('LargeFileMigrations', 'flag', 'Large file handling.'),
  K('LargeFileMigrationsTimeout', 'int', 'Large file timeout in milliseconds.'),
  K('TestSharePointWithProjectConfigUrl', 'flag', 'Diagnostic option used with support.'),
];

export const KEY_INDEX = new Map(KNOWN_KEYS.map((k) => [k.key.toLowerCase(), k]));

export function keyInfo(key: string): KeyInfo | undefined {
  return KEY_INDEX.get(key.toLowerCase());
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const PLACEHOLDER_GUID_RE = /^x{8}-x{4}-x{4}-x{4}-x{12}$|^<.*>$|^\$\{\d+:[^}]*\}$/i;

/** Damerau-free Levenshtein distance, bounded. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const prev = new Array(b.length + 1).fill(0).map((_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export function suggestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of KNOWN_KEYS) {
    const d = editDistance(key, k.key);
    if (d < bestD) {
      bestD = d;
      best = k.key;
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 5)) ? best : undefined;
}

/** Export <-> Import and {Side} expansion. */
export function sideWord(side: 'source' | 'destination'): 'Export' | 'Import' {
  return side === 'source' ? 'Export' : 'Import';
}

export function expandSide(s: string, side: 'source' | 'destination'): string {
  return s.replace(/\{Side\}/g, sideWord(side)).replace(/\{side\}/g, side);
}
