/**
 * A small RFC 4180 CSV reader and writer for the study folder's files (UTF-8, comma, double-quote
 * quoting, CRLF or LF). Study-folder files hold the aggregated grain, so reading a whole file is
 * fine here; large raw exports go through the streaming importers instead.
 */

export interface CsvRecord {
  /** Cells as written (quotes removed). */
  cells: string[];
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Parses CSV text into records (the first record is the header). Throws `CsvSyntaxError` on an unterminated quote. */
export function parseCsv(text: string): CsvRecord[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let quoted = false;
  let any = false;
  const n = text.length;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '' && !any)) out.push({ cells, line: start });
    cells = [];
    cell = '';
    any = false;
  };
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      any = true;
      i++;
      continue;
    }
    if (ch === ',') {
      cells.push(cell);
      cell = '';
      any = true;
      i++;
      continue;
    }
    if (ch === '\r' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    if (ch === '\n') {
      endRecord();
      line++;
      start = line;
      i++;
      continue;
    }
    cell += ch;
    any = true;
    i++;
  }
  if (quoted) throw new CsvSyntaxError(`unterminated quoted cell starting in the record at line ${start}`, start);
  if (cell !== '' || cells.length > 0 || any) endRecord();
  return out;
}

function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Writes a header and rows as CSV text with LF line ends and a final newline. */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header.map(quote).join(',')];
  for (const r of rows) lines.push(r.map(quote).join(','));
  return lines.join('\n') + '\n';
}
