/**
 * Charts as inline SVG (no chart library). Each chart is an image with a title and a description
 * for screen readers, and the same numbers as a table under a "Show the numbers" disclosure. An
 * unknown value is drawn as a marked gap labelled "unknown", never as a zero-length bar.
 */
import { useId, type ReactNode } from 'react';
import { dollars } from './api';

export interface ChartRow {
  label: string;
  /** Cents; null = unknown. */
  value: number | null;
  /** Drawn in the accent colour (the chosen method, this year). */
  highlight?: boolean;
  /** Shown in the table (for example what is missing). */
  note?: string;
}

const INK = '#1b2430';
const BAR = '#8fb0e0';
const HIGHLIGHT = '#1f5fbf';
const UNKNOWN = '#a76400';

/** "$3.91M", "$812k": short labels for columns; the table and the description give whole dollars. */
export function shortDollars(cents: number): string {
  const d = Math.abs(cents) / 100;
  const sign = cents < 0 ? '−' : '';
  if (d >= 1e6) return `${sign}$${(d / 1e6).toFixed(2)}M`;
  if (d >= 1e4) return `${sign}$${Math.round(d / 1e3)}k`;
  return dollars(cents);
}

function describe(rows: ChartRow[], format: (v: number) => string): string {
  return rows.map((r) => `${r.label}: ${r.value === null ? 'unknown' : format(r.value)}`).join('; ');
}

function DataTable({ title, rows, format, valueLabel, extra }: { title: string; rows: ChartRow[]; format: (v: number) => string; valueLabel: string; extra?: ReactNode }) {
  return (
    <details className="chart-table">
      <summary>Show the numbers</summary>
      <table>
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              {valueLabel}
            </th>
            {rows.some((r) => r.note) && <th scope="col">Note</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row" style={{ fontWeight: r.highlight ? 700 : 400, color: 'inherit', fontSize: 'inherit' }}>
                {r.label}
              </th>
              <td className="num">{r.value === null ? <span className="unknown">unknown</span> : format(r.value)}</td>
              {rows.some((x) => x.note) && <td className="muted">{r.note ?? ''}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {extra}
    </details>
  );
}

/** Horizontal bars: one row per item, the label on the left and the amount after the bar. */
export function BarChart({ title, rows, format = dollars, valueLabel = 'Amount', empty = 'Nothing to show.', testId }: { title: string; rows: ChartRow[]; format?: (v: number) => string; valueLabel?: string; empty?: string; testId?: string }) {
  const id = useId();
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const h = 26;
  const labelW = 200;
  const w = 560;
  const room = w - labelW - 96;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="muted" id={`${id}-cap`}>
        {title}
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${w} ${rows.length * h + 4}`} width="100%" style={{ maxWidth: w }}>
          <title id={`${id}-t`}>{title}</title>
          <desc id={`${id}-d`}>{describe(rows, format)}</desc>
          {rows.map((r, i) => {
            const bw = r.value === null ? 0 : (room * Math.max(0, r.value)) / max;
            return (
              <g key={r.label} transform={`translate(0 ${i * h + 2})`}>
                <text x={0} y={16} fontSize={13} fill={INK} fontWeight={r.highlight ? 700 : 400}>
                  {r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label}
                </text>
                {r.value === null ? (
                  <rect x={labelW} y={4} width={14} height={16} fill="none" stroke={UNKNOWN} strokeDasharray="3 2" />
                ) : (
                  <rect x={labelW} y={4} width={Math.max(bw, r.value > 0 ? 1 : 0)} height={16} fill={r.highlight ? HIGHLIGHT : BAR} rx={2} />
                )}
                <text x={labelW + (r.value === null ? 20 : bw + 6)} y={16} fontSize={13} fill={r.value === null ? UNKNOWN : INK}>
                  {r.value === null ? 'unknown' : format(r.value)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      {rows.length > 0 && <DataTable title={title} rows={rows} format={format} valueLabel={valueLabel} />}
    </figure>
  );
}

/** Vertical columns over time (year over year): oldest on the left. */
export function ColumnChart({ title, rows, format = dollars, short = shortDollars, valueLabel = 'Amount', testId, extra }: { title: string; rows: ChartRow[]; format?: (v: number) => string; short?: (v: number) => string; valueLabel?: string; testId?: string; extra?: ReactNode }) {
  const id = useId();
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const colW = 84;
  const w = Math.max(320, rows.length * colW + 20);
  const top = 22;
  const plot = 150;
  const hgt = top + plot + 24;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="muted">{title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-t ${id}-d`} viewBox={`0 0 ${w} ${hgt}`} width="100%" style={{ maxWidth: w }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{describe(rows, format)}</desc>
        <line x1={10} x2={w - 10} y1={top + plot} y2={top + plot} stroke="#b8c0cc" />
        {rows.map((r, i) => {
          const x = 10 + i * colW + 14;
          const bh = r.value === null ? 0 : (plot * Math.max(0, r.value)) / max;
          return (
            <g key={r.label}>
              {r.value === null ? (
                <rect x={x} y={top + plot - 40} width={colW - 28} height={40} fill="none" stroke={UNKNOWN} strokeDasharray="4 3" />
              ) : (
                <rect x={x} y={top + plot - bh} width={colW - 28} height={Math.max(bh, r.value > 0 ? 1 : 0)} fill={r.highlight ? HIGHLIGHT : BAR} rx={2} />
              )}
              <text x={x + (colW - 28) / 2} y={r.value === null ? top + plot - 46 : top + plot - bh - 6} fontSize={11} textAnchor="middle" fill={r.value === null ? UNKNOWN : INK}>
                {r.value === null ? 'unknown' : short(r.value)}
              </text>
              <text x={x + (colW - 28) / 2} y={top + plot + 16} fontSize={12} textAnchor="middle" fill={INK} fontWeight={r.highlight ? 700 : 400}>
                {r.label}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable title={title} rows={rows} format={format} valueLabel={valueLabel} extra={extra} />
    </figure>
  );
}
