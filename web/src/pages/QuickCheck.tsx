import { useState } from 'react';


interface QQuestion {
  id: string;
  type: 'year' | 'integer' | 'money' | 'share' | 'choice' | 'multi' | 'states' | 'money_by_year' | 'state_details';
  prompt: string;
  help?: string;
  optional?: boolean;
  choices?: Record<string, string>;
  choicesFrom?: 'profiles';
}
interface Schema {
  questions: QQuestion[];
  profiles: { id: string; label: string }[];
}
type Range = { low: unknown; high: unknown } | null;
interface Estimate {
  label: string;
  applies: boolean | string;
  range: Range;
  why?: string;
}
interface QResult {
  verdict: string;
  reasons: string[];
  federal: Record<string, Estimate>;
  payrollOffset: Estimate;
  states: (Estimate & { state: string })[];
  qre: Record<string, Range> | null;
  records: { text: string; why: string }[] | string[];
  warnings: string[];
}

function csrf(): string {
  const m = /(?:^|;\s*)rdc_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

/** A range end: { value: whole dollars | null, missing?, notApplicable? }. */
const show = (v: unknown) => {
  const x = v as { value: number | null; notApplicable?: string } | null;
  if (!x || x.value === null || x.value === undefined) return x?.notApplicable ? 'n/a' : 'unknown';
  return `$${x.value.toLocaleString('en-US')}`;
};
const range = (r: Range) => (r ? `${show(r.low)} – ${show(r.high)}` : '—');

/** The quick check: a rough range of the credits from a short questionnaire, before any data is imported. */
export function QuickCheck() {
  const [schema, setSchema] = useState<Schema | null>(null);
  const [vals, setVals] = useState<Record<string, string | string[]>>({});
  const [res, setRes] = useState<QResult | null>(null);
  const [err, setErr] = useState('');
  if (!schema) {
    void fetch('/api/quick-check/schema')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('the quick check is not available on this server'))))
      .then((d: { schema: Schema }) => setSchema(d.schema), (e: Error) => setErr(e.message));
    return err ? <p className="banner bad">{err}</p> : <p>Loading…</p>;
  }
  const set = (id: string, v: string | string[]) => setVals((o) => ({ ...o, [id]: v }));
  const toAnswers = () => {
    const out: Record<string, unknown> = {};
    for (const q of schema.questions) {
      const v = vals[q.id];
      if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) continue;
      switch (q.type) {
        case 'year':
        case 'integer':
          out[q.id] = Number(v);
          break;
        case 'states':
          out[q.id] = String(v)
            .split(/[,\s]+/)
            .map((x) => x.trim().toUpperCase())
            .filter(Boolean);
          break;
        case 'money_by_year': {
          const m: Record<string, string> = {};
          for (const part of String(v).split(/[,;\n]+/)) {
            const [y, a] = part.split(/[:=]/).map((x) => x?.trim());
            if (y && a) m[y] = a.replace(/[$,\s]/g, '');
          }
          out[q.id] = m;
          break;
        }
        case 'money':
          out[q.id] = String(v).replace(/[$,\s]/g, '');
          break;
        default:
          out[q.id] = v;
      }
    }
    if (!out.states) out.states = [];
    return out;
  };
  return (
    <section>
      <h1>Quick check</h1>
      <p className="muted">A rough range of the research credits from a few answers, before any data is imported. Nothing is saved.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setErr('');
          const r = await fetch('/api/quick-check', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() }, body: JSON.stringify(toAnswers()) });
          const d = (await r.json()) as QResult & { error?: { message: string; details?: { path: string; message: string }[] } };
          if (!r.ok) setErr(`${d.error?.message ?? r.statusText}${d.error?.details ? `: ${d.error.details.map((x) => `${x.path} ${x.message}`).join('; ')}` : ''}`);
          else setRes(d);
        }}
      >
        <div className="grid2">
          {schema.questions
            .filter((q) => q.type !== 'state_details')
            .map((q) => {
              const id = `qc-${q.id}`;
              const choices = q.choicesFrom === 'profiles' ? Object.fromEntries(schema.profiles.map((p) => [p.id, p.label])) : q.choices;
              return (
                <div className="form-row" key={q.id}>
                  <label htmlFor={id}>
                    {q.prompt}
                    {q.optional ? ' (optional)' : ''}
                  </label>
                  {q.help && <span className="muted">{q.help}</span>}
                  {q.type === 'choice' ? (
                    <select id={id} value={String(vals[q.id] ?? '')} onChange={(e) => set(q.id, e.target.value)}>
                      <option value="">—</option>
                      {Object.entries(choices ?? {}).map(([k, l]) => (
                        <option key={k} value={k}>
                          {l}
                        </option>
                      ))}
                    </select>
                  ) : q.type === 'multi' ? (
                    <fieldset id={id} style={{ border: 'none', padding: 0 }}>
                      {Object.entries(choices ?? {}).map(([k, l]) => {
                        const cur = (vals[q.id] as string[] | undefined) ?? [];
                        return (
                          <label key={k} data-value={k} style={{ display: 'block', fontWeight: 400 }}>
                            <input type="checkbox" checked={cur.includes(k)} onChange={(e) => set(q.id, e.target.checked ? [...cur, k] : cur.filter((x) => x !== k))} /> {l}
                          </label>
                        );
                      })}
                    </fieldset>
                  ) : (
                    <input
                      id={id}
                      value={String(vals[q.id] ?? '')}
                      onChange={(e) => set(q.id, e.target.value)}
                      placeholder={q.type === 'money_by_year' ? '2023: 1200000, 2024: 2500000' : q.type === 'share' ? '0.10 or 10%' : q.type === 'states' ? 'ID, CA' : ''}
                      inputMode={q.type === 'year' || q.type === 'integer' || q.type === 'money' ? 'numeric' : undefined}
                    />
                  )}
                </div>
              );
            })}
        </div>
        <button type="submit">Estimate</button>
      </form>
      {err && (
        <p className="banner bad" role="alert">
          {err}
        </p>
      )}
      {res && (
        <div aria-live="polite" data-testid="quick-check-result">
          <h2>Verdict: {res.verdict}</h2>
          <ul>
            {res.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          <table>
            <tbody>
              {Object.entries(res.federal).map(([k, e]) => (
                <tr key={k}>
                  <td>{e.label}</td>
                  <td className="num">{range(e.range)}</td>
                </tr>
              ))}
              <tr>
                <td>{res.payrollOffset.label}</td>
                <td className="num">{range(res.payrollOffset.range)}</td>
              </tr>
              {res.states.map((s) => (
                <tr key={s.state}>
                  <td>
                    {s.state}: {s.label}
                  </td>
                  <td className="num">{range(s.range)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {res.warnings.length > 0 && (
            <>
              <h2>Warnings</h2>
              <ul>
                {res.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </>
          )}
          <h2>Records to keep</h2>
          <ul>
            {res.records.map((r, i) => (
              <li key={i}>{typeof r === 'string' ? r : `${r.text} (${r.why})`}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

