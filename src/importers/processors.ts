/** Dispatch from a detected profile to the processor of its kind. */
import type { ImportContext } from './context.js';
import type { Row } from './csv.js';
import type { ComponentMap } from './mapping.js';
import type { PeopleResolver } from './people.js';
import type { Detection } from './profiles.js';
import type { ImportedRecords } from './types.js';
import { TimeAggregator } from './time.js';
import { PayrollProcessor, W2Processor } from './payroll.js';
import { LedgerProcessor, ContractorProcessor } from './ledger.js';
import { CloudProcessor } from './cloud.js';

export interface Processor {
  row(r: Row): void;
  /** Required fields the file lacks (empty when usable). */
  missing(): string[];
  finish(source: { file: string; sha256: string }): Partial<ImportedRecords>;
}

export function createProcessor(ctx: ImportContext, det: Detection, rawHeaders: string[], map: ComponentMap, opts: { year?: number; people?: PeopleResolver | undefined }): Processor {
  const p = det.profile;
  const headers = rawHeaders.map((h) => h.replace(/^\uFEFF/, '').trim());
  switch (p.kind) {
    case 'time': {
      const t = new TimeAggregator(ctx, p, det.columns, headers, map.time, opts.people);
      return { row: (r) => t.row(r), missing: () => t.missing(), finish: (s) => ({ time: t.finish(s) }) };
    }
    case 'payroll':
      return new PayrollProcessor(ctx, p, det.columns, headers, opts.year);
    case 'w2':
      return new W2Processor(ctx, p, det.columns, headers, opts.year);
    case 'ledger':
      return new LedgerProcessor(ctx, p, det.columns, headers, map.ledger, opts.year);
    case 'contractors':
      return new ContractorProcessor(ctx, p, det.columns, headers, map.contractors, opts.year);
    case 'cloud':
      return new CloudProcessor(ctx, p, det.columns, headers, map.cloud);
  }
}
