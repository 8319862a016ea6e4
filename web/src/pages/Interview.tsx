/** The four-part-test interview of one business component, with evidence upload (works on a phone). */
import { useState } from 'react';
import { api, ApiError, type Answer, type Question } from '../api';

function Err({ msg }: { msg: string }) {
  return msg ? (
    <p className="banner bad" role="alert">
      {msg}
    </p>
  ) : null;
}

export function AnswerInput({ q, value, onChange }: { q: Question; value: unknown; onChange: (v: unknown) => void }) {
  const idFor = `q-${q.id}`;
  const described = q.help ? { 'aria-describedby': `${idFor}-help` } : {};
  switch (q.type) {
    case 'yes_no':
      return (
        <select id={idFor} {...described} value={value === true ? 'yes' : value === false ? 'no' : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'yes')}>
          <option value="">—</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      );
    case 'date':
      return <input id={idFor} {...described} type="date" value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />;
    case 'list':
      return (
        <textarea
          id={idFor} {...described}
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
      return <input id={idFor} {...described} type="number" inputMode="decimal" value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
    case 'choice':
      return (
        <select id={idFor} {...described} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)}>
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
        <fieldset id={idFor} aria-labelledby={`${idFor}-label`} style={{ border: 'none', padding: 0, margin: 0 }}>
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
      return <textarea id={idFor} {...described} rows={3} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)} />;
  }
}

const EVIDENCE_KINDS: [string, string][] = [
  ['design_doc', 'Design document'],
  ['adr', 'Architecture decision record'],
  ['experiment_run', 'Experiment run'],
  ['training_run', 'Training run'],
  ['benchmark', 'Benchmark'],
  ['lab_notebook', 'Lab notebook'],
  ['meeting_notes', 'Meeting notes'],
  ['ticket', 'Ticket'],
  ['pull_request', 'Pull request'],
  ['commit', 'Commit'],
  ['interview_note', 'Interview note'],
  ['contract', 'Contract'],
  ['other', 'Other'],
];

export function Interview({
  id,
  componentId,
  answers,
  evidence,
  questions,
  onSaved,
}: {
  id: string;
  componentId: string;
  answers: Answer[];
  evidence: { id: string; title: string; kind: string; sha256?: string; claimedDate?: string }[];
  questions: Question[];
  onSaved: () => void;
}) {
  const [vals, setVals] = useState<Record<string, unknown>>(() => Object.fromEntries(answers.map((a) => [a.question, a.value])));
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState('design_doc');
  const [date, setDate] = useState('');
  const p = `${componentId}`;
  return (
    <form
      className="interview"
      onSubmit={async (e) => {
        e.preventDefault();
        setErr('');
        const list = Object.entries(vals)
          .filter(([, v]) => v !== undefined)
          .map(([question, value]) => ({ question, value: value as string }));
        if (!list.length) return setErr('Answer at least one question.');
        try {
          const r = await api.answer(id, componentId, list);
          setMsg(`Saved ${r.saved} answer(s)${r.openedVersion ? `; version ${r.version} opened` : ''}${r.qualificationChanges.length ? '; the qualification changed' : ''}.`);
          onSaved();
        } catch (x) {
          setErr(x instanceof ApiError ? x.message : String(x));
        }
      }}
    >
      {questions.map((q) => (
        <div className="form-row" key={q.id}>
          {q.type === 'multi' ? (
            <span className="label" id={`q-${q.id}-label`}>
              {q.text}
              {q.required ? ' *' : ''}
            </span>
          ) : (
            <label htmlFor={`q-${q.id}`}>
              {q.text}
              {q.required ? ' *' : ''}
            </label>
          )}
          {q.help && (
            <span className="muted" id={`q-${q.id}-help`}>
              {q.help}
            </span>
          )}
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
      {evidence.length === 0 && <p className="muted">None linked yet.</p>}
      <ul>
        {evidence.map((e) => (
          <li key={e.id}>
            {e.title}{' '}
            <span className="muted">
              ({e.kind}
              {e.claimedDate ? `, dated ${e.claimedDate}` : ', undated'}
              {e.sha256 ? `, sha256 ${e.sha256.slice(0, 12)}…` : ''})
            </span>
          </li>
        ))}
      </ul>
      <fieldset className="upload">
        <legend>Upload evidence</legend>
        <div className="form-row">
          <label htmlFor={`ev-${p}`}>File</label>
          <input id={`ev-${p}`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <div className="row">
          <div className="form-row">
            <label htmlFor={`ev-kind-${p}`}>Kind</label>
            <select id={`ev-kind-${p}`} value={kind} onChange={(e) => setKind(e.target.value)}>
              {EVIDENCE_KINDS.map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <div className="form-row">
            <label htmlFor={`ev-date-${p}`}>Date of the document</label>
            <input id={`ev-date-${p}`} type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-describedby={`ev-date-help-${p}`} />
            <span className="muted" id={`ev-date-help-${p}`}>
              When it was written; leave empty if unknown (it then counts as undated).
            </span>
          </div>
        </div>
        <button
          type="button"
          className="secondary"
          disabled={!file}
          onClick={async () => {
            if (!file) return;
            setErr('');
            try {
              const r = await api.uploadEvidence(id, file, { kind, components: [componentId], ...(date ? { claimedDate: date } : {}) });
              setMsg(r.alreadyPresent ? 'That file was already in the ledger; it is now linked here.' : `Stored as ${r.item.sha256.slice(0, 12)}…`);
              onSaved();
            } catch (x) {
              setErr(x instanceof ApiError ? x.message : String(x));
            }
          }}
        >
          Upload
        </button>
      </fieldset>
    </form>
  );
}
