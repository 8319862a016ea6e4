import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type Client, type Diagnostic, type Owner } from '../api';

const ENTITY_TYPES: [string, string][] = [
  ['c_corporation', 'C corporation'],
  ['s_corporation', 'S corporation'],
  ['partnership', 'Partnership'],
  ['estate_or_trust', 'Estate or trust'],
  ['sole_proprietorship', 'Sole proprietorship'],
  ['tax_exempt', 'Tax-exempt organisation'],
];
const PASS_THROUGH = new Set(['s_corporation', 'partnership', 'estate_or_trust']);

/** A failed request as text, with the study folder's diagnostics (file, row, column) when there are any. */
function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  const details = e?.details as { diagnostics?: Diagnostic[] } | { path: string; message: string }[] | undefined;
  const diags = details && !Array.isArray(details) ? (details.diagnostics ?? []).filter((d) => d.severity === 'error') : [];
  const issues = Array.isArray(details) ? details : [];
  return (
    <div className="banner bad" role="alert">
      <p>{e ? e.message : String(error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i, k) => (
            <li key={k}>
              {i.path || 'request'}: {i.message}
            </li>
          ))}
        </ul>
      )}
      {diags.length > 0 && (
        <table>
          <caption>Errors in the study folder (nothing was saved)</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Row</th>
              <th scope="col">Column</th>
              <th scope="col">Value</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {diags.map((d, k) => (
              <tr key={k}>
                <td>{d.file}</td>
                <td>{d.row ?? ''}</td>
                <td>{d.column ?? ''}</td>
                <td>{d.value ?? ''}</td>
                <td>
                  {d.message}
                  {d.expected ? ` (expected ${d.expected})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Field({ id, label, help, children }: { id: string; label: string; help?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help && (
        <div className="muted" id={`${id}-help`}>
          {help}
        </div>
      )}
    </div>
  );
}

/** Owners typed one per line as "name, share" (share as 0.6 or 3/5). */
export function parseOwners(text: string): Owner[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const at = l.lastIndexOf(',');
      const name = (at < 0 ? l : l.slice(0, at)).trim();
      const share = (at < 0 ? '' : l.slice(at + 1)).trim();
      return { id: `owner-${i + 1}`, name, entityType: 'individual', share };
    });
}

function NewClientForm({ firmId, onDone }: { firmId: string; onDone: (clientId: string) => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onDone((await api.createClient(firmId, name)).id);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="new-client-h">
      <h2 id="new-client-h">New client</h2>
      <Field id="nc-name" label="Client name">
        <input id="nc-name" ref={first} required value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Problem error={error} />
      <button type="submit" disabled={busy || !name.trim()}>
        Create client
      </button>
    </form>
  );
}

function NewStudyForm({ firmId, clients, initialClient, onDone }: { firmId: string; clients: Client[]; initialClient?: string; onDone: (studyId: string) => void }) {
  const [clientId, setClientId] = useState(initialClient ?? clients[0]?.id ?? '');
  const client = clients.find((c) => c.id === clientId);
  const taxpayers = client?.taxpayers ?? [];
  const [taxpayerId, setTaxpayerId] = useState(taxpayers[0]?.id ?? '__new');
  const [tp, setTp] = useState({ name: '', ein: '', entityType: 'c_corporation', states: '' });
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const [title, setTitle] = useState('');
  const [owners, setOwners] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => setTaxpayerId((clients.find((c) => c.id === clientId)?.taxpayers ?? [])[0]?.id ?? '__new'), [clientId, clients]);
  const chosen = taxpayers.find((t) => t.id === taxpayerId);
  const entityType = chosen?.entityType ?? tp.entityType;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      let tid = taxpayerId;
      if (tid === '__new') {
        const states = tp.states
          .split(/[\s,]+/)
          .map((s) => s.trim().toUpperCase())
          .filter(Boolean);
        tid = (await api.createTaxpayer(firmId, clientId, { name: tp.name, ...(tp.ein.trim() ? { ein: tp.ein.trim() } : {}), entityType: tp.entityType, states })).id;
        setTaxpayerId(tid);
      }
      const r = file
        ? await api.uploadStudy(firmId, clientId, tid, file)
        : await api.createStudy(firmId, clientId, tid, { year, ...(title.trim() ? { title: title.trim() } : {}), ...(PASS_THROUGH.has(entityType) && owners.trim() ? { owners: parseOwners(owners) } : {}) });
      onDone(r.id);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-labelledby="new-study-h">
      <h2 id="new-study-h">New study</h2>
      <Field id="ns-client" label="Client">
        <select id="ns-client" ref={first} value={clientId} onChange={(e) => setClientId(e.target.value)} required>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="ns-taxpayer" label="Taxpayer">
        <select id="ns-taxpayer" value={taxpayerId} onChange={(e) => setTaxpayerId(e.target.value)}>
          {taxpayers.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.ein ? ` (EIN ${t.ein})` : ''}
            </option>
          ))}
          <option value="__new">A new taxpayer…</option>
        </select>
      </Field>
      {taxpayerId === '__new' && (
        <fieldset>
          <legend>New taxpayer</legend>
          <Field id="ns-tp-name" label="Legal name">
            <input id="ns-tp-name" required value={tp.name} onChange={(e) => setTp({ ...tp, name: e.target.value })} />
          </Field>
          <Field id="ns-tp-ein" label="EIN" help="As 12-3456789; may be left empty for now.">
            <input id="ns-tp-ein" aria-describedby="ns-tp-ein-help" pattern="\d{2}-\d{7}" value={tp.ein} onChange={(e) => setTp({ ...tp, ein: e.target.value })} />
          </Field>
          <Field id="ns-tp-entity" label="Entity type">
            <select id="ns-tp-entity" value={tp.entityType} onChange={(e) => setTp({ ...tp, entityType: e.target.value })}>
              {ENTITY_TYPES.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </Field>
          <Field id="ns-tp-states" label="States" help="USPS codes where it files or does research, separated by commas (ID, UT).">
            <input id="ns-tp-states" aria-describedby="ns-tp-states-help" value={tp.states} onChange={(e) => setTp({ ...tp, states: e.target.value })} />
          </Field>
        </fieldset>
      )}
      <Field id="ns-file" label="Study folder (ZIP, optional)" help="A study folder as rdcredit init writes it, zipped. Without a file the study starts empty from the templates.">
        <input id="ns-file" type="file" accept=".zip,application/zip" aria-describedby="ns-file-help" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Field>
      {!file && (
        <>
          <Field id="ns-year" label="Tax year">
            <input id="ns-year" type="number" min={2000} max={2100} required value={year} onChange={(e) => setYear(Number(e.target.value))} />
          </Field>
          <Field id="ns-title" label="Title (optional)">
            <input id="ns-title" value={title} onChange={(e) => setTitle(e.target.value)} />
          </Field>
          {PASS_THROUGH.has(entityType) && (
            <Field id="ns-owners" label="Owners (optional)" help='One per line: name, share (for example "Jane Founder, 0.6").'>
              <textarea id="ns-owners" aria-describedby="ns-owners-help" rows={3} value={owners} onChange={(e) => setOwners(e.target.value)} />
            </Field>
          )}
        </>
      )}
      <Problem error={error} />
      <button type="submit" disabled={busy || !clientId}>
        {file ? 'Upload and create study' : 'Create study'}
      </button>
    </form>
  );
}

/** "New client" and "New study" on the clients page, for a role that may open engagements. */
export function NewEngagement({ firmId, clients, onChanged }: { firmId: string; clients: Client[]; onChanged: () => Promise<void> | void }) {
  const [open, setOpen] = useState<'client' | 'study' | undefined>();
  const [lastClient, setLastClient] = useState<string>();
  const toggle = (w: 'client' | 'study') => setOpen((o) => (o === w ? undefined : w));
  return (
    <div className="new-engagement">
      <button type="button" aria-expanded={open === 'client'} aria-controls="new-client-panel" onClick={() => toggle('client')}>
        New client
      </button>{' '}
      <button type="button" aria-expanded={open === 'study'} aria-controls="new-study-panel" disabled={!clients.length} onClick={() => toggle('study')}>
        New study
      </button>
      {open === 'client' && (
        <div id="new-client-panel">
          <NewClientForm
            firmId={firmId}
            onDone={async (id) => {
              await onChanged();
              setLastClient(id);
              setOpen('study');
            }}
          />
        </div>
      )}
      {open === 'study' && (
        <div id="new-study-panel">
          <NewStudyForm
            firmId={firmId}
            clients={clients}
            {...(lastClient ? { initialClient: lastClient } : {})}
            onDone={async (id) => {
              await onChanged();
              location.hash = `#/studies/${encodeURIComponent(id)}/dashboard`;
            }}
          />
        </div>
      )}
    </div>
  );
}
