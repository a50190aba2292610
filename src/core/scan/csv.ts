// CSV reports (SPMT / Migration Manager ItemFailureReport*.csv, ProjectError.csv, TransactionItem.csv, Mover
// error reports, MigrationWiz error exports): a finding on a row points at its Message / Error code cell, and the
// row's columns give the side and the user.
import type { Side } from '../rules/types';
import { sideFromText } from './side';

export interface CsvCell {
  start: number;
  end: number;
  value: string;
}

export interface CsvHeader {
  columns: string[];
  /** cells that carry the error text, best first */
  messageCols: number[];
  /** cells that carry an error / result code */
  codeCols: number[];
  sideCols: number[];
  sourceUserCols: number[];
  destUserCols: number[];
  userCols: number[];
}

const norm = (s: string) => s.trim().replace(/^"|"$/g, '').trim().toLowerCase();

const MESSAGE = ['message', 'error message', 'error', 'failurereason', 'failure reason', 'task failure reason', 'failuremessage', 'details', 'additional info', 'reason'];
const CODE = ['error code', 'errorcode', 'resultcode', 'result code', 'result category', 'status code', 'last status code', 'statuscode'];
const SIDE = ['failureside', 'failure side', 'operationstep', 'operation step', 'action', 'side'];
const SRC_USER = ['source email address', 'source email', 'source user', 'sourceaddress', 'source'];
const DST_USER = ['destination email address', 'destination email', 'destination user', 'destinationaddress', 'destination'];
const USER = ['username', 'user', 'user name', 'upn', 'mailbox', 'email'];

/** Split one CSV line into cells with their column ranges (RFC 4180 quotes; a quote inside a cell is ""). */
export function csvCells(line: string): CsvCell[] {
  const cells: CsvCell[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    const start = i;
    let value = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          value += line.slice(i);
          i = n;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      cells.push({ start, end, value });
      i = end + 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      value = line.slice(start, end);
      cells.push({ start, end, value });
      i = end + 1;
    }
    if (i > n) break;
  }
  return cells;
}

function find(cols: string[], names: string[]): number[] {
  const out: number[] = [];
  for (const name of names) {
    const i = cols.indexOf(name);
    if (i >= 0 && !out.includes(i)) out.push(i);
  }
  return out;
}

/** Recognise a report header line; undefined when the line does not look like one. */
export function parseCsvHeader(line: string): CsvHeader | undefined {
  if (line.indexOf(',') < 0) return undefined;
  const columns = csvCells(line).map((c) => norm(c.value));
  if (columns.length < 3 || columns.some((c) => c.length > 60)) return undefined;
  const h: CsvHeader = {
    columns,
    messageCols: find(columns, MESSAGE),
    codeCols: find(columns, CODE),
    sideCols: find(columns, SIDE),
    sourceUserCols: find(columns, SRC_USER),
    destUserCols: find(columns, DST_USER),
    userCols: find(columns, USER),
  };
  return h.messageCols.length || h.codeCols.length ? h : undefined;
}

export interface CsvRefinement {
  column: number;
  endColumn: number;
  side?: Side;
  user?: string;
  cell?: string;
}

/**
 * Point a finding on a CSV row at the cell that explains it (the Message / Error code cell that holds the match,
 * else the row's first message or code cell) and read side and user from the row's columns.
 */
export function refineCsvFinding(h: CsvHeader, row: string, column: number, endColumn: number): CsvRefinement {
  const cells = csvCells(row);
  const inCell = cells.findIndex((c) => column >= c.start && column < Math.max(c.end, c.start + 1));
  const candidates = [...h.messageCols, ...h.codeCols].filter((i) => i < cells.length && cells[i].value.trim() !== '');
  let target = -1;
  if (inCell >= 0 && candidates.includes(inCell) && endColumn <= cells[inCell].end) target = inCell;
  else if (inCell >= 0 && endColumn <= cells[inCell].end && cells[inCell].value.trim() !== '') target = inCell;
  else if (candidates.length) target = candidates[0];
  const out: CsvRefinement = { column, endColumn };
  if (target >= 0) {
    const c = cells[target];
    // inside the quotes of a quoted cell
    const quoted = row[c.start] === '"';
    out.column = c.start + (quoted ? 1 : 0);
    out.endColumn = Math.max(out.column, c.end - (quoted && row[c.end - 1] === '"' ? 1 : 0));
    out.cell = h.columns[target];
  }
  for (const i of h.sideCols) {
    const v = cells[i]?.value ?? '';
    const s = /^\s*(source|export|download|src)\b/i.test(v) ? 'source' : /^\s*(target|destination|import|upload|dest)\b/i.test(v) ? 'destination' : sideFromText(v);
    if (s !== 'unknown') {
      out.side = s;
      break;
    }
  }
  const firstValue = (cols: number[]) => cols.map((i) => cells[i]?.value.trim()).find((v) => v && /@|\\|\//.test(v));
  out.user = firstValue(h.userCols) ?? (out.side === 'destination' ? firstValue(h.destUserCols) : firstValue(h.sourceUserCols)) ?? firstValue(h.sourceUserCols);
  return out;
}
