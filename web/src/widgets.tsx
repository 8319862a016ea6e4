import * as React from 'react';
import { useEffect, useRef, type ReactNode } from 'react';
import type { Explanation, JsonVal } from './api';
import { dollars, showVal } from './api';

/** A horizontal bar chart as inline SVG (no chart library). Values in cents. */
export function BarChart({ title, rows }: { title: string; rows: { label: string; value: number | null }[] }) {
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const h = 26;
  const labelW = 190;
  const w = 560;
  return (
    <figure style={{ margin: 0 }}>
      <figcaption className="muted">{title}</figcaption>
      <svg role="img" aria-label={title} viewBox={`0 0 ${w} ${rows.length * h + 4}`} width="100%" style={{ maxWidth: w }}>
        {rows.map((r, i) => {
          const bw = r.value === null ? 0 : ((w - labelW - 90) * Math.max(0, r.value)) / max;
          return (
            <g key={r.label} transform={`translate(0 ${i * h + 2})`}>
              <text x={0} y={16} fontSize={12} fill="#1b2430">
                {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
              </text>
              <rect x={labelW} y={4} width={bw} height={16} fill={r.value === null ? '#a76400' : '#1f5fbf'} rx={2} />
              <text x={labelW + bw + 6} y={16} fontSize={12} fill="#1b2430">
                {r.value === null ? 'unknown' : dollars(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function ValText({ v, kind = 'money' }: { v: JsonVal | undefined; kind?: 'money' | 'rate' | 'flag' | 'text' }) {
  if (!v) return <span>—</span>;
  return (
    <span className={v.status} title={v.status === 'unknown' ? `missing: ${(v.missing ?? []).join(', ')}` : v.status === 'na' ? v.reason : undefined}>
      {showVal(v, kind)}
    </span>
  );
}

/** A modal dialog: focus moves in, Escape closes, focus returns to the opener. */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    const key = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', key);
    return () => {
      removeEventListener('keydown', key);
      opener?.focus();
    };
  }, [onClose]);
  return (
    <div className="modal-bg" onClick={onClose}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} ref={ref} onClick={(e) => e.stopPropagation()}>
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 style={{ margin: 0 }}>{title}</h2>
          <button className="secondary" onClick={onClose}>
            Close
          </button>
        </div>
        {children}
      </div>
    </div>
  );
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
