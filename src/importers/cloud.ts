/**
 * Cloud bills (FOCUS, AWS CUR 2.0 and legacy CUR, GCP billing export flattened to CSV, Azure EA/MCA
 * cost exports) → ComputerCost aggregated by vendor × component × use × month × (usage | credit).
 * The component map's `cloud` rules (account, service, resource, tag key/value; keys normalised:
 * trimmed, lower-case, "user_" prefix dropped) decide component and research/production use; lines
 * no rule matches go to a `mixed` bucket with an unknown research share, for review. Tax lines are
 * left out; credits, refunds and discounts are kept as separate (negative) lines.
 */
import { cents, finesToCents, parseMoneyFine } from '../money/cents.js';
import type { ComputerCost } from '../study/model.js';
import type { ImportContext } from './context.js';
import type { Row } from './csv.js';
import { Fields, cmpStr } from './common.js';
import { Interner } from './intern.js';
import { matchCloud, normTagKey, type CloudRuleT } from './mapping.js';
import { isBad, parseAmount, parseDate } from './parse.js';
import type { Profile } from './profiles.js';
import type { ImportedRecords } from './types.js';

type Bucket = 'usage' | 'credit' | 'tax';

/** Charge category (FOCUS ChargeCategory, CUR line item type, GCP cost_type, Azure ChargeType) → bucket. */
export function chargeBucket(category: string): Bucket {
  const c = category.trim().toLowerCase();
  if (c === 'tax') return 'tax';
  if (/credit|refund|discount|negation|adjustment|rounding/.test(c)) return 'credit';
  return 'usage';
}

/** Tags cell → normalised key/value map. Accepts a JSON object, a JSON list of {key, value}, or Azure's brace-less `"k": "v"` text. */
export function parseTags(text: string): Record<string, string> | undefined {
  const t = text.trim();
  if (t === '' || t === '{}' || t === '[]') return {};
  const tryJson = (s: string): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  let v = tryJson(t);
  if (v === undefined && !t.startsWith('{') && !t.startsWith('[')) v = tryJson(`{${t}}`);
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const x of v) if (x && typeof x === 'object' && 'key' in x) out[normTagKey(String((x as { key: unknown }).key))] = String((x as { value?: unknown }).value ?? '');
  } else if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[normTagKey(k)] = typeof val === 'string' ? val : JSON.stringify(val);
  } else return undefined;
  return out;
}

interface Agg {
  vendor: string;
  component?: string;
  use: ComputerCost['use'];
  share?: string;
  month: string;
  bucket: Bucket;
  cents: number;
  /** Exact sum in 10^-10 dollars (lines below a cent add up before the one rounding). */
  fine: bigint;
  n: number;
}

export class CloudProcessor {
  private readonly f: Fields;
  private readonly tagsI = new Interner();
  private readonly tagCache: (Record<string, string> | null)[] = [];
  private readonly dateI = new Interner();
  private readonly dateCache: (string | null)[] = [];
  private readonly ruleCache = new Map<string, CloudRuleT | null>();
  private readonly agg = new Map<string, Agg>();
  private readonly usesResource: boolean;
  private tagCols: { i: number; key: string }[] = [];
  private excludedTax = 0;
  private unmatched = 0;

  constructor(
    private readonly ctx: ImportContext,
    private readonly profile: Profile,
    private readonly cols: Record<string, number>,
    private readonly headers: string[],
    private readonly rules: CloudRuleT[],
  ) {
    this.f = new Fields(cols, headers, profile);
    this.usesResource = rules.some((r) => r.match.resource !== undefined);
    const pre = profile.tagColumnPrefix?.toLowerCase();
    if (pre) this.tagCols = headers.flatMap((h, i) => (h.toLowerCase().startsWith(pre) ? [{ i, key: normTagKey(h.slice(pre.length)) }] : []));
  }

  missing(): string[] {
    return ['date', 'cost'].filter((k) => this.cols[k] === undefined);
  }

  row(r: Row): void {
    const f = this.f.reset(r);
    this.ctx.rowsRead++;
    // Date → month (cached per distinct text).
    let month: string | null | undefined;
    const di = this.cols.date!;
    const d = r.intern(di, this.dateI);
    month = this.dateCache[d];
    if (month === undefined) {
      const p = parseDate(this.dateI.value(d), ['iso', 'timestamp', 'us'], this.profile.formats.zoneOffsetMinutes);
      month = isBad(p) ? null : p.slice(0, 7);
      this.dateCache[d] = month;
    }
    if (month === null) f.problems.push({ column: f.col('date'), value: this.dateI.value(d), expected: 'a date or timestamp (YYYY-MM-DD[ HH:MM:SS][Z])' });
    const costText = f.text('cost');
    const cost = parseAmount(costText, this.profile.formats.decimalComma);
    if (isBad(cost)) f.problems.push({ column: f.col('cost'), value: costText, expected: cost.expected });
    const currency = f.text('currency');
    if (currency !== '' && currency.toUpperCase() !== 'USD') f.problems.push({ column: f.col('currency'), value: currency, expected: 'USD (convert other currencies before import)' });
    let tagsId = -1;
    let tags: Record<string, string> | null = {};
    if (this.cols.tags !== undefined) {
      tagsId = r.intern(this.cols.tags, this.tagsI);
      let t = this.tagCache[tagsId];
      if (t === undefined) {
        t = parseTags(this.tagsI.value(tagsId)) ?? null;
        this.tagCache[tagsId] = t;
      }
      tags = t;
      if (t === null) f.problems.push({ column: f.col('tags'), value: this.tagsI.value(tagsId), expected: 'tags as a JSON object or a list of {key, value}' });
    } else if (this.tagCols.length) {
      tags = {};
      for (const c of this.tagCols) {
        const v = r.text(c.i).trim();
        if (v !== '') tags[c.key] = v;
      }
    }
    if (f.problems.length) return this.ctx.rowErrors(r.line, f.problems);
    const bucket = chargeBucket(f.text('category'));
    if (bucket === 'tax') {
      this.ctx.rowsExcluded++;
      this.excludedTax += cost as number;
      return;
    }
    const account = f.text('account');
    const service = f.text('service');
    const resource = f.text('resource');
    const cacheKey = this.usesResource || tagsId < 0 ? undefined : `${account}\u0000${service}\u0000${tagsId}`;
    let rule: CloudRuleT | null | undefined = cacheKey ? this.ruleCache.get(cacheKey) : undefined;
    if (rule === undefined) {
      rule = matchCloud(this.rules, { account, service, resource, tags: tags! }) ?? null;
      if (cacheKey) this.ruleCache.set(cacheKey, rule);
    }
    const vendor = f.text('provider') || this.profile.constants?.vendor || this.profile.vendor;
    const use = rule ? rule.use : 'mixed';
    if (!rule) this.unmatched += cost as number;
    const key = `${vendor}|${rule?.component ?? ''}|${use}|${rule?.researchShare ?? ''}|${month}|${bucket}`;
    let a = this.agg.get(key);
    if (!a) {
      a = { vendor, use, month: month!, bucket, cents: 0, fine: 0n, n: 0 };
      if (rule?.component) a.component = rule.component;
      if (rule?.researchShare) a.share = rule.researchShare;
      this.agg.set(key, a);
    }
    a.cents += cost as number;
    a.fine += parseMoneyFine(costText, { decimalComma: this.profile.formats.decimalComma });
    a.n++;
    this.ctx.rowsUsed++;
  }

  finish(src: { file: string; sha256: string }): Partial<ImportedRecords> {
    if (this.excludedTax) this.ctx.note('info', `tax lines (${this.excludedTax / 100}) left out: tax is not computer rental`);
    if (this.unmatched) this.ctx.note('warning', `${this.unmatched / 100} of spend matches no cloud rule (untagged or unknown account): recorded as use "mixed" with an unknown research share, for review`, { expected: 'a cloud rule (account or tag) for this spend' });
    const order = (a: Agg) => `${a.month}\u0000${a.component ?? ''}\u0000${a.use}\u0000${a.bucket}\u0000${a.vendor}\u0000${a.share ?? ''}`;
    const computers: ComputerCost[] = [...this.agg.values()]
      .sort((x, y) => cmpStr(order(x), order(y)))
      .map((a) => {
        const c: ComputerCost = {
          id: `cloud-${a.vendor}-${a.component ?? 'none'}-${a.use}-${a.month}-${a.bucket}`.replace(/[^A-Za-z0-9_.-]+/g, '_'),
          vendor: a.vendor,
          description: `${a.vendor} ${a.bucket === 'credit' ? 'credits/refunds/discounts' : 'usage'} ${a.month}, ${a.component ?? 'no component'}, ${a.use} (${a.n} lines)`,
          amount: finesToCents(a.fine),
          use: a.use,
          date: `${a.month}-01` as ComputerCost['date'] & string,
          source: { file: src.file, sha256: src.sha256, note: `${a.n} lines` },
        };
        if (a.component) c.componentId = a.component;
        if (a.share) c.researchShare = a.share;
        return c;
      });
    return { computers };
  }
}
