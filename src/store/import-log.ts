/** The store's import log (migration 0004, table raw_import): which ledger files were imported into which study. */
import type { ImportLog, ImportLogEntry } from '../evidence/file-ledger.js';
import type { Db } from './db.js';

export class SqlImportLog implements ImportLog {
  constructor(private readonly db: Db) {}
  async list(studyId: string): Promise<ImportLogEntry[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      'select study_id, seq, sha256, ledger_seq::text as ledger_seq, name, kind, profile, options, received_at, records from raw_import where study_id = $1 order by raw_import.seq',
      [studyId],
    );
    return rows.map((r) => ({
      studyId: r.study_id as string,
      seq: Number(r.seq),
      sha256: r.sha256 as string,
      ledgerSeq: Number(r.ledger_seq),
      name: r.name as string,
      kind: r.kind as string,
      profile: r.profile as string,
      options: json(r.options) as Record<string, unknown>,
      receivedAt: r.received_at as string,
      records: json(r.records) as Record<string, number>,
    }));
  }
  async append(e: Omit<ImportLogEntry, 'seq'>): Promise<ImportLogEntry> {
    return this.db.transaction(async (tx) => {
      await tx.query('lock table raw_import in share row exclusive mode');
      const r = await tx.query<{ n: number }>('select count(*)::int as n from raw_import where study_id = $1', [e.studyId]);
      const seq = Number(r[0]!.n) + 1;
      await tx.query('insert into raw_import (study_id, seq, sha256, ledger_seq, name, kind, profile, options, received_at, records) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
        e.studyId,
        seq,
        e.sha256,
        e.ledgerSeq,
        e.name,
        e.kind,
        e.profile,
        JSON.stringify(e.options),
        e.receivedAt,
        JSON.stringify(e.records),
      ]);
      return { ...e, seq };
    });
  }
}

function json(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}
