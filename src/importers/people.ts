/**
 * Who a time entry belongs to, when the file names people instead of employee ids (Toggl,
 * Harvest, Clockify and Jira exports give a user name, an e-mail or an account id).
 *
 * A value from the file's employee column (and, where the profile has one, the person's name from
 * another column: Toggl's and Clockify's "User" next to "Email", Harvest's first + last name) is
 * resolved, in this order:
 *  1. the component map's `people:` section (name, e-mail or account id → employee id), and the
 *     resolutions recorded by an earlier import of the same file (option `people`);
 *  2. an employee id of the study, written exactly;
 *  3. the `name` of exactly one employee of the study.
 * Keys and names are compared trimmed, case-insensitively, with runs of spaces as one space — never
 * by similarity. A name that several employees share, or that matches nothing, is an error naming
 * the candidates; nothing is guessed. Without the study's employees (a bare `importFile`), only the
 * map applies and other values are kept as written.
 */
import type { FieldProblem } from './context.js';

export interface Person {
  id: string;
  name: string;
}

/** How keys and names are compared: trimmed, case-insensitive, runs of white space as one space. */
export function personKey(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A people map (component map `people:` section) keyed by personKey; throws on a key given twice with different ids. */
export function normalisePeople(map: Readonly<Record<string, string>>, where = 'people'): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(map)) {
    const key = personKey(k);
    const id = v.trim();
    if (key === '' || id === '') throw new Error(`${where}: an empty name or employee id ("${k}": "${v}")`);
    const had = out.get(key);
    if (had !== undefined && had !== id) throw new Error(`${where}: "${k}" is given twice (as ${had} and ${id}); keys are compared case-insensitively`);
    out.set(key, id);
  }
  return out;
}

export type Resolution = { id: string } | { problem: Omit<FieldProblem, 'column'> };

const words = (s: string) =>
  personKey(s)
    .replace(/@.*$/, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2);

export class PeopleResolver {
  private readonly map: Map<string, string>;
  private readonly ids: Set<string> | undefined;
  private readonly byName: Map<string, Person[]> | undefined;
  /** Values resolved to another id, as written in the file (trimmed) → employee id. */
  readonly resolved = new Map<string, string>();

  constructor(
    map: Readonly<Record<string, string>>,
    private readonly employees?: readonly Person[],
  ) {
    this.map = normalisePeople(map);
    if (employees) {
      this.ids = new Set(employees.map((e) => e.id));
      this.byName = new Map();
      for (const e of employees) {
        const k = personKey(e.name);
        if (k === '') continue;
        const list = this.byName.get(k) ?? [];
        list.push(e);
        this.byName.set(k, list);
      }
    }
  }

  private label(e: Person): string {
    return `${e.id} (${e.name})`;
  }

  /** Employees whose name shares a word with the value or the name: shown with an unknown name, never chosen. */
  private similar(texts: string[]): string[] {
    const want = new Set(texts.flatMap(words));
    if (!want.size || !this.employees) return [];
    return this.employees
      .filter((e) => words(e.name).some((w) => want.has(w)))
      .slice(0, 5)
      .map((e) => this.label(e));
  }

  /** Resolves one person: `value` from the employee column, `name` (optional) from the profile's name column. */
  resolve(value: string, name = ''): Resolution {
    const v = value.trim();
    const n = name.trim();
    const shown = n && personKey(n) !== personKey(v) ? `"${v}" (${n})` : `"${v}"`;
    const done = (id: string): Resolution => {
      if (id !== v) this.resolved.set(v, id);
      return { id };
    };
    for (const k of [v, n]) {
      if (k === '') continue;
      const id = this.map.get(personKey(k));
      if (id === undefined) continue;
      if (this.ids && !this.ids.has(id))
        return { problem: { value: v, expected: 'an employee id of the study in the people: section', message: `the component map's people: section gives ${id} for "${k}", which is not an employee of the study` } };
      return done(id);
    }
    if (!this.ids || !this.byName) return { id: v };
    if (this.ids.has(v)) return { id: v };
    for (const k of [v, n]) {
      if (k === '') continue;
      const hits = this.byName.get(personKey(k));
      if (!hits) continue;
      if (hits.length === 1) return done(hits[0]!.id);
      const candidates = hits.map((e) => this.label(e)).join(', ');
      return {
        problem: {
          value: v,
          expected: `one employee: add "${k}" to the component map's people: section with one of ${hits.map((e) => e.id).join(', ')}`,
          message: `${shown} matches ${hits.length} employees of the study by name: ${candidates}; say which in the component map's people: section`,
        },
      };
    }
    const sim = this.similar([v, n]);
    return {
      problem: {
        value: v,
        expected: 'an employee id, the name of one employee in employees.csv, or an entry of the component map\'s people: section',
        message: `${shown} is not an employee of the study: no employee id, employee name or people: entry matches${sim.length ? `; similar names: ${sim.join(', ')}` : ''}`,
      },
    };
  }
}

/** The resolver for one import: the map's `people:` section plus recorded resolutions, and the study's employees when known (undefined when there is nothing to resolve). */
export function peopleResolver(mapPeople: Readonly<Record<string, string>>, opts: { people?: Readonly<Record<string, string>>; employees?: readonly Person[] }): PeopleResolver | undefined {
  const entries = { ...mapPeople, ...(opts.people ?? {}) };
  if (!opts.employees && Object.keys(entries).length === 0) return undefined;
  return new PeopleResolver(entries, opts.employees);
}

/** The resolutions made, sorted by value, or undefined when none. */
export function resolvedPeople(r: PeopleResolver | undefined): Record<string, string> | undefined {
  if (!r || r.resolved.size === 0) return undefined;
  return Object.fromEntries([...r.resolved].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
