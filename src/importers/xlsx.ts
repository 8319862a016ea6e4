/**
 * XLSX via exceljs's streaming WorkbookReader: the first worksheet's rows are delivered as `Row`s
 * (row number = sheet row). The raw bytes are hashed with SHA-256 as they stream into the reader.
 * Dates become ISO "YYYY-MM-DD" (or ISO timestamps when they carry a time of day); numbers their
 * shortest decimal text.
 */
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CsvInfo, Row } from './csv.js';
import type { Interner } from './intern.js';

/** A record held as strings (XLSX rows, JSON items). */
export class ArrayRow implements Row {
  error: string | undefined = undefined;
  constructor(
    public fields: string[],
    public line: number,
  ) {}
  get count(): number {
    return this.fields.length;
  }
  text(i: number): string {
    return this.fields[i] ?? '';
  }
  intern(i: number, t: Interner): number {
    return t.internString(this.text(i));
  }
  blank(i: number): boolean {
    return this.text(i).trim() === '';
  }
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string; hyperlink?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
    if (o.error) return o.error;
    return '';
  }
  return String(v);
}

export async function readXlsx(path: string, opts: { onProgress?: (read: number, total: number) => void }, start: () => (row: Row) => void): Promise<CsvInfo> {
  const total = statSync(path).size;
  const hash = createHash('sha256');
  let read = 0;
  const src = createReadStream(path);
  const tee = new PassThrough();
  src.on('data', (c) => {
    const b = c as Buffer;
    hash.update(b);
    read += b.length;
    opts.onProgress?.(read, total);
  });
  src.on('error', (e) => tee.destroy(e));
  src.pipe(tee);
  const onRow = start();
  const wb = new ExcelJS.stream.xlsx.WorkbookReader(tee, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore', entries: 'emit' });
  let sheets = 0;
  for await (const ws of wb) {
    sheets++;
    for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
      if (sheets > 1) continue; // drain later sheets; only the first is imported
      const vals = (r.values as unknown[]).slice(1).map(cellText);
      if (vals.every((v) => v.trim() === '')) continue;
      onRow(new ArrayRow(vals, r.number));
    }
  }
  await new Promise<void>((res) => (src.readableEnded || src.destroyed ? res() : src.on('close', () => res())));
  return { sha256: hash.digest('hex'), bytes: read, encoding: 'xlsx', bom: false, delimiter: '', notes: sheets > 1 ? [`workbook has ${sheets} worksheets; only the first was imported`] : [] } as CsvInfo;
}
