import { useEffect, useMemo, useState } from 'react';
import { OwnersSection } from './Owners';
import { api, ApiError, dollars, showVal, type Comment, type Diagnostic, type Elections, type Explanation, type Job, type Me, type Person, type Preview, type WhatIf } from '../api';
import { BarChart, ColumnChart } from '../charts';
import { CommentButton, compareBy, ExplainTree, Modal, SortHeader, targetLabel, useAsync, ValText, type SortDir } from '../widgets';
import { ComponentPage } from './Component';
import { Interview } from './Interview';

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

/** Comments of the study, for the comment buttons (only for a role that may read the study). */
function useComments(id: string, version: number, enabled: boolean) {
  const r = useAsync(() => (enabled ? api.comments(id) : Promise.resolve({ comments: [] as Comment[] })), [id, version, enabled]);
  return { comments: r.data?.comments ?? [], reload: r.reload };
}

export function StudyPage({ id, tab, sub, me }: { id: string; tab: string; sub?: string; me: Me }) {
  const summary = useAsync(() => api.studies(), [id]);
  const s = summary.data?.studies.find((x) => x.id === id);
  const contributor = s?.role === 'client_contributor';
  const perms = new Set(s?.permissions ?? []);
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
            id={`tab-${t.id}`}
            role="tab"
            aria-selected={tab === t.id}
            aria-controls="study-panel"
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => go(t.id)}
            onKeyDown={(e) => {
              const i = tabs.findIndex((x) => x.id === tab);
              const to = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
              if (to < 0) return;
              e.preventDefault();
              go(tabs[to]!.id);
              // keep the focus on the selected tab (roving tabindex)
              requestAnimationFrame(() => document.getElementById(`tab-${tabs[to]!.id}`)?.focus());
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="study-panel" aria-labelledby={`tab-${tab}`}>
        {tab === 'dashboard' && <DashboardTab id={id} version={version} />}
        {tab === 'forms' && <FormsTab id={id} version={version} canComment={perms.has('comment.write')} />}
        {tab === 'people' && <PeopleTab id={id} version={version} canComment={perms.has('comment.write')} />}
        {tab === 'components' && <ComponentsTab id={id} sub={sub} version={version} onChange={bump} canDecide={perms.has('study.edit')} canRead={perms.has('study.read')} canComment={perms.has('comment.write')} />}
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
      <OwnersSection id={id} version={version} />
      <div className="grid2">
        <div>
          <h2>Credit by method</h2>
          <BarChart
            testId="chart-methods"
            title="Federal credit under each method (with and without the §280C reduced credit)"
            valueLabel="Credit"
            rows={fed.alternatives.map((a) => ({
              label: `${a.method === 'asc' ? 'ASC' : 'Regular'}${a.section280c ? ', §280C reduced' : ', full'}${a.method === fed.chosen.method && a.section280c === fed.chosen.section280c ? ' (chosen)' : ''}`,
              value: a.credit.status === 'known' ? (a.credit.value as number) : null,
              highlight: a.method === fed.chosen.method && a.section280c === fed.chosen.section280c,
              ...(a.credit.status === 'unknown' ? { note: `missing: ${(a.credit.missing ?? []).join(', ')}` } : a.credit.status === 'na' ? { note: a.credit.reason ?? 'not applicable' } : {}),
            }))}
          />
          <h2>QREs by category</h2>
          <BarChart
            testId="chart-categories"
            title="Qualified research expenses by category"
            valueLabel="QREs"
            rows={d.qre.categories
              .filter((c) => c.status !== 'na')
              .map((c) => ({ label: c.label, value: c.status === 'known' ? (c.value as number) : null, ...(c.status === 'unknown' ? { note: `missing: ${(c.missing ?? []).join(', ')}` } : {}) }))}
          />
          <h2>QREs by business component</h2>
          <BarChart testId="chart-components" title="Qualified research expenses by business component" valueLabel="QREs" empty="No component has QREs." rows={d.qre.byComponent.map((c) => ({ label: c.name, value: c.total }))} />
          <h2>QREs by state</h2>
          <BarChart
            testId="chart-states"
            title="Qualified research expenses by state where the research was done"
            valueLabel="QREs"
            empty="The QREs are not sourced to states."
            rows={Object.entries(d.qre.byState ?? {})
              .sort((a, b) => b[1].total - a[1].total)
              .map(([k, v]) => ({ label: k, value: v.total }))}
          />
          <h2>QREs year over year</h2>
          <ColumnChart
            testId="chart-years"
            title={`Qualified research expenses by tax year (prior years from the study's history, ${d.qre.yearOverYear.find((y) => y.current)?.label ?? 'this year'} computed)`}
            valueLabel="QREs"
            rows={d.qre.yearOverYear.map((y) => ({
              label: y.label,
              value: y.total.status === 'known' ? (y.total.value as number) : null,
              highlight: y.current,
              note: y.current ? 'this study (computed)' : y.total.status === 'known' ? 'history (as entered)' : 'history: QREs not entered',
            }))}
          />
        </div>
        <div>
          <h2>Readiness</h2>
          <table>
            <tbody>
              {d.readiness.checks.map((c) => (
                <tr key={c.id + (c.componentId ?? '')}>
                  <td>
                    <span className={`pill ${c.status}`}>{c.status}</span>
                  </td>
                  <td>
                    {c.title}
                    {c.componentId ? (
                      <>
                        {' '}
                        (<a href={`#/studies/${encodeURIComponent(d.study.id)}/components/${encodeURIComponent(c.componentId)}`}>{c.componentId}</a>)
                      </>
                    ) : null}
                    <div className="muted">{c.message}</div>
                    {c.citation && c.citation.length > 0 && <div className="muted small">{c.citation.map((x) => x.title).join('; ')}</div>}
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

function FormsTab({ id, version, canComment }: { id: string; version: number; canComment: boolean }) {
  const { data: r, error } = useAsync(() => api.result(id), [id, version]);
  const cm = useComments(id, version, true);
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
                <th>
                  <span className="sr-only">Explain and comment</span>
                </th>
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
                    </button>{' '}
                    <CommentButton studyId={id} target={`line:${fid}:${l.line}`} what={`${f.title}, line ${l.line}`} comments={cm.comments} canWrite={canComment} onPosted={cm.reload} />
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

const ROLE_NAMES: Record<string, string> = { researcher: 'Researcher', engineer: 'Engineer', scientist: 'Scientist', technician: 'Technician', manager: 'Manager', executive: 'Executive', support: 'Support', other: 'Other' };

const PEOPLE_SORT: Record<string, (p: Person) => number | string | null> = {
  name: (p) => p.name,
  role: (p) => p.role ?? null,
  wages: (p) => p.wages,
  share: (p) => (p.qualifiedShare === null ? null : Number(p.qualifiedShare)),
  qualified: (p) => p.qualifiedWages,
  hours: (p) => p.totalHours,
  states: (p) => Object.keys(p.hoursByState).sort().join(' '),
  basis: (p) => p.basis,
};

function PeopleTab({ id, version, canComment }: { id: string; version: number; canComment: boolean }) {
  const { data, error } = useAsync(() => api.people(id), [id, version]);
  const cm = useComments(id, version, true);
  const [sort, setSort] = useState<{ col: string; dir: SortDir }>({ col: 'qualified', dir: 'descending' });
  const rows = useMemo(() => [...(data?.people ?? [])].sort(compareBy(PEOPLE_SORT[sort.col]!, sort.dir)), [data, sort]);
  if (error) return <Err msg={error} />;
  if (!data) return <p>Loading…</p>;
  const onSort = (col: string) => setSort((s) => ({ col, dir: s.col === col && s.dir === 'ascending' ? 'descending' : s.col === col ? 'ascending' : col === 'name' || col === 'role' || col === 'states' || col === 'basis' ? 'ascending' : 'descending' }));
  const h = (label: string, col: string, num?: boolean) => <SortHeader label={label} col={col} sort={sort} onSort={onSort} {...(num ? { num } : {})} />;
  const pct = (d: string) => `${(Number(d) * 100).toFixed(1)}%`;
  return (
    <>
      <p className="muted" id="people-help">
        Wages are §3401(a) wages (W-2 box 1 with adjustments). The qualified share is the share of hours in qualified services; at 80% or more all wages count (Treas. Reg. § 1.41-2(d)(2)). Sort by any column.
      </p>
      <div className="scroll">
        <table data-testid="people" aria-describedby="people-help">
          <caption className="sr-only">People and time, sorted by {sort.col} {sort.dir}</caption>
          <thead>
            <tr>
              {h('Employee', 'name')}
              {h('Role', 'role')}
              {h('Wages', 'wages', true)}
              {h('Qualified share', 'share', true)}
              {h('Qualified wages', 'qualified', true)}
              {h('Hours', 'hours', true)}
              {h('Hours by work state', 'states')}
              {h('Basis', 'basis')}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id}>
                <th scope="row" className="rowhead">
                  {p.name}
                  <div className="muted">
                    {p.id}
                    {p.title ? ` · ${p.title}` : ''}
                    {p.officer ? ' · officer' : ''}
                  </div>
                  <CommentButton studyId={id} target={`employee:${p.id}`} what={`${p.name} (${p.id})`} comments={cm.comments} canWrite={canComment} onPosted={cm.reload} />
                </th>
                <td>{p.role ? (ROLE_NAMES[p.role] ?? p.role) : '—'}</td>
                <td className="num">
                  {p.wages === null ? <span className="unknown">unknown</span> : dollars(p.wages)}
                  {p.wagesSource ? <div className="muted small">{p.wagesSource}</div> : null}
                  {p.adjustments.length > 0 ? <div className="muted small">{p.adjustments.length} adjustment(s)</div> : null}
                </td>
                <td className="num">
                  {p.qualifiedShare === null ? <span className="unknown">unknown</span> : pct(p.qualifiedShare)}
                  {p.substantiallyAll && p.measuredShare !== null ? <div className="muted small">measured {pct(p.measuredShare)}; ≥ 80%: all wages</div> : null}
                </td>
                <td className="num">{p.qualifiedWages === null ? <span className="unknown" title={p.missing.join(', ')}>unknown</span> : dollars(p.qualifiedWages)}</td>
                <td className="num">
                  {Math.round(p.totalHours).toLocaleString('en-US')}
                  <div className="muted small">qualified {Math.round(p.qualifiedHours).toLocaleString('en-US')}</div>
                </td>
                <td>
                  {Object.keys(p.hoursByState).length === 0
                    ? '—'
                    : Object.entries(p.hoursByState)
                        .sort((a, b) => b[1] - a[1])
                        .map(([k, v], i) => (
                          <span key={k} className="nowrap">
                            {i > 0 ? ', ' : ''}
                            {k} {Math.round(v).toLocaleString('en-US')} h
                          </span>
                        ))}
                </td>
                <td>
                  {p.basis}
                  {p.missing.length > 0 ? <div className="unknown small">missing: {p.missing.join(', ')}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ComponentsTab({ id, sub, version, onChange, canDecide, canRead, canComment }: { id: string; sub: string | undefined; version: number; onChange: () => void; canDecide: boolean; canRead: boolean; canComment: boolean }) {
  const comps = useAsync(() => api.components(id), [id, version]);
  const iv = useAsync(() => api.interview(id), [id]);
  const cm = useComments(id, version, canRead);
  const [open, setOpen] = useState<string | null>(null);
  if (comps.error) return <Err msg={comps.error} />;
  if (!comps.data || !iv.data) return <p>Loading…</p>;
  if (sub) return <ComponentPage id={id} componentId={sub} version={version} questions={iv.data.questions} canDecide={canDecide} canComment={canComment} onChange={onChange} />;
  const href = (cid: string) => `#/studies/${encodeURIComponent(id)}/components/${encodeURIComponent(cid)}`;
  return (
    <>
      {iv.data.engine === 'none' && <p className="muted">Answers are kept with the study. The preparer records each component's qualification decision and reason on the component's page.</p>}
      {comps.data.components.map((c) => (
        <div className="card" key={c.id} style={{ marginBottom: 12 }}>
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <h2 style={{ margin: 0, fontSize: 16 }}>
              <a href={href(c.id)}>{c.name}</a> <span className="muted">({c.id}, {c.type.replace(/_/g, ' ')})</span>
            </h2>
            <span className={`pill ${c.qualification}`} data-testid={`qual-${c.id}`}>
              {c.qualification.replace(/_/g, ' ')}
            </span>
          </div>
          {c.informationSought && <p className="muted">Information sought: {c.informationSought}</p>}
          {c.report && (
            <p>
              Qualification engine: <span className={c.report.result}>{c.report.result.replace(/_/g, ' ')}</span>; readiness {c.report.readiness.score} / 100.
            </p>
          )}
          <div className="row">
            <a href={href(c.id)} className="button secondary" aria-label={`Qualification report of ${c.name}`}>
              Qualification report
            </a>
            <button className="secondary" aria-expanded={open === c.id} onClick={() => setOpen(open === c.id ? null : c.id)}>
              {open === c.id ? 'Close interview' : `Interview (${c.answers.length} answered)`}
            </button>
            <CommentButton studyId={id} target={`component:${c.id}`} what={`component ${c.name} (${c.id})`} comments={cm.comments} canWrite={canComment} onPosted={cm.reload} />
          </div>
          {open === c.id && (
            <Interview
              id={id}
              componentId={c.id}
              answers={c.answers}
              evidence={c.evidence}
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
      <p className="muted">Comment on a form line, a component or an employee with the “comment” button next to it; comments on the study as a whole go here.</p>
      <ul data-testid="comments">
        {cm.data.comments.map((c) => {
          const [k, a] = c.target.split(':');
          const link = k === 'line' ? `#/studies/${encodeURIComponent(id)}/forms` : k === 'component' ? `#/studies/${encodeURIComponent(id)}/components/${encodeURIComponent(a!)}` : k === 'employee' ? `#/studies/${encodeURIComponent(id)}/people` : undefined;
          return (
            <li key={c.id}>
              <strong>{c.user}</strong> on {link ? <a href={link}>{targetLabel(c.target)}</a> : targetLabel(c.target)} <span className="muted">(version {c.version}, {c.at.slice(0, 16)})</span>: {c.body}
            </li>
          );
        })}
      </ul>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          setErr('');
          try {
            await api.comment(id, 'study', body);
            setBody('');
            cm.reload();
            au.reload();
          } catch (x) {
            setErr(x instanceof ApiError ? x.message : String(x));
          }
        }}
      >
        <label htmlFor="c-body">Comment on the study</label>
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
