/**
 * Time entries → TimeRecord aggregated to employee × business component × activity × work
 * location × month (hours summed exactly as integer milliseconds). The hot path interns field
 * bytes to integer ids, caches each distinct date, duration, location and project/task/tags
 * combination once, and accumulates in an integer-tuple hash table: no per-row string work.
 */
import type { IsoDate } from '../periods/date.js';
import { fromParts } from '../periods/date.js';
import type { Activity, Location, TimeRecord } from '../study/model.js';
import { type ImportContext, type FieldProblem, parseLocation } from './context.js';
import type { Row } from './csv.js';
import { GroupTable } from './group-table.js';
import { Interner, TupleTable } from './intern.js';
import { matchTime } from './match.js';
import type { TimeRuleT } from './mapping.js';
import type { PeopleResolver } from './people.js';
import { isBad, parseDate, parseHoursMs, parseSecondsMs, parseTimestamp, MS_PER_HOUR } from './parse.js';
import type { Profile } from './profiles.js';

export interface Cls {
  project: string;
  task: string;
  tags: string;
  client: string;
  componentId?: string;
  activity: Activity;
  experimentation?: boolean;
  mapped: boolean;
}

const BAD = -2;

const classKey = (c: Cls) => `${c.project}\u0000${c.task}\u0000${c.tags}\u0000${c.client}`;

/** A TimeAggregator's state in transferable form (see exportState / absorb). */
export interface TimeAggState {
  emp: string[];
  locations: Location[];
  outcomes: Cls[];
  classes: Cls[];
  classMs: number[];
  classOutcome: number[];
  /** 4 ints per group: employee id, outcome, location index + 1 (0 = none), month. */
  keys: Int32Array;
  sums: Float64Array;
  counts: Float64Array;
  totalMs: number;
}

export class TimeAggregator {
  private readonly emp = new Interner();
  private readonly dates = new Interner();
  private readonly hours = new Interner();
  private readonly proj = new Interner();
  private readonly task = new Interner();
  private readonly tags = new Interner();
  private readonly client = new Interner();
  private readonly loc = new Interner();
  private readonly dateMonth: number[] = [];
  private readonly hoursMs: number[] = [];
  private readonly locIdx: number[] = [];
  private readonly tagLoc: number[] = [];
  private readonly locations: Location[] = [];
  private readonly locKeys = new Map<string, number>();
  private readonly classKey = new TupleTable(4, 256);
  private readonly classes: Cls[] = [];
  /** Class (raw project/task/tags/client combination) → outcome (component, activity, experimentation). */
  private readonly classOutcome: number[] = [];
  private readonly classMs: number[] = [];
  private readonly outcomes: Cls[] = [];
  private readonly outcomeKeys = new Map<string, number>();
  private readonly agg = new GroupTable();
  private readonly k4 = new Int32Array(4);
  private readonly c: Record<string, number>;
  private readonly iEmp: number;
  private readonly iName: number;
  /** Raw employee value (interned) → the interned employee id it resolves to, or BAD (with the problem). */
  private readonly canon: number[] = [];
  private readonly canonProblem: (Omit<FieldProblem, 'column'> | undefined)[] = [];
  private readonly iFirst: number;
  private readonly iLast: number;
  private readonly iDate: number;
  private readonly iStarted: number;
  private readonly iHours: number;
  private readonly iDur: number;
  private readonly iSec: number;
  private readonly iProj: number;
  private readonly iTask: number;
  private readonly iTags: number;
  private readonly iClient: number;
  private readonly iLoc: number;
  private readonly decimalComma: boolean;
  private readonly uProj: boolean;
  private readonly uTask: boolean;
  private readonly uTags: boolean;
  private readonly uClient: boolean;
  totalMs = 0;

  constructor(
    private readonly ctx: ImportContext,
    private readonly profile: Profile,
    columns: Record<string, number>,
    private readonly headers: string[],
    private readonly rules: TimeRuleT[],
    /** Resolves names, e-mails or account ids to employee ids (./people.ts); none = values kept as written. */
    private readonly people?: PeopleResolver,
  ) {
    this.c = columns;
    const at = (f: string) => columns[f] ?? -1;
    this.iEmp = at('employee');
    this.iName = at('employee_name');
    this.iFirst = at('employee_first');
    this.iLast = at('employee_last');
    this.iDate = at('date');
    this.iStarted = at('started');
    this.iHours = at('hours');
    this.iDur = at('duration');
    this.iSec = at('seconds');
    this.iProj = at('project');
    this.iTask = at('task');
    this.iTags = at('tags');
    this.iClient = at('client');
    this.iLoc = at('location');
    this.decimalComma = profile.formats.decimalComma;
    // Only the fields some rule looks at distinguish classes (keeps the class table small).
    const used = (f: 'project' | 'task' | 'tags' | 'client') => rules.some((r) => r.match[f] !== undefined);
    this.uProj = this.iProj >= 0 && used('project');
    this.uTask = this.iTask >= 0 && used('task');
    this.uTags = this.iTags >= 0 && used('tags');
    this.uClient = this.iClient >= 0 && used('client');
  }

  /** Fields the profile needs but the file lacks, as messages (empty when usable). */
  missing(): string[] {
    const out: string[] = [];
    if (this.iEmp < 0 && (this.iFirst < 0 || this.iLast < 0)) out.push('employee');
    if (this.iDate < 0 && this.iStarted < 0) out.push('date');
    if (this.iHours < 0 && this.iDur < 0 && this.iSec < 0) out.push('hours');
    return out;
  }

  private col(i: number): string {
    return this.headers[i] ?? `column ${i + 1}`;
  }

  private location(l: Location): number {
    const key = `${l.country}:${l.state ?? ''}`;
    let i = this.locKeys.get(key);
    if (i === undefined) {
      i = this.locations.length;
      this.locations.push(l);
      this.locKeys.set(key, i);
    }
    return i;
  }

  private problems: FieldProblem[] | undefined;
  private fail(p: FieldProblem): void {
    (this.problems ??= []).push(p);
  }

  row(r: Row): void {
    this.ctx.rowsRead++;
    this.problems = undefined;
    if (r.error) this.fail({ column: '(row)', value: '', expected: 'well-formed CSV', message: `CSV syntax: ${r.error}` });

    const e = this.iEmp >= 0 ? r.intern(this.iEmp, this.emp) : this.emp.internString(`${r.text(this.iFirst).trim()} ${r.text(this.iLast).trim()}`.trim());
    if (this.emp.meta[e] === undefined) this.emp.meta[e] = this.emp.value(e).trim() === '' ? BAD : 1;
    if (this.emp.meta[e] === BAD) this.fail({ column: this.col(this.iEmp >= 0 ? this.iEmp : this.iLast), value: '', expected: 'an employee identifier' });
    let ek = e;
    if (this.people && this.emp.meta[e] !== BAD) {
      let c = this.canon[e];
      if (c === undefined) {
        const res = this.people.resolve(this.emp.value(e), this.nameOf(r));
        if ('id' in res) c = res.id === this.emp.value(e) ? e : this.emp.internString(res.id);
        else {
          c = BAD;
          this.canonProblem[e] = res.problem;
        }
        this.canon[e] = c;
      }
      if (c === BAD) this.fail({ column: this.col(this.iEmp >= 0 ? this.iEmp : this.iLast), ...this.canonProblem[e]! });
      else ek = c;
    }

    let month: number;
    if (this.iDate >= 0) {
      const d = r.intern(this.iDate, this.dates);
      let m = this.dateMonth[d];
      if (m === undefined) {
        const p = parseDate(this.dates.value(d), this.profile.formats.dates, this.profile.formats.zoneOffsetMinutes);
        m = isBad(p) ? BAD : +p.slice(0, 4) * 12 + +p.slice(5, 7) - 1;
        this.dateMonth[d] = m;
      }
      month = m;
      if (m === BAD) this.fail({ column: this.col(this.iDate), value: this.dates.value(d), expected: dateExpected(this.profile) });
    } else {
      const t = r.text(this.iStarted);
      const p = parseTimestamp(t, this.profile.formats.zoneOffsetMinutes);
      if (isBad(p)) {
        month = BAD;
        this.fail({ column: this.col(this.iStarted), value: t, expected: p.expected });
      } else month = +p.localDate.slice(0, 4) * 12 + +p.localDate.slice(5, 7) - 1;
    }

    const hi = this.iHours >= 0 ? this.iHours : this.iDur >= 0 ? this.iDur : this.iSec;
    const h = r.intern(hi, this.hours);
    let ms = this.hoursMs[h];
    if (ms === undefined) {
      const p = hi === this.iSec ? parseSecondsMs(this.hours.value(h)) : parseHoursMs(this.hours.value(h), this.decimalComma);
      ms = isBad(p) ? BAD : p;
      this.hoursMs[h] = ms;
      if (ms > 24 * MS_PER_HOUR) this.ctx.rowWarning(r.line, { column: this.col(hi), value: this.hours.value(h), expected: 'at most 24 hours in one entry', message: `${this.col(hi)}: an entry of ${this.hours.value(h)} is longer than a day (a timer left running?)` });
    }
    if (ms === BAD) {
      const p = hi === this.iSec ? parseSecondsMs(this.hours.value(h)) : parseHoursMs(this.hours.value(h), this.decimalComma);
      this.fail({ column: this.col(hi), value: this.hours.value(h), expected: isBad(p) ? p.expected : 'hours' });
    }

    const pj = this.uProj ? r.intern(this.iProj, this.proj) : 0;
    const tk = this.uTask ? r.intern(this.iTask, this.task) : 0;
    const tg = this.iTags >= 0 && (this.uTags || this.iLoc < 0) ? r.intern(this.iTags, this.tags) : 0;
    const cl = this.uClient ? r.intern(this.iClient, this.client) : 0;

    let li = -1;
    if (this.iLoc >= 0) {
      const l = r.intern(this.iLoc, this.loc);
      let x = this.locIdx[l];
      if (x === undefined) {
        const p = parseLocation(this.loc.value(l));
        x = p === undefined ? -1 : 'bad' in p ? BAD : this.location(p);
        this.locIdx[l] = x;
      }
      if (x === BAD) {
        const p = parseLocation(this.loc.value(l)) as { expected: string };
        this.fail({ column: this.col(this.iLoc), value: this.loc.value(l), expected: p.expected });
      }
      li = x;
    } else if (this.iTags >= 0) {
      let x = this.tagLoc[tg];
      if (x === undefined) {
        const m = /(?:^|,)\s*loc:([^,]+)/i.exec(this.tags.value(tg));
        const p = m ? parseLocation(m[1]!) : undefined;
        x = p === undefined || 'bad' in p ? -1 : this.location(p);
        this.tagLoc[tg] = x;
      }
      li = x;
    }

    if (this.problems) {
      this.ctx.rowErrors(r.line, this.problems);
      return;
    }
    const k = this.k4;
    if (this.uProj || this.uTask || this.uTags || this.uClient) {
      k[0] = pj;
      k[1] = tk;
      k[2] = this.uTags ? tg : 0;
      k[3] = cl;
      const ce = this.classKey.find(k);
      if (ce === this.classes.length) this.addClass(this.classify(pj, tk, tg, cl));
      this.classMs[ce]! += ms;
      k[1] = this.classOutcome[ce]!;
    } else {
      if (this.classes.length === 0) this.addClass(this.classify(-1, -1, -1, -1));
      this.classMs[0]! += ms;
      k[1] = this.classOutcome[0]!;
    }
    this.agg.add(ek, k[1], li + 1, month, ms, 1);
    this.totalMs += ms;
    this.ctx.rowsUsed++;
  }

  /** The person's name from the profile's name column (Toggl "User" next to "Email"; Harvest first + last name next to an id or e-mail). */
  private nameOf(r: Row): string {
    if (this.iName >= 0) return r.text(this.iName);
    if (this.iEmp >= 0 && this.iFirst >= 0 && this.iLast >= 0) return `${r.text(this.iFirst).trim()} ${r.text(this.iLast).trim()}`.trim();
    return '';
  }

  /** The aggregate so far, as plain data and typed arrays (a worker posts it to the main thread). */
  exportState(): TimeAggState {
    const { keys, sums, counts } = this.agg.entries();
    return {
      emp: Array.from({ length: this.emp.size }, (_, i) => this.emp.value(i)),
      locations: this.locations,
      outcomes: this.outcomes,
      classes: this.classes,
      classMs: this.classMs,
      classOutcome: this.classOutcome,
      keys,
      sums,
      counts,
      totalMs: this.totalMs,
    };
  }

  private readonly classByKey = new Map<string, number>();

  /** Adds another aggregator's state (from a worker that read another byte range of the file). */
  absorb(s: TimeAggState): void {
    const empMap = s.emp.map((v) => this.emp.internString(v));
    const locMap = s.locations.map((l) => this.location(l));
    const outMap = new Int32Array(s.outcomes.length);
    if (this.classByKey.size === 0) this.classes.forEach((c, j) => this.classByKey.set(classKey(c), j));
    s.classes.forEach((c, i) => {
      const key = classKey(c);
      let j = this.classByKey.get(key);
      if (j === undefined) {
        j = this.classes.length;
        this.addClass(c);
        this.classByKey.set(key, j);
      }
      this.classMs[j]! += s.classMs[i]!;
      outMap[s.classOutcome[i]!] = this.classOutcome[j]!;
    });
    const n = s.sums.length;
    for (let a = 0; a < n; a++) {
      const b = a * 4;
      const li = s.keys[b + 2]!;
      this.agg.add(empMap[s.keys[b]!]!, outMap[s.keys[b + 1]!]!, li === 0 ? 0 : locMap[li - 1]! + 1, s.keys[b + 3]!, s.sums[a]!, s.counts[a]!);
    }
    this.totalMs += s.totalMs;
  }

  private addClass(c: Cls): void {
    this.classes.push(c);
    this.classMs.push(0);
    const key = `${c.componentId ?? ''}|${c.activity}|${c.experimentation ?? ''}|${c.mapped}`;
    let o = this.outcomeKeys.get(key);
    if (o === undefined) {
      o = this.outcomes.length;
      this.outcomes.push(c);
      this.outcomeKeys.set(key, o);
    }
    this.classOutcome.push(o);
  }

  private classify(pj: number, tk: number, tg: number, cl: number): Cls {
    const v = {
      project: pj >= 0 && this.uProj ? this.proj.value(pj).trim() : '',
      task: tk >= 0 && this.uTask ? this.task.value(tk).trim() : '',
      tags: tg >= 0 && this.uTags ? this.tags.value(tg).trim() : '',
      client: cl >= 0 && this.uClient ? this.client.value(cl).trim() : '',
    };
    const rule = matchTime(this.rules, v);
    if (!rule) return { ...v, activity: 'non_qualified', mapped: false };
    const c: Cls = { ...v, activity: rule.activity, mapped: true };
    if (rule.component !== undefined) c.componentId = rule.component;
    if (rule.experimentation !== undefined) c.experimentation = rule.experimentation;
    return c;
  }

  /** The records, in their deterministic order; notes about unmapped time go to `ctx` (default: this aggregator's). */
  finish(source: { file: string; sha256: string }, ctx: ImportContext = this.ctx): TimeRecord[] {
    // Deterministic order without string comparisons per record: rank employees, outcomes and
    // locations once, then sort the groups by one composite integer key (< 2^53) that also carries
    // the group's slot in the table, so each sorted key leads to its group without a lookup.
    const n = this.agg.size;
    const cap = this.agg.capacity;
    const I = this.agg.slotInts; // 8 per slot: employee, outcome, location + 1, month (-1 = empty)
    const F = this.agg.slotF64; // 4 per slot: sum at 2, count at 3
    const rank = (values: string[]) => {
      const order = values.map((_, i) => i).sort((a, b) => cmp(values[a]!, values[b]!) || a - b);
      const r = new Int32Array(values.length);
      order.forEach((v, i) => (r[v] = i));
      return r;
    };
    const empRank = rank(Array.from({ length: this.emp.size }, (_, i) => this.emp.value(i).trim()));
    const outRank = rank(this.outcomes.map((o) => `${o.componentId ?? ''}\u0000${o.activity}`));
    const locRank = rank(['', ...this.locations.map((l) => `${l.country}:${l.state ?? ''}`)]);
    let minMonth = Infinity;
    let maxMonth = -Infinity;
    for (let i = 0; i < cap * 8; i += 8) {
      if (I[i] === -1) continue;
      const m = I[i + 3]!;
      if (m < minMonth) minMonth = m;
      if (m > maxMonth) maxMonth = m;
    }
    const M = n ? maxMonth - minMonth + 1 : 1;
    const O = Math.max(1, this.outcomes.length);
    const L = this.locations.length + 1;
    const composite = (i: number) => ((empRank[I[i]!]! * M + (I[i + 3]! - minMonth)) * O + outRank[I[i + 1]!]!) * L + locRank[I[i + 2]!]!;
    // Composite keys are unique per group (ranks are unique). With the slot folded in, a native
    // numeric sort gives the order; when that would not fit in 2^53, sort slots by key instead.
    const order = new Float64Array(n);
    if (Math.max(1, this.emp.size) * M * O * L * cap < 2 ** 53) {
      for (let s = 0, j = 0; s < cap; s++) if (I[s * 8] !== -1) order[j++] = composite(s * 8) * cap + s;
      order.sort();
      // cap is a power of two: the slot is the key's remainder, computed exactly without `%`.
      for (let j = 0; j < n; j++) order[j] = order[j]! - Math.floor(order[j]! / cap) * cap;
    } else {
      const keys = new Float64Array(cap);
      for (let s = 0, j = 0; s < cap; s++)
        if (I[s * 8] !== -1) {
          keys[s] = composite(s * 8);
          order[j++] = s;
        }
      order.sort((x, y) => keys[x]! - keys[y]!);
    }
    // Built once per distinct value: employee ids (trimmed), first days of months, sources (one
    // per entry count: they differ only in the note).
    const empIds: (string | undefined)[] = new Array(this.emp.size);
    const dates: IsoDate[] = new Array(M);
    for (let m = 0; m < M && n; m++) {
      const mo = m + minMonth;
      dates[m] = fromParts(Math.floor(mo / 12), (mo % 12) + 1, 1) as IsoDate;
    }
    const sources = new Map<number, TimeRecord['source']>();
    const out: TimeRecord[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const s = order[j]!;
      const i = s * 8;
      const e = I[i]!;
      const cls = this.outcomes[I[i + 1]!]!;
      const li = I[i + 2]! - 1;
      const count = F[s * 4 + 3]!;
      let src = sources.get(count);
      if (src === undefined) sources.set(count, (src = { file: source.file, sha256: source.sha256, note: `${count} entries` }));
      const rec: TimeRecord = {
        employeeId: (empIds[e] ??= this.emp.value(e).trim()),
        activity: cls.activity,
        hours: F[s * 4 + 2]! / MS_PER_HOUR,
        date: dates[I[i + 3]! - minMonth]!,
        basis: 'time_entries',
        source: src,
      };
      if (cls.componentId !== undefined) rec.componentId = cls.componentId;
      if (cls.experimentation !== undefined) rec.experimentation = cls.experimentation;
      if (li >= 0) rec.location = this.locations[li]!;
      out[j] = rec;
    }
    // Unmapped time, summarised per client/project with up to five example tasks/tags.
    const unmapped = new Map<string, { ms: number; examples: Set<string> }>();
    this.classes.forEach((c, i) => {
      if (c.mapped) return;
      const key = [c.client, c.project].filter(Boolean).join(' / ') || '(no project)';
      const u = unmapped.get(key) ?? { ms: 0, examples: new Set<string>() };
      u.ms += this.classMs[i]!;
      const ex = [c.task, c.tags].filter(Boolean).join(' ');
      if (ex && u.examples.size < 5) u.examples.add(ex);
      unmapped.set(key, u);
    });
    for (const [key, u] of [...unmapped].sort((x, y) => (x[0] < y[0] ? -1 : 1)))
      ctx.note('warning', `no component rule matches "${key}"${u.examples.size ? ` (e.g. ${[...u.examples].join(', ')})` : ''}: ${u.ms / MS_PER_HOUR} h recorded as non_qualified with no component; add a time rule to the component map`, { value: key, expected: 'a matching time rule' });
    return out;
  }
}

function dateExpected(p: Profile): string {
  const names = { iso: 'YYYY-MM-DD', us: 'MM/DD/YYYY', dmy: 'DD/MM/YYYY', timestamp: 'an ISO 8601 timestamp' } as const;
  return `a date (${p.formats.dates.map((f) => names[f]).join(' or ')})`;
}

const s = (x: string | undefined) => x ?? '';
export function compareTime(a: TimeRecord, b: TimeRecord): number {
  return (
    cmp(a.employeeId, b.employeeId) ||
    cmp(s(a.date), s(b.date)) ||
    cmp(s(a.componentId), s(b.componentId)) ||
    cmp(a.activity, b.activity) ||
    cmp(a.location ? `${a.location.country}:${s(a.location.state)}` : '', b.location ? `${b.location.country}:${s(b.location.state)}` : '')
  );
}
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
