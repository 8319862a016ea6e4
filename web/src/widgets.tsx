import * as React from 'react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Citation, Comment, Explanation, JsonVal } from './api';
import { api, ApiError, showVal } from './api';

export function ValText({ v, kind = 'money' }: { v: JsonVal | undefined; kind?: 'money' | 'rate' | 'flag' | 'text' }) {
  if (!v) return <span>—</span>;
  return (
    <span className={v.status} title={v.status === 'unknown' ? `missing: ${(v.missing ?? []).join(', ')}` : v.status === 'na' ? v.reason : undefined}>
      {showVal(v, kind)}
    </span>
  );
}

/**
 * A modal dialog: focus moves in (to an element marked data-autofocus, else the dialog), Tab stays
 * inside, Escape closes, focus returns to the opener.
 */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]');
    (first ?? ref.current)?.focus();
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
      if (e.key !== 'Tab' || !ref.current) return;
      const f = [...ref.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex="0"]')];
      if (!f.length) return;
      const a = document.activeElement;
      if (e.shiftKey && (a === f[0] || a === ref.current)) {
        e.preventDefault();
        f[f.length - 1]!.focus();
      } else if (!e.shiftKey && a === f[f.length - 1]) {
        e.preventDefault();
        f[0]!.focus();
      }
    };
    addEventListener('keydown', key);
    return () => {
      removeEventListener('keydown', key);
      opener?.focus();
    };
  }, []);
  return (
    <div className="modal-bg" onClick={() => close.current()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref} onClick={(e) => e.stopPropagation()}>
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 style={{ margin: 0 }}>{title}</h2>
          <button className="secondary" onClick={() => close.current()}>
            Close
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** Citations as a list of links (to the statute or regulation) with their pinpoints. */
export function Citations({ list }: { list: Citation[] | undefined }) {
  if (!list?.length) return null;
  return (
    <ul className="cites">
      {list.map((c, i) => (
        <li key={i}>
          {c.href ? (
            <a href={c.href} target="_blank" rel="noreferrer">
              {c.title}
            </a>
          ) : (
            c.title
          )}
        </li>
      ))}
    </ul>
  );
}

/** How a comment target reads: "Form f6765, line 24", "component SGA", "employee E-1", "the study". */
export function targetLabel(target: string): string {
  const [k, a, b] = target.split(':');
  if (k === 'line') return `${a} line ${b}`;
  if (k === 'component') return `component ${a}`;
  if (k === 'employee') return `employee ${a}`;
  return 'the study';
}

/**
 * A "comment" button for one thing (a form line, a component, an employee): shows how many
 * comments it has, opens a dialog with them and, for a role that may comment, a box to add one.
 */
export function CommentButton({ studyId, target, what, comments, canWrite, onPosted }: { studyId: string; target: string; what: string; comments: Comment[]; canWrite: boolean; onPosted: () => void }) {
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState('');
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const mine = comments.filter((c) => c.target === target);
  if (!canWrite && mine.length === 0) return null;
  const fid = `comment-${target.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <>
      <button type="button" className="link" aria-haspopup="dialog" aria-label={`Comment on ${what}${mine.length ? `, ${mine.length} comment${mine.length > 1 ? 's' : ''}` : ''}`} onClick={() => setOpen(true)} data-testid={`comment-${target}`}>
        comment{mine.length ? ` (${mine.length})` : ''}
      </button>
      {open && (
        <Modal title={`Comments on ${what}`} onClose={() => setOpen(false)}>
          {mine.length === 0 ? (
            <p className="muted">No comments yet.</p>
          ) : (
            <ul>
              {mine.map((c) => (
                <li key={c.id}>
                  <strong>{c.user ?? 'someone'}</strong> <span className="muted">(version {c.version}, {c.at.slice(0, 16)})</span>: {c.body}
                </li>
              ))}
            </ul>
          )}
          {canWrite && (
            <form
              onSubmit={async (e) => {
                e.preventDefault();
                if (!body.trim()) return setErr('Write a comment first.');
                setBusy(true);
                setErr('');
                try {
                  await api.comment(studyId, target, body.trim());
                  setBody('');
                  onPosted();
                } catch (x) {
                  setErr(x instanceof ApiError ? x.message : String(x));
                } finally {
                  setBusy(false);
                }
              }}
            >
              <div className="form-row">
                <label htmlFor={fid}>Your comment on {what}</label>
                <textarea id={fid} rows={3} value={body} onChange={(e) => setBody(e.target.value)} data-autofocus required />
              </div>
              {err && (
                <p className="banner bad" role="alert">
                  {err}
                </p>
              )}
              <button type="submit" disabled={busy}>
                Add comment
              </button>
            </form>
          )}
        </Modal>
      )}
    </>
  );
}

export type SortDir = 'ascending' | 'descending';

/** A column header that sorts the table: a button inside the th, with aria-sort on the th. */
export function SortHeader({ label, col, sort, onSort, num }: { label: string; col: string; sort: { col: string; dir: SortDir }; onSort: (col: string) => void; num?: boolean }) {
  const active = sort.col === col;
  return (
    <th scope="col" className={num ? 'num' : undefined} aria-sort={active ? sort.dir : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(col)}>
        {label}
        <span aria-hidden="true">{active ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </button>
    </th>
  );
}

/** Compares for sorting: numbers and strings in order, unknown (null) always last. */
export function compareBy<T>(get: (x: T) => number | string | null, dir: SortDir): (a: T, b: T) => number {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return dir === 'ascending' ? c : -c;
  };
}

/** The explanation tree: each node with its rule, formula, law, parameters, inputs and notes; children fold. */
export function ExplainTree({ e, depth = 0 }: { e: Explanation; depth?: number }) {
  const body = (
    <div className="meta">
      {e.formula && <div>formula: {e.formula}</div>}
      {e.citation.map((c, i) => (
        <div key={`c${i}`}>
          law: {c.href ? <a href={c.href} target="_blank" rel="noreferrer">{c.title}</a> : c.title} {c.pinpoint ?? ''}
        </div>
      ))}
      {e.params.map((p) => (
        <div key={p.id + p.effectiveFrom}>
          parameter {p.id} = {p.value} (from {p.effectiveFrom}; {p.reference.map((r) => r.title).join('; ')}
          {p.status === 'U' ? '; UNVERIFIED' : ''})
        </div>
      ))}
      {e.inputs.map((x, i) => (
        <div key={`i${i}`}>
          input {x.name} = {x.value}
          {x.source ? ` (${x.source})` : ''}
        </div>
      ))}
      {e.notes.map((n, i) => (
        <div key={`n${i}`}>note: {n}</div>
      ))}
      {e.flags.map((f) => (
        <div key={f.option} className="warn">
          review: {f.option} = {f.chosen}
          {f.isDefault ? ' (default)' : ''} — {f.message}
        </div>
      ))}
    </div>
  );
  const head = (
    <span>
      <strong>{e.label}</strong> = {e.value} <span className="muted">[{e.rule}]</span>
    </span>
  );
  return (
    <div className="tree">
      <details open={depth < 1}>
        <summary>{head}</summary>
        {body}
        {e.children.length > 0 && (
          <ul>
            {e.children.map((c, i) => (
              <li key={i}>
                <ExplainTree e={c} depth={depth + 1} />
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}

export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: string; reload: () => void } {
  const [state, setState] = React.useState<{ data: T | undefined; error: string }>({ data: undefined, error: '' });
  const [n, setN] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    fn().then(
      (data) => live && setState({ data, error: '' }),
      (e: unknown) => live && setState({ data: undefined, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}
