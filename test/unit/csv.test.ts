import * as assert from 'node:assert/strict';
import { csvCells, parseCsvHeader, refineCsvFinding } from '../../src/core/scan/csv';
import { sideFromHosts, sideFromText } from '../../src/core/scan/side';

describe('CSV reports', () => {
  it('splits cells with exact ranges, quotes and escaped quotes', () => {
    const row = 'a,"b, c","d ""e""",,f';
    assert.deepEqual(csvCells(row).map((c) => [c.value, row.slice(c.start, c.end)]), [
      ['a', 'a'], ['b, c', '"b, c"'], ['d "e"', '"d ""e"""'], ['', ''], ['f', 'f'],
    ]);
  });
  it('points a finding at the Message cell of an SPMT ItemFailureReport row', () => {
    const header = 'Source,Destination,Item name,Extension,Item size,Content type,Status,Result category,Message,Error code,Source item ID';
    const h = parseCsvHeader(header)!;
    assert.ok(h);
    const row = '\\\\fs01\\share\\a.docx,https://contoso.sharepoint.com/sites/x/Shared Documents,a.docx,docx,1200,File,Failed,Failed,"Check your credentials and then reenter your username and password.",0x0201000C,1';
    const at = row.indexOf('0x0201000C');
    const r = refineCsvFinding(h, row, at, at + 10);
    assert.equal(row.slice(r.column, r.endColumn), '0x0201000C');
    assert.equal(r.cell, 'error code');
    const m = row.indexOf('Check your credentials');
    const r2 = refineCsvFinding(h, row, m, m + 22);
    assert.equal(row.slice(r2.column, r2.endColumn), 'Check your credentials and then reenter your username and password.');
  });
  it('narrows a whole-row match to the message cell and reads side and user from the columns', () => {
    const header = 'TaskId,Name,SourcePath,FullPath,Action,ResultCode,FailureReason';
    const h = parseCsvHeader(header)!;
    const row = 't-1,report.pdf,/Finance/report.pdf,/Finance/report.pdf,Upload,MAUTHACCESSTOKENINVALID,access token is invalid or expired';
    const r = refineCsvFinding(h, row, 0, row.length);
    assert.equal(row.slice(r.column, r.endColumn), 'access token is invalid or expired');
    assert.equal(r.side, 'destination');
    const mw = parseCsvHeader('Project Type,Project Name,Mailbox Id,Source Email Address,Destination Email Address,Type,Date,Size (bytes),Error,Subject')!;
    const row2 = 'Mailbox-ExchangeOnline2-ExchangeOnline2,P1,4f1c,ann@contoso.com,ann@fabrikam.com,Error,1/2/2026 3:04 PM,0,"Your migration failed while checking destination credentials. 401 Unauthorized",';
    const r2 = refineCsvFinding(mw, row2, row2.indexOf('Your'), row2.indexOf('Your') + 20);
    assert.equal(r2.user, 'ann@contoso.com');
  });
  it('ignores lines that are not report headers', () => {
    assert.equal(parseCsvHeader('2026-11-02 10:00:00 a, b, c'), undefined);
    assert.equal(parseCsvHeader('just text'), undefined);
  });
});

describe('generic side detection', () => {
  it('reads the usual words for the two endpoints', () => {
    assert.equal(sideFromText('FailureSide : Target'), 'destination');
    assert.equal(sideFromText('FailureSide: Source'), 'source');
    assert.equal(sideFromText('Host1 failure: Error login on [imap.example.com]'), 'source');
    assert.equal(sideFromText('Destination: 401 Unauthorized from outlook.office365.com'), 'destination');
    assert.equal(sideFromText('Error while connecting to the source mailbox'), 'source');
    assert.equal(sideFromText('Failed to upload file successfully'), 'destination');
    assert.equal(sideFromText('Import-Module ExchangeOnlineManagement'), 'unknown');
    assert.equal(sideFromText('source and destination credentials both failed'), 'unknown');
  });
  it('matches hosts against the config endpoints', () => {
    const hosts = { source: 'imap.example.com', destination: 'outlook.office365.com' };
    assert.equal(sideFromHosts('LOGIN failed on imap.example.com:993', hosts), 'source');
    assert.equal(sideFromHosts('401 from outlook.office365.com', hosts), 'destination');
    assert.equal(sideFromHosts('401 from elsewhere', hosts), 'unknown');
  });
});
