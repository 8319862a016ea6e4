import { api, dollars, type Schedule } from '../api';
import { Citations, useAsync } from '../widgets';

function cell(kind: Schedule['columns'][number]['kind'], v: unknown): string {
  if (v === null || v === undefined) return kind === 'money' ? 'unknown' : '';
  if (kind === 'money' && typeof v === 'number') return dollars(v);
  if (kind === 'rate') return `${(Number(v) * 100).toFixed(4).replace(/\.?0+$/, '')}%`;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}

export function ScheduleTable({ s }: { s: Schedule }) {
  return (
    <div className="scroll" data-testid={`schedule-${s.id}`}>
      <table>
        <caption>{s.title}</caption>
        <thead>
          <tr>
            {s.columns.map((c) => (
              <th key={c.key} scope="col" className={c.kind === 'money' ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {s.rows.map((r, i) => (
            <tr key={i}>
              {s.columns.map((c) => (
                <td key={c.key} className={c.kind === 'money' ? 'num' : undefined}>
                  {cell(c.kind, r.cells[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {s.totals && (
          <tfoot>
            <tr>
              {s.columns.map((c, i) => (
                <td key={c.key} className={c.kind === 'money' ? 'num' : undefined}>
                  {i === 0 ? 'Total' : c.key in s.totals! ? cell(c.kind, s.totals![c.key]) : ''}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
      {s.notes?.map((n, i) => (
        <p className="muted" key={i}>
          {n}
        </p>
      ))}
      <Citations list={s.citation} />
    </div>
  );
}

/** The pass-through owners' schedules (federal and Idaho), shown only when the study has owners. */
export function OwnersSection({ id, version }: { id: string; version: number }) {
  const { data } = useAsync(() => api.result(id), [id, version]);
  const list = Object.values(data?.schedules ?? {}).filter((s) => s.id === 'owners' || s.id.startsWith('owners.'));
  if (!list.length) return null;
  return (
    <section aria-labelledby="owners-h">
      <h2 id="owners-h">Owners (pass-through)</h2>
      {list.map((s) => (
        <ScheduleTable key={s.id} s={s} />
      ))}
    </section>
  );
}
