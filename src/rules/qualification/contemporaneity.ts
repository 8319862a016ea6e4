/**
 * Contemporaneity of evidence: was the item made during the research (dated before or inside the
 * tax year), or after the year ended, or is it undated? Pure.
 *
 * The date the item claims for itself decides. An undated item that rdcredit captured (hashed
 * into the ledger) on or before the last day of the year is shown to have existed then, so it
 * counts as contemporaneous; otherwise it stays undated.
 */
import type { TaxPeriod } from '../../periods/tax-period.js';

export type Timing = 'before' | 'during' | 'after' | 'undated';

export interface DatedItem {
  claimedDate?: string;
  /** ISO 8601 timestamp of capture into the ledger. */
  capturedAt?: string;
}

export function evidenceTiming(period: TaxPeriod, item: DatedItem): { timing: Timing; contemporaneous: boolean | null; basis: string } {
  const d = item.claimedDate;
  if (d) {
    if (d < period.start) return { timing: 'before', contemporaneous: true, basis: `dated ${d}, before the tax year (${period.start} – ${period.end})` };
    if (d <= period.end) return { timing: 'during', contemporaneous: true, basis: `dated ${d}, inside the tax year` };
    return { timing: 'after', contemporaneous: false, basis: `dated ${d}, after the tax year ended on ${period.end}` };
  }
  const captured = item.capturedAt?.slice(0, 10);
  if (captured && captured <= period.end) return { timing: 'during', contemporaneous: true, basis: `undated, but captured into the ledger on ${captured}, inside the tax year` };
  return { timing: 'undated', contemporaneous: null, basis: 'no date' };
}
