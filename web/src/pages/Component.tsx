/**
 * One business component: the qualification report (each part of the four-part test with its
 * reasons and citations, each exclusion, the substantially-all measurement with shrink-back, the
 * evidence and whether it is dated inside the tax year), the exam-readiness checks with their
 * citations, the QREs, the interview, decisions and comments.
 */
import { useState } from 'react';
import { api, ApiError, dollars, type Comment, type EvidenceUse, type Question } from '../api';
import { Citations, CommentButton, ExplainTree, useAsync } from '../widgets';
import { Interview } from './Interview';

export const TEST_LABELS: Record<string, string> = {
  permitted_purpose: 'Permitted purpose',
  technological_uncertainty: 'Technological uncertainty (elimination of uncertainty)',
  technological_in_nature: 'Technological in nature',
  process_of_experimentation: 'Process of experimentation',
};

export const EXCLUSION_LABELS: Record<string, string> = {
  after_commercial_production: 'Research after commercial production',
  adaptation: 'Adaptation of an existing business component',
  duplication: 'Duplication of an existing business component',
  surveys_studies: 'Surveys, studies and routine testing',
  internal_use_software: 'Internal-use software',
  foreign_research: 'Research conducted outside the United States',
  social_sciences: 'Social sciences, arts or humanities',
  funded_research: 'Funded research',
};

const words = (s: string) => s.replace(/_/g, ' ');
const pct = (d: string | null | undefined) => (d === null || d === undefined ? 'not measurable' : `${(Number(d) * 100).toFixed(2).replace(/\.?0+$/, '')}%`);

/** Inside the tax year / before / after / undated, from the report's timing (or its contemporaneous flag). */
export function contemporaneity(e: EvidenceUse): { text: string; cls: string } {
  const t = e.timing ?? (e.contemporaneous === true ? 'during' : e.contemporaneous === false ? 'after' : 'undated');
  if (t === 'during') return { text: 'inside the tax year', cls: 'pass' };
  if (t === 'before') return { text: 'before the tax year (research begun earlier)', cls: 'pass' };
  if (t === 'after') return { text: 'after the tax year', cls: 'warn' };
  return { text: 'undated', cls: 'fail' };
}

function Pill({ status, text }: { status: string; text?: string }) {
  return <span className={`pill ${status}`}>{text ?? words(status)}</span>;
}

const testClass = (s: string) => (s === 'met' ? 'pass' : s === 'not_met' ? 'fail' : 'warn');

export function ComponentPage({
  id,
  componentId,
  version,
  questions,
  canDecide,
  canComment,
  onChange,
}: {
  id: string;
  componentId: string;
  version: number;
  questions: Question[];
  canDecide: boolean;
  canComment: boolean;
  onChange: () => void;
}) {
  const { data: d, error, reload } = useAsync(() => api.component(id, componentId), [id, componentId, version]);
  const [showInterview, setShowInterview] = useState(false);
  const [why, setWhy] = useState('');
  const [err, setErr] = useState('');
  if (error)
    return (
      <p className="banner bad" role="alert">
        {error}
      </p>
    );
  if (!d) return <p>Loading…</p>;
  const q = d.qualification;
  const c = d.component;
  const comments: Comment[] = d.comments ?? [];
  const sa = q?.substantiallyAll;
  return (
    <article aria-labelledby="component-title" data-testid="component-page">
      <p>
        <a href={`#/studies/${encodeURIComponent(id)}/components`}>← All components</a>
      </p>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="component-title" style={{ margin: 0 }}>
          {c.name} <span className="muted">({c.id}, {words(c.type)})</span>
        </h2>
        <div className="row">
          <span>
            Recorded: <Pill status={c.qualification} />
          </span>
          {q && (
            <span>
              Engine: <Pill status={q.result} />
            </span>
          )}
          <CommentButton studyId={id} target={`component:${c.id}`} what={`component ${c.id}`} comments={comments} canWrite={canComment} onPosted={reload} />
        </div>
      </div>
      {c.informationSought && <p className="muted">Information sought: {c.informationSought}</p>}
      {c.qualificationReason && <p>Recorded reason: {c.qualificationReason}</p>}
      {d.children.length > 0 && (
        <p>
          Sub-components:{' '}
          {d.children.map((x, i) => (
            <span key={x.id}>
              {i > 0 ? ', ' : ''}
              <a href={`#/studies/${encodeURIComponent(id)}/components/${encodeURIComponent(x.id)}`}>{x.name}</a> <Pill status={x.qualification} />
            </span>
          ))}
        </p>
      )}
      {d.qre && (
        <p data-testid="component-qre">
          QREs of this component: <strong>{dollars(d.qre.total)}</strong> <span className="muted">(wages {dollars(d.qre.wages)}, supplies {dollars(d.qre.supplies)}, computers {dollars(d.qre.computers)}, contract {dollars(d.qre.contract)})</span>
        </p>
      )}
      {d.problems.map((p, i) => (
        <p key={i} className={`banner ${p.severity === 'error' ? 'bad' : ''}`}>
          {p.message}
        </p>
      ))}
      {!q ? (
        <p className="muted">No qualification engine is installed: the preparer records the decision and its reason.</p>
      ) : (
        <>
          {q.reasons.length > 0 && (
            <details>
              <summary>
                Why the engine says “{words(q.result)}” ({q.reasons.length} reason{q.reasons.length === 1 ? '' : 's'})
              </summary>
              <ul>
                {q.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            </details>
          )}
          {q.openQuestions && q.openQuestions.length > 0 && (
            <p className="banner">
              Required questions not answered yet: <code>{q.openQuestions.join(', ')}</code>
            </p>
          )}

          <h3 id="four-part">Four-part test</h3>
          <div className="scroll">
            <table aria-labelledby="four-part" data-testid="four-part">
              <thead>
                <tr>
                  <th scope="col">Test</th>
                  <th scope="col">Result</th>
                  <th scope="col">Reasons</th>
                  <th scope="col">Law</th>
                </tr>
              </thead>
              <tbody>
                {q.tests.map((t) => (
                  <tr key={t.test}>
                    <th scope="row" className="rowhead">
                      {TEST_LABELS[t.test] ?? words(t.test)}
                    </th>
                    <td>
                      <Pill status={testClass(t.status)} text={words(t.status)} />
                    </td>
                    <td>
                      <ul className="plain">
                        {t.reasons.map((r, i) => (
                          <li key={i}>{r}</li>
                        ))}
                      </ul>
                      {t.evidenceIds.length > 0 && <div className="muted">evidence: {t.evidenceIds.join(', ')}</div>}
                    </td>
                    <td className="law">
                      <Citations list={t.citations} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h3 id="exclusions">Exclusions (§41(d)(4))</h3>
          <div className="scroll">
            <table aria-labelledby="exclusions" data-testid="exclusions">
              <thead>
                <tr>
                  <th scope="col">Exclusion</th>
                  <th scope="col">Applies?</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Law</th>
                </tr>
              </thead>
              <tbody>
                {q.exclusions.map((x) => (
                  <tr key={x.exclusion}>
                    <th scope="row" className="rowhead">
                      {EXCLUSION_LABELS[x.exclusion] ?? words(x.exclusion)}
                    </th>
                    <td>{x.applies === 'unknown' ? <Pill status="warn" text="unknown" /> : x.applies ? <Pill status="fail" text={x.partial ? 'in part' : 'applies'} /> : <Pill status="pass" text="does not apply" />}</td>
                    <td>
                      {x.reason}
                      {x.partial && (
                        <div className="muted">
                          {x.partial.note}
                          {x.partial.from ? ` (from ${x.partial.from})` : ''}
                        </div>
                      )}
                    </td>
                    <td className="law">
                      <Citations list={x.citations} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h3 id="substantially-all">Substantially all (80%)</h3>
          {sa && (
            <div className="card" data-testid="substantially-all">
              <dl className="facts">
                <dt>Share of activities that are experimentation</dt>
                <dd>
                  <strong>{pct(sa.share)}</strong> {sa.passes === null ? <Pill status="warn" text="not measurable" /> : sa.passes ? <Pill status="pass" text={`at least ${pct(sa.threshold)}`} /> : <Pill status="fail" text={`below ${pct(sa.threshold)}`} />}
                </dd>
                <dt>Method</dt>
                <dd>
                  {sa.method} <span className="muted">(measured by {sa.basis === 'none' ? 'nothing yet' : sa.basis})</span>
                </dd>
                {sa.measured && (
                  <>
                    <dt>Measured ({sa.basis === 'cost' ? 'cents' : 'hours'})</dt>
                    <dd>
                      all {Number(sa.measured.total).toLocaleString('en-US')}, experimentation {Number(sa.measured.experimentation).toLocaleString('en-US')}, not flagged either way {Number(sa.measured.unflagged).toLocaleString('en-US')}
                    </dd>
                  </>
                )}
                <dt>Shrink-back</dt>
                <dd data-testid="shrink-back">
                  {sa.shrinkBack ? (
                    <>
                      {sa.shrinkBack.to ? (
                        <>
                          to <strong>{sa.shrinkBack.to}</strong> ({pct(sa.shrinkBack.share)}):{' '}
                        </>
                      ) : (
                        'no sub-component passes: '
                      )}
                      {sa.shrinkBack.note}
                    </>
                  ) : sa.passes ? (
                    'not needed: the component passes as a whole'
                  ) : (
                    'none'
                  )}
                </dd>
                {sa.coveredBy && (
                  <>
                    <dt>Covered by</dt>
                    <dd>{sa.coveredBy}, which passes as a whole</dd>
                  </>
                )}
              </dl>
              <p className="muted">Treas. Reg. § 1.41-4(a)(6) (substantially all); § 1.41-4(b)(2) (shrinking-back rule).</p>
              {sa.explanation && (
                <details>
                  <summary>How it was measured (explanation)</summary>
                  <ExplainTree e={sa.explanation} />
                </details>
              )}
            </div>
          )}

          <h3 id="evidence">
            Evidence <span className="muted">(tax year {d.period.start} to {d.period.end})</span>
          </h3>
          {q.evidence.length === 0 ? (
            <p className="muted">No evidence is linked to this component.</p>
          ) : (
            <div className="scroll">
              <table aria-labelledby="evidence" data-testid="evidence">
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Dated</th>
                    <th scope="col">Contemporaneous?</th>
                    <th scope="col">Linked by</th>
                  </tr>
                </thead>
                <tbody>
                  {q.evidence.map((e) => {
                    const t = contemporaneity(e);
                    return (
                      <tr key={e.id}>
                        <td>
                          {e.sha256 && d.stored?.includes(e.sha256) ? (
                            <a href={api.evidenceUrl(id, e.sha256)} download>
                              {e.title}
                            </a>
                          ) : (
                            e.title
                          )}
                          <div className="muted">{e.id}</div>
                        </td>
                        <td>{words(e.kind)}</td>
                        <td>{e.claimedDate ?? '—'}</td>
                        <td>
                          <Pill status={t.cls} text={t.text} />
                        </td>
                        <td>{(e.linkedBy ?? []).join(', ') || '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}

          <h3 id="readiness">
            Exam readiness <span className="muted">({q.readiness.score} / 100)</span>
          </h3>
          <div className="scroll">
            <table aria-labelledby="readiness" data-testid="component-readiness">
              <thead>
                <tr>
                  <th scope="col">Result</th>
                  <th scope="col">Check</th>
                  <th scope="col">Authority</th>
                </tr>
              </thead>
              <tbody>
                {q.readiness.checks.map((k) => (
                  <tr key={k.id}>
                    <td>
                      <Pill status={k.status} />
                    </td>
                    <td>
                      {k.title}
                      <div className="muted">{k.message}</div>
                    </td>
                    <td className="law">
                      <Citations list={k.citation} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h3>Interview and evidence upload</h3>
      <button type="button" className="secondary" aria-expanded={showInterview} aria-controls="component-interview" onClick={() => setShowInterview((x) => !x)}>
        {showInterview ? 'Close interview' : `Interview (${d.answers.length} answered)`}
      </button>
      <div id="component-interview">
        {showInterview && (
          <Interview
            id={id}
            componentId={c.id}
            answers={d.answers}
            evidence={d.evidence}
            questions={questions}
            onSaved={() => {
              onChange();
              reload();
            }}
          />
        )}
      </div>

      {canDecide && (
        <>
          <h3>Record a decision</h3>
          <form
            onSubmit={async (e) => {
              e.preventDefault();
              const result = (new FormData(e.currentTarget).get('result') as string) || '';
              setErr('');
              if (why.trim().length < 3) return setErr('Give a reason of at least 3 characters.');
              try {
                await api.decide(id, c.id, result as 'qualifies', why.trim());
                setWhy('');
                onChange();
                reload();
              } catch (x) {
                setErr(x instanceof ApiError ? x.message : String(x));
              }
            }}
          >
            <div className="row">
              <div className="form-row">
                <label htmlFor="decision-result">Decision</label>
                <select id="decision-result" name="result" defaultValue={c.qualification}>
                  <option value="qualifies">Qualifies</option>
                  <option value="does_not_qualify">Does not qualify</option>
                  <option value="needs_information">Needs information</option>
                </select>
              </div>
              <div className="form-row" style={{ flex: 1, minWidth: 240 }}>
                <label htmlFor="decision-why">Reason</label>
                <input id="decision-why" value={why} onChange={(e) => setWhy(e.target.value)} placeholder="e.g. interview of 2025-03-02: six alternatives evaluated" />
              </div>
            </div>
            <button type="submit">Record decision</button>
            {err && (
              <p className="banner bad" role="alert">
                {err}
              </p>
            )}
          </form>
        </>
      )}
      {d.decisions.length > 0 && (
        <>
          <h3>Decisions</h3>
          <ul>
            {d.decisions.map((x, i) => (
              <li key={i}>
                {x.at.slice(0, 16).replace('T', ' ')} {x.by}: {x.previous ? words(x.previous) : '—'} → {words(x.result)}: {x.why}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

