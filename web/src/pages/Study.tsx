import { useEffect, useState } from 'react';
import { api, ApiError, dollars, showVal, type Component, type Diagnostic, type Elections, type Explanation, type Job, type Me, type Preview, type Question, type WhatIf } from '../api';
import { BarChart, ExplainTree, Modal, useAsync, ValText } from '../widgets';

const TABS: { id: string; label: string; contributor?: boolean }[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'forms', label: 'Forms' },
  { id: 'people', label: 'People and time' },
  { id: 'components', label: 'Components', contributor: true },
  { id: 'import', label: 'Import' },
  { id: 'what-if', label: 'What if' },
  { id: 'review', label: 'Review' },
  { id: 'downloads', label: 'Downloads' },
];

export function StudyPage({ id, tab, me }: { id: string; tab: string; me: Me }) {
  const summary = useAsync(() => api.studies(), [id]);
  const s = summary.data?.studies.find((x) => x.id === id);
  const contributor = s?.role === 'client_contributor';
  const tabs = TABS.filter((t) => !contributor || t.contributor);
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const go = (t: string) => (location.hash = `#/studies/${encodeURIComponent(id)}/${t}`);
  return (
    <section>
      <h1>{s?.title ?? id}</h1>
      <p className="muted">
        {s ? `${s.taxpayerName}, tax year ${s.period.start} to ${s.period.end}` : ''}
        {s ? ` · your role: ${me.roles[s.role] ?? s.role}` : ''}
      </p>
      <div className="tabs" role="tablist" aria-label="Study sections">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => go(t.id)}
            onKeyDown={(e) => {
              const i = tabs.findIndex((x) => x.id === tab);
              if (e.key === 'ArrowRight') go(tabs[(i + 1) % tabs.length]!.id);
              if (e.key === 'ArrowLeft') go(tabs[(i - 1 + tabs.length) % tabs.length]!.id);
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tabs.find((t) => t.id === tab)?.label}>
        {tab === 'dashboard' && <DashboardTab id={id} version={version} />}
        {tab === 'forms' && <FormsTab id={id} version={version} />}
        {tab === 'people' && <PeopleTab id={id} version={version} />}
        {tab === 'components' && <ComponentsTab id={id} version={version} onChange={bump} canDecide={!contributor && s?.role !== 'read_only'} />}
        {tab === 'import' && <ImportTab id={id} onChange={bump} />}
        {tab === 'what-if' && <WhatIfTab id={id} version={version} onChange={bump} />}
        {tab === 'review' && <ReviewTab id={id} version={version} onChange={bump} />}
        {tab === 'downloads' && <DownloadsTab id={id} />}
      </div>
    </section>
  );
}

function Err({ msg }: { msg: string }) {
  return msg ? (
    <p className="banner bad" role="alert">
      {msg}
    </p>
  ) : null;
}

function DashboardTab({ id, version }: { id: string; version: number }) {
  const { data: d, error } = useAsync(() => api.dashboard(id), [id, version]);
  if (error) return <Err msg={error} />;
  if (!d) return <p>Computing…</p>;
  const fed = d.credits.federal;
  return (
    <>
      {d.version.status === 'signed' && <p className="banner ok">Version {d.version.version} is signed and read-only; a change opens version {d.version.version + 1}.</p>}
      <div className="cards">
        <div className="card" data-testid="federal-credit">
          <div className="muted">Federal research credit</div>
          <div className="big">
            <ValText v={fed.credit} />
          </div>
          <div className="muted">
            {fed.chosen.method === 'asc' ? 'ASC' : 'Regular'}
            {fed.chosen.section280c ? ', §280C reduced' : ', full credit'}
          </div>
        </div>
        {d.credits.states.map((s) => (
          <div className="card" key={s.code} data-testid={`state-${s.code}`}>
            <div className="muted">
              {s.name} ({s.code})
            </div>
            <div className="big">
              <ValText v={s.credit} />
            </div>
          </div>
        ))}
        <div className="card">
          <div className="muted">Total QREs</div>
          <div className="big">
            <ValText v={d.qre.total} />
          </div>
        </div>
        <div className="card">
          <div className="muted">Readiness ({d.readiness.source === 'qualification' ? 'qualification checks' : 'completeness checks'})</div>
          <div className="big">{d.readiness.score} / 100</div>
          <div className="bar" aria-hidden="true">
            <div style={{ width: `${d.readiness.score}%` }} />
          </div>
        </div>
      </div>
      {fed.comparison && <p>{fed.comparison}</p>}
      <div className="grid2">
        <div>
          <h2>Credit by method</h2>
          <BarChart
            title="Federal credit by method and §280C"
            rows={fed.alternatives.map((a) => ({ label: `${a.method === 'asc' ? 'ASC' : 'Regular'}${a.section280c ? ' §280C' : ''}`, value: a.credit.status === 'known' ? (a.credit.value as number) : null }))}
          />
          <h2>QREs by category</h2>
          <BarChart title="Qualified research expenses by category" rows={d.qre.categories.map((c) => ({ label: c.label, value: c.status === 'known' ? (c.value as number) : c.status === 'na' ? 0 : null }))} />
          <h2>QREs by business component</h2>
          <BarChart title="Qualified research expenses by component" rows={d.qre.byComponent.map((c) => ({ label: c.name, value: c.total }))} />
        </div>
        <div>
          <h2>Readiness</h2>
          <table>
            <tbody>
              {d.readiness.checks.map((c) => (
                <tr key={c.id + (c as { componentId?: string }).componentId}>
                  <td>
                    <span className={`pill ${c.status}`}>{c.status}</span>
                  </td>
                  <td>
                    {c.title}
                    <div className="muted">{c.message}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Open flags ({d.flags.length})</h2>
          <ul>
            {d.flags.map((f) => (
              <li key={f.option}>
                <strong>{f.option}</strong> = {f.chosen}
                {f.isDefault ? ' (default)' : ''}: <span className="muted">{f.message}</span>
              </li>
            ))}
          </ul>
          <h2>What is missing ({d.missing.length})</h2>
          <ul>
            {d.missing.slice(0, 25).map((m) => (
              <li key={m}>
                <code>{m}</code>
              </li>
            ))}
            {d.missing.length > 25 && <li>… and {d.missing.length - 25} more</li>}
          </ul>
          {d.notes.map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
        </div>
      </div>
    </>
  );
}

function FormsTab({ id, version }: { id: string; version: number }) {
  const { data: r, error } = useAsync(() => api.result(id), [id, version]);
  const [why, setWhy] = useState<{ title: string; e?: Explanation; err?: string } | null>(null);
  if (error) return <Err msg={error} />;
  if (!r) return <p>Computing…</p>;
  return (
    <>
      {Object.entries(r.forms).map(([fid, f]) => (
        <div key={fid}>
          <h2>
            {f.title} <span className="muted">({f.revision})</span>
          </h2>
          <table>
            <thead>
              <tr>
                <th>Line</th>
                <th>Description</th>
                <th className="num">Amount</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {f.lines.map((l) => (
                <tr key={l.line}>
                  <td>{l.line}</td>
                  <td>{l.label}</td>
                  <td className="num">
                    <ValText v={l} kind={l.kind} />
                  </td>
                  <td>
                    <button
                      className="link"
                      aria-label={`why? ${f.title} line ${l.line}`}
                      onClick={async () => {
                        const title = `${f.title}, line ${l.line}: ${l.label}`;
                        setWhy({ title });
                        try {
                          setWhy({ title, e: (await api.explain(id, fid, l.line)).explanation });
                        } catch (e) {
                          setWhy({ title, err: String(e) });
                        }
                      }}
                    >
                      why?
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {why && (
        <Modal title={why.title} onClose={() => setWhy(null)}>
          {why.err ? <Err msg={why.err} /> : why.e ? <ExplainTree e={why.e} /> : <p>Loading…</p>}
        </Modal>
      )}
    </>
  );
}

function PeopleTab({ id, version }: { id: string; version: number }) {
  const { data, error } = useAsync(() => api.people(id), [id, version]);
  if (error) return <Err msg={error} />;
  if (!data) return <p>Loading…</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>Employee</th>
          <th>Role</th>
          <th className="num">Wages</th>
          <th className="num">Qualified share</th>
          <th className="num">Qualified wages</th>
          <th>Hours by state</th>
          <th>Basis</th>
        </tr>
      </thead>
      <tbody>
        {data.people.map((p) => (
          <tr key={p.id}>
            <td>
              {p.name}
              <div className="muted">
                {p.id}
                {p.title ? ` · ${p.title}` : ''}
                {p.officer ? ' · officer' : ''}
              </div>
            </td>
            <td>{p.role ?? '—'}</td>
            <td className="num" title={p.wagesSource ?? undefined}>
              {p.wages === null ? <span className="unknown">unknown</span> : dollars(p.wages)}
            </td>
            <td className="num">
              {p.qualifiedShare === null ? <span className="unknown">unknown</span> : `${(Number(p.qualifiedShare) * 100).toFixed(1)}%`}
              {p.substantiallyAll ? <div className="muted">≥ 80%: all wages</div> : null}
            </td>
            <td className="num">{p.qualifiedWages === null ? <span className="unknown" title={p.missing.join(', ')}>unknown</span> : dollars(p.qualifiedWages)}</td>
            <td>
              {Object.entries(p.hoursByState)
                .map(([k, v]) => `${k} ${Math.round(v)}h`)
                .join(', ')}
            </td>
            <td>
              {p.basis}
              {p.wagesSource ? <div className="muted">wages: {p.wagesSource}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AnswerInput({ q, value, onChange }: { q: Question; value: unknown; onChange: (v: unknown) => void }) {
  const idFor = `q-${q.id}`;
  switch (q.type) {
    case 'yes_no':
      return (
        <select id={idFor} value={value === true ? 'yes' : value === false ? 'no' : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'yes')}>
          <option value="">—</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      );
    case 'date':
      return <input id={idFor} type="date" value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />;
    case 'list':
      return (
        <textarea
          id={idFor}
          rows={3}
          placeholder="one per line"
          value={Array.isArray(value) ? (value as string[]).join('\n') : ''}
          onChange={(e) => {
            const items = e.target.value.split('\n').map((x) => x.trim());
            onChange(items.some(Boolean) ? items : undefined);
          }}
          onBlur={(e) => {
            const items = e.target.value.split('\n').map((x) => x.trim()).filter(Boolean);
            onChange(items.length ? items : undefined);
          }}
        />
      );
    case 'number':
      return <input id={idFor} type="number" inputMode="decimal" value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
    case 'choice':
      return (
        <select id={idFor} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">—</option>
          {q.choices?.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      );
    case 'multi': {
      const set = new Set(Array.isArray(value) ? (value as string[]) : []);
      return (
        <fieldset id={idFor} style={{ border: 'none', padding: 0 }}>
          {q.choices?.map((c) => (
            <label key={c.value} style={{ display: 'block', fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={set.has(c.value)}
                onChange={(e) => {
                  const n = new Set(set);
                  if (e.target.checked) n.add(c.value);
                  else n.delete(c.value);
                  onChange(n.size ? [...n] : undefined);
                }}
              />{' '}
              {c.label}
            </label>
          ))}
        </fieldset>
      );
    }
    default:
      return <textarea id={idFor} rows={3} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
}

function Interview({ id, c, questions, onSaved }: { id: string; c: Component; questions: Question[]; onSaved: () => void }) {
  const [vals, setVals] = useState<Record<string, unknown>>(() => Object.fromEntries(c.answers.map((a) => [a.question, a.value])));
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const [file, setFile] = useState<File | null>(null);
  return (
    <form
      className="interview"
      onSubmit={async (e) => {
        e.preventDefault();
        setErr('');
        const answers = Object.entries(vals)
          .filter(([, v]) => v !== undefined)
          .map(([question, value]) => ({ question, value: value as string }));
        if (!answers.length) return setErr('Answer at least one question.');
        try {
          const r = await api.answer(id, c.id, answers);
          setMsg(`Saved ${r.saved} answer(s)${r.openedVersion ? `; version ${r.version} opened` : ''}${r.qualificationChanges.length ? '; the qualification changed' : ''}.`);
          onSaved();
        } catch (x) {
          setErr(x instanceof ApiError ? x.message : String(x));
        }
      }}
    >
      {questions.map((q) => (
        <div className="form-row" key={q.id}>
          <label htmlFor={`q-${q.id}`}>
            {q.text}
            {q.required ? ' *' : ''}
          </label>
          {q.help && <span className="muted">{q.help}</span>}
          <AnswerInput q={q} value={vals[q.id]} onChange={(v) => setVals((o) => ({ ...o, [q.id]: v }))} />
        </div>
      ))}
      <button type="submit">Save answers</button>
      {msg && (
        <p className="banner ok" role="status">
          {msg}
        </p>
      )}
      <Err msg={err} />
      <h3>Evidence</h3>
      <ul>
        {c.evidence.map((e) => (
          <li key={e.id}>
            {e.title} <span className="muted">({e.kind}{e.sha256 ? `, sha256 ${e.sha256.slice(0, 12)}…` : ''})</span>
          </li>
        ))}
      </ul>
      <div className="row">
        <label htmlFor={`ev-${c.id}`}>Upload evidence</label>
        <input id={`ev-${c.id}`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <button
          type="button"
          className="secondary"
          disabled={!file}
          onClick={async () => {
            if (!file) return;
            try {
              const r = await api.uploadEvidence(id, file, { kind: 'other', components: [c.id] });
              setMsg(r.alreadyPresent ? 'That file was already in the ledger; it is now linked here.' : `Stored as ${r.item.sha256.slice(0, 12)}…`);
              onSaved();
            } catch (x) {
              setErr(x instanceof ApiError ? x.message : String(x));
            }
          }}
        >
          Upload
        </button>
      </div>
    </form>
  );
}

function ComponentsTab({ id, version, onChange, canDecide }: { id: string; version: number; onChange: () => void; canDecide: boolean }) {
  const comps = useAsync(() => api.components(id), [id, version]);
  const iv = useAsync(() => api.interview(id), [id]);
  const [open, setOpen] = useState<string | null>(null);
  const [why, setWhy] = useState('');
  const [err, setErr] = useState('');
  if (comps.error) return <Err msg={comps.error} />;
  if (!comps.data || !iv.data) return <p>Loading…</p>;
  return (
    <>
      {iv.data.engine === 'none' && <p className="muted">Answers are kept with the study. The preparer records each component's qualification decision and reason below.</p>}
      {comps.data.components.map((c) => (
        <div className="card" key={c.id} style={{ marginBottom: 12 }}>
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <div>
              <strong>{c.name}</strong> <span className="muted">({c.id}, {c.type})</span>
            </div>
            <span className={`pill ${c.qualification}`} data-testid={`qual-${c.id}`}>
              {c.qualification.replace(/_/g, ' ')}
            </span>
          </div>
          {c.informationSought && <p className="muted">Information sought: {c.informationSought}</p>}
          {c.report && <p>Qualification engine: {c.report.result.replace(/_/g, ' ')} — {c.report.reasons.join(' ')}</p>}
          <div className="row">
            <button className="secondary" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)}>
              {open === c.id ? 'Close interview' : `Interview (${c.answers.length} answered)`}
            </button>
            {canDecide &&
              (['qualifies', 'does_not_qualify', 'needs_information'] as const)
                .filter((q) => q !== c.qualification)
                .map((q) => (
                  <button
                    key={q}
                    className="secondary"
                    onClick={async () => {
                      setErr('');
                      const reason = why.trim() || prompt(`Why does ${c.id} ${q.replace(/_/g, ' ')}?`) || '';
                      if (reason.length < 3) return setErr('Give a reason of at least 3 characters.');
                      try {
                        await api.decide(id, c.id, q, reason);
                        setWhy('');
                        onChange();
                        comps.reload();
                      } catch (x) {
                        setErr(x instanceof ApiError ? x.message : String(x));
                      }
                    }}
                  >
                    Mark {q.replace(/_/g, ' ')}
                  </button>
                ))}
          </div>
          {open === c.id && (
            <Interview
              id={id}
              c={c}
              questions={iv.data!.questions}
              onSaved={() => {
                onChange();
                comps.reload();
              }}
            />
          )}
          {c.decisions.length > 0 && (
            <details>
              <summary>Decisions ({c.decisions.length})</summary>
              <ul>
                {c.decisions.map((d, i) => (
                  <li key={i}>
                    {d.at.slice(0, 16).replace('T', ' ')} {d.by}: {d.previous ?? '—'} → {d.result}: {d.why}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      ))}
      {canDecide && (
        <div className="form-row">
          <label htmlFor="decision-reason">Reason for the next qualification decision</label>
          <input id="decision-reason" value={why} onChange={(e) => setWhy(e.target.value)} placeholder="e.g. interview of 2025-03-02: six alternatives evaluated" />
        </div>
      )}
      <Err msg={err} />
    </>
  );
}

function Diagnostics({ list }: { list: Diagnostic[] }) {
  if (!list.length) return null;
  return (
    <table>
      <thead>
        <tr>
          <th>Severity</th>
          <th>Row</th>
          <th>Column</th>
          <th>Problem</th>
        </tr>
      </thead>
      <tbody>
        {list.map((d, i) => (
          <tr key={i}>
            <td className={d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warn' : 'muted'}>{d.severity}</td>
            <td>{d.row ?? ''}</td>
            <td>{d.column ?? ''}</td>
            <td>
              {d.message}
              {d.value !== undefined ? ` (value "${d.value}")` : ''}
              {d.expected ? `; expected ${d.expected}` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ImportTab({ id, onChange }: { id: string; onChange: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const es = new EventSource(api.jobEventsUrl(id, job.id));
    const on = (ev: MessageEvent<string>) => {
      const j = JSON.parse(ev.data) as Job;
      setJob(j);
      if (j.status !== 'running') {
        es.close();
        onChange();
      }
    };
    es.addEventListener('progress', on as EventListener);
    es.addEventListener('done', on as EventListener);
    es.onerror = () => {
      es.close();
      void api.job(id, job.id).then((j) => {
        setJob(j);
        if (j.status !== 'running') onChange();
      });
    };
    return () => es.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job?.id]);
  const pct = job && job.bytesTotal ? Math.round((100 * job.bytesRead) / job.bytesTotal) : 0;
  return (
    <>
      <p className="muted">Payroll and W-2 registers, time tracking, general ledger, contractors, cloud bills (CSV, XLSX), Jira/Tempo and MLflow JSON, git logs. Every file is kept byte for byte in the evidence ledger.</p>
      <div className="row">
        <label htmlFor="import-file">File</label>
        <input
          id="import-file"
          type="file"
          onChange={async (e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            setPreview(null);
            setJob(null);
            setErr('');
            if (f) {
              try {
                setPreview(await api.preview(id, f));
              } catch (x) {
                setErr(x instanceof ApiError ? x.message : String(x));
              }
            }
          }}
        />
        <button
          disabled={!file || job?.status === 'running'}
          onClick={async () => {
            if (!file) return;
            setErr('');
            try {
              setJob(await api.startImport(id, file));
            } catch (x) {
              setErr(x instanceof ApiError ? x.message : String(x));
            }
          }}
        >
          Import
        </button>
      </div>
      <Err msg={err} />
      {preview && (
        <div data-testid="preview">
          <h2>Column mapping</h2>
          {preview.profile ? (
            <p>
              Recognised as <strong>{preview.profile.vendor}</strong> ({preview.profile.id}, {preview.profile.kind}, {preview.profile.confidence}); header on row {preview.headerRow}.
            </p>
          ) : (
            <p className="muted">No profile recognised in the preview ({preview.format}).</p>
          )}
          {preview.mapping.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>Our field</th>
                  <th>Your column</th>
                  {preview.sample.slice(0, 3).map((_, i) => (
                    <th key={i}>Row {i + 1}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.mapping.map((m) => (
                  <tr key={m.field}>
                    <td>{m.field}</td>
                    <td>{m.header}</td>
                    {preview.sample.slice(0, 3).map((r, i) => (
                      <td key={i}>{r[m.column] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {preview.unmapped.length > 0 && <p className="muted">Not used: {preview.unmapped.join(', ')}</p>}
          <Diagnostics list={preview.diagnostics} />
        </div>
      )}
      {job && (
        <div data-testid="import-job">
          <h2>Import {job.status === 'running' ? `${pct}%` : job.status}</h2>
          <div className="bar" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${job.status === 'running' ? pct : 100}%` }} />
          </div>
          {job.result && (
            <>
              <p className={job.status === 'done' ? 'banner ok' : 'banner bad'} role="status">
                {job.status === 'done'
                  ? job.result.status === 'already_imported'
                    ? `Already imported: ${job.result.message}`
                    : `Imported with profile ${job.result.profile}: ${job.result.stats.rowsUsed} of ${job.result.stats.rowsRead} rows used; ${(['added', 'updated', 'replaced'] as const)
                        .flatMap((k) => Object.entries(job.result!.merged?.[k] ?? {}).map(([what, n]) => `${n} ${what} ${k}`))
                        .join(', ')}.`
                  : 'Nothing was imported: fix the rows below (or accept skipping them) and import again.'}
              </p>
              <Diagnostics list={job.result.diagnostics} />
            </>
          )}
        </div>
      )}
    </>
  );
}

function WhatIfTab({ id, version, onChange }: { id: string; version: number; onChange: () => void }) {
  const info = useAsync(() => api.study(id), [id, version]);
  const opts = useAsync(() => api.options(id), [id, version]);
  const [e, setE] = useState<Partial<Elections>>({});
  const [w, setW] = useState<WhatIf | null>(null);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  if (info.error) return <Err msg={info.error} />;
  if (!info.data || !opts.data) return <p>Loading…</p>;
  const saved = info.data.elections;
  const cur = { ...saved, ...e, options: { ...(saved.options ?? {}), ...(e.options ?? {}) } };
  const run = async (next: Partial<Elections>) => {
    setE(next);
    setBusy(true);
    setErr('');
    try {
      setW(await api.whatIf(id, next));
    } catch (x) {
      setErr(x instanceof ApiError ? x.message : String(x));
    } finally {
      setBusy(false);
    }
  };
  const delta = (n: number | null) => (n === null ? 'not comparable' : n === 0 ? 'no change' : <span className={n > 0 ? 'delta-up' : 'delta-down'}>{`${n > 0 ? '+' : ''}${dollars(n)}`}</span>);
  const used = opts.data.options.filter((o) => o.usedByResult);
  return (
    <>
      <div className="grid2">
        <div>
          <div className="form-row">
            <label htmlFor="wi-method">Credit method</label>
            <select id="wi-method" value={cur.method} onChange={(x) => run({ ...e, method: x.target.value as Elections['method'] })}>
              <option value="best">The larger (engine chooses)</option>
              <option value="regular">Regular credit</option>
              <option value="asc">Alternative simplified credit (ASC)</option>
            </select>
          </div>
          <div className="form-row">
            <label htmlFor="wi-280c">§280C(c)(2) reduced credit</label>
            <select id="wi-280c" value={String(cur.section280c)} onChange={(x) => run({ ...e, section280c: x.target.value === 'best' ? 'best' : x.target.value === 'true' })}>
              <option value="best">The better (engine chooses)</option>
              <option value="true">Elect the reduced credit</option>
              <option value="false">Full credit (reduce the deduction)</option>
            </select>
          </div>
          <div className="form-row">
            <label htmlFor="wi-payroll">§41(h) payroll tax election</label>
            <select id="wi-payroll" value={String(cur.payrollElection?.elect ?? false)} onChange={(x) => run({ ...e, payrollElection: { elect: x.target.value === 'true' } })}>
              <option value="false">No election</option>
              <option value="true">Elect (up to the limit)</option>
            </select>
          </div>
          {info.data.taxpayer.states.includes('ID') && (
            <div className="form-row">
              <label htmlFor="wi-idaho">Idaho start-up fixed-base election</label>
              <select id="wi-idaho" value={String(cur.idahoStartupElection ?? false)} onChange={(x) => run({ ...e, idahoStartupElection: x.target.value === 'true' })}>
                <option value="false">Not elected</option>
                <option value="true">Elected</option>
              </select>
            </div>
          )}
          <h2>Open legal questions used by this study</h2>
          {used.length === 0 && <p className="muted">None.</p>}
          {used.map((o) => (
            <div className="form-row" key={o.id}>
              <label htmlFor={`opt-${o.id}`}>{o.label}</label>
              <span className="muted">{o.question}</span>
              <select id={`opt-${o.id}`} value={cur.options[o.id] ?? o.default} onChange={(x) => run({ ...e, options: { ...(e.options ?? {}), [o.id]: x.target.value } })}>
                {Object.entries(o.choices).map(([k, v]) => (
                  <option key={k} value={k}>
                    {v}
                    {k === o.default ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div className="row">
            <button className="secondary" onClick={() => run({})} disabled={busy}>
              Reset to saved
            </button>
            <button
              disabled={busy || Object.keys(e).length === 0}
              onClick={async () => {
                try {
                  const r = await api.saveElections(id, e);
                  setE({});
                  setW(null);
                  onChange();
                  info.reload();
                  if (r.openedVersion) alert(`Saved; the signed version stays as it was and version ${r.version} is open.`);
                } catch (x) {
                  setErr(x instanceof ApiError ? x.message : String(x));
                }
              }}
            >
              Save these elections
            </button>
          </div>
        </div>
        <div aria-live="polite">
          <Err msg={err} />
          {busy && <p>Recomputing…</p>}
          {w && (
            <div data-testid="what-if-result">
              <table>
                <thead>
                  <tr>
                    <th />
                    <th className="num">As saved</th>
                    <th className="num">What if</th>
                    <th className="num">Change</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <td>Federal credit</td>
                    <td className="num">
                      <ValText v={w.base.federal} />
                    </td>
                    <td className="num">
                      <ValText v={w.whatIf.federal} />
                    </td>
                    <td className="num" data-testid="federal-change">
                      {delta(w.change.federal)}
                    </td>
                  </tr>
                  {Object.keys(w.whatIf.states).map((k) => (
                    <tr key={k}>
                      <td>{k} credit</td>
                      <td className="num">
                        <ValText v={w.base.states[k]} />
                      </td>
                      <td className="num">
                        <ValText v={w.whatIf.states[k]} />
                      </td>
                      <td className="num">{delta(w.change.states[k] ?? null)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>Lines that change ({w.differences.length})</h2>
              <table>
                <tbody>
                  {w.differences.map((d) => (
                    <tr key={d.form + d.line}>
                      <td>
                        {d.form} {d.line}
                      </td>
                      <td>{d.label}</td>
                      <td className="num">{showVal(d.base, typeof d.base.value === 'string' ? 'rate' : 'money')}</td>
                      <td className="num">{showVal(d.whatIf, typeof d.whatIf.value === 'string' ? 'rate' : 'money')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </>
  );
}

function ReviewTab({ id, version, onChange }: { id: string; version: number; onChange: () => void }) {
  const so = useAsync(() => api.signoffs(id), [id, version]);
  const cm = useAsync(() => api.comments(id), [id, version]);
  const au = useAsync(() => api.audit(id).catch(() => ({ entries: [] })), [id, version]);
  const [target, setTarget] = useState('study');
  const [body, setBody] = useState('');
  const [err, setErr] = useState('');
  if (!so.data || !cm.data) return <p>Loading…</p>;
  const v = so.data.version;
  const stages = [
    ['preparer', 'Preparer'],
    ['technical_review', 'Technical review'],
    ['signing', 'Signing CPA'],
  ] as const;
  return (
    <>
      <h2>
        Sign-off, version {v.version} ({v.status})
      </h2>
      <table>
        <tbody>
          {stages.map(([s, label]) => {
            const done = so.data!.signoffs.find((x) => x.version === v.version && x.stage === s);
            return (
              <tr key={s}>
                <td>{label}</td>
                <td>{done ? `${done.user ?? ''}, ${done.at.slice(0, 16)}${done.note ? ` — ${done.note}` : ''}` : '—'}</td>
                <td>
                  {!done && v.status === 'open' && (
                    <button
                      className="secondary"
                      onClick={async () => {
                        setErr('');
                        try {
                          await api.signoff(id, s);
                          onChange();
                          so.reload();
                        } catch (x) {
                          setErr(x instanceof ApiError ? x.message : String(x));
                        }
                      }}
                    >
                      Sign as {label.toLowerCase()}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Err msg={err} />
      <h2>Comments</h2>
      <ul>
        {cm.data.comments.map((c) => (
          <li key={c.id}>
            <strong>{c.user}</strong> on <code>{c.target}</code> (v{c.version}, {c.at.slice(0, 16)}): {c.body}
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          setErr('');
          try {
            await api.comment(id, target, body);
            setBody('');
            cm.reload();
            au.reload();
          } catch (x) {
            setErr(x instanceof ApiError ? x.message : String(x));
          }
        }}
      >
        <label htmlFor="c-target">On</label>
        <input id="c-target" value={target} onChange={(e) => setTarget(e.target.value)} size={18} title="study, component:<id>, line:f6765:24 or employee:<id>" />
        <label htmlFor="c-body">Comment</label>
        <input id="c-body" value={body} onChange={(e) => setBody(e.target.value)} size={50} required />
        <button type="submit">Add comment</button>
      </form>
      <h2>Audit log</h2>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Before → after</th>
          </tr>
        </thead>
        <tbody>
          {(au.data?.entries ?? []).slice(0, 100).map((a) => (
            <tr key={a.id}>
              <td>{a.at.slice(0, 19)}</td>
              <td>{a.user ?? ''}</td>
              <td>
                {a.action} {a.target ? <code>{a.target}</code> : null}
              </td>
              <td>
                <details>
                  <summary>show</summary>
                  <pre style={{ whiteSpace: 'pre-wrap', maxWidth: 560 }}>{JSON.stringify({ before: a.before, after: a.after }, null, 1).slice(0, 3000)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function DownloadsTab({ id }: { id: string }) {
  const { data, error } = useAsync(() => api.downloads(id), [id]);
  if (error) return <Err msg={error} />;
  if (!data) return <p>Loading…</p>;
  return (
    <ul>
      {data.downloads.map((d) => (
        <li key={d.id}>
          <a href={api.downloadUrl(id, d.id)} download data-testid={`download-${d.id}`}>
            {d.title}
          </a>
        </li>
      ))}
    </ul>
  );
}
