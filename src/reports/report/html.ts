/**
 * The study report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts,
 * no external requests. Every piece of text from the study is escaped.
 */
import type { Explanation } from '../../explain/types.js';
import { cellText, type PrintedForm } from '../../forms/index.js';
import type { Schedule, StudyResult } from '../../study/compute/result.js';
import type { Study } from '../../study/model.js';
import { chartSvg } from '../charts/index.js';
import { buildReportModel, type Block, type ReportModel, type ReportOptions } from './model.js';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const e = escapeHtml;

function citationText(c: { title: string; pinpoint?: string; href?: string }): string {
  // Links are printed as text, not followed: the report makes no requests and works offline.
  return `${e(c.title)}${c.pinpoint ? ` ${e(c.pinpoint)}` : ''}${c.href ? ` <span class="href">&lt;${e(c.href)}&gt;</span>` : ''}`;
}

/** An explanation tree as nested HTML lists: label = value [rule], formula, law, parameters, inputs, notes, review flags. */
export function renderExplanationHtml(root: Explanation, opts: { maxDepth?: number } = {}): string {
  const maxDepth = opts.maxDepth ?? 6;
  const node = (n: Explanation, depth: number): string => {
    const parts: string[] = [];
    parts.push(`<div class="xl"><span class="xlabel">${e(n.label)}</span> = <span class="xval">${e(n.value)}</span>${n.rule !== 'input' ? ` <span class="xrule">[${e(n.rule)}]</span>` : ''}</div>`);
    const det: string[] = [];
    if (n.formula) det.push(`<li>formula: <code>${e(n.formula)}</code></li>`);
    for (const c of n.citation) det.push(`<li>law: ${citationText(c)}</li>`);
    for (const p of n.params)
      det.push(`<li>parameter <code>${e(p.id)}</code> = ${e(p.value)} (from ${e(p.effectiveFrom)}, ${e(p.keyedOn)}; ${p.reference.map((r) => e(r.title)).join('; ')}${p.status === 'U' ? '; <strong>UNVERIFIED</strong>' : ''})</li>`);
    for (const i of n.inputs) det.push(`<li>input ${e(i.name)} = ${e(i.value)}${i.source ? ` (${e(i.source)})` : ''}</li>`);
    for (const x of n.notes) det.push(`<li>note: ${e(x)}</li>`);
    for (const f of n.flags) det.push(`<li class="flag">REVIEW <code>${e(f.option)}</code> = ${e(f.chosen)}${f.isDefault ? ' (default)' : ''}: ${e(f.message)}</li>`);
    if (det.length) parts.push(`<ul class="xdet">${det.join('')}</ul>`);
    if (n.children.length) {
      if (depth < maxDepth) parts.push(`<ul class="xchildren">${n.children.map((c) => `<li>${node(c, depth + 1)}</li>`).join('')}</ul>`);
      else parts.push(`<div class="xmore">… ${n.children.length} more step(s), see the workpapers or <code>rdcredit compute --explain</code></div>`);
    }
    return parts.join('');
  };
  return `<div class="explain">${node(root, 0)}</div>`;
}

function tableHtml(t: Schedule): string {
  const head = t.columns.map((c) => `<th class="${c.kind === 'text' ? 't' : 'n'}">${e(c.label)}</th>`).join('');
  const rows = t.rows
    .map((r) => `<tr>${t.columns.map((c) => {
      const s = cellText(c, r.cells[c.key]);
      return `<td class="${c.kind === 'text' ? 't' : 'n'}${s === 'unknown' ? ' unk' : ''}">${e(s)}</td>`;
    }).join('')}</tr>`)
    .join('');
  const totals = t.totals
    ? `<tfoot><tr>${t.columns.map((c, i) => `<td class="${c.kind === 'text' ? 't' : 'n'}">${t.totals![c.key] !== undefined ? e(cellText(c, t.totals![c.key])) : i === 0 ? 'Total' : ''}</td>`).join('')}</tr></tfoot>`
    : '';
  const cite = t.citation.length ? `<p class="cite">${t.citation.map(citationText).join('; ')}</p>` : '';
  const notes = t.notes?.length ? `<ul class="notes">${t.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : '';
  return `<figure class="table" id="t-${e(t.id)}"><figcaption>${e(t.title)}</figcaption><table><thead><tr>${head}</tr></thead><tbody>${rows || `<tr><td colspan="${t.columns.length}" class="t empty">none</td></tr>`}</tbody>${totals}</table>${cite}${notes}</figure>`;
}

function formHtml(f: PrintedForm): string {
  const sections = f.sections
    .map(
      (s) =>
        `<tr class="sec"><th colspan="3">${e(s.title)}</th></tr>${s.lines
          .map((l) => `<tr><td class="ln">${e(l.line)}${l.engineLine ? `<span class="eng"> (${e(l.engineLine)})</span>` : ''}</td><td class="t">${e(l.label)}</td><td class="n${l.status !== 'known' ? ' unk' : ''}">${e(l.display)}</td></tr>`)
          .join('')}`,
    )
    .join('');
  const lines = sections ? `<table class="form"><tbody>${sections}</tbody></table>` : '';
  return `<section class="formbox"><h4>${e(f.formNumber)} — ${e(f.title)} <span class="rev">(${e(f.revision)})</span></h4>${lines}${f.tables.map(tableHtml).join('')}${f.notes.length ? `<ul class="notes">${f.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}</section>`;
}

function blockHtml(b: Block, opts: ReportOptions): string {
  switch (b.kind) {
    case 'p':
      return `<p${b.emphasis ? ' class="em"' : ''}>${e(b.text)}</p>`;
    case 'h3':
      return `<h3${b.id ? ` id="${e(b.id)}"` : ''}>${e(b.text)}</h3>`;
    case 'kv':
      return `<table class="kv"><tbody>${b.rows.map(([k, v]) => `<tr><th>${e(k)}</th><td${v === 'unknown' ? ' class="unk"' : ''}>${e(v)}</td></tr>`).join('')}</tbody></table>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
    case 'table':
      return tableHtml(b.table);
    case 'chart':
      return `<figure class="chart">${chartSvg(b.chart)}</figure>`;
    case 'form':
      return formHtml(b.form);
    case 'explain':
      return `<h3>${e(b.title)}</h3>${renderExplanationHtml(b.tree, { maxDepth: opts.explainDepth ?? 6 })}`;
  }
}

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#222;max-width:1000px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;border-bottom:2px solid #3b6ea5;padding-bottom:3px;margin-top:32px}h3{font-size:15px;margin:20px 0 6px}h4{font-size:14px;margin:8px 0}
.sub{color:#555;margin:0 0 12px}nav ol{columns:2}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
thead th{background:#e6e6e6}.n{text-align:right;white-space:nowrap}.t{text-align:left}tfoot td{font-weight:bold;background:#f4f4f4}
.unk{font-style:italic;color:#9a3b00}.kv th{text-align:left;width:38%;background:#f4f4f4;font-weight:normal}
figure{margin:10px 0}figcaption{font-weight:bold;margin-bottom:2px}.cite,.notes{font-size:11px;color:#555}
table.form td.ln{width:48px;font-weight:bold}.eng{font-weight:normal;color:#777;font-size:10px}table.form tr.sec th{background:#d9d9d9;text-align:left}
.formbox{border:1px solid #888;padding:6px 10px;margin:12px 0}.rev{font-weight:normal;color:#555;font-size:12px}
.explain{font-size:12px;border-left:3px solid #3b6ea5;padding-left:8px}.explain ul{margin:2px 0 2px 8px;padding-left:12px}
.xlabel{font-weight:bold}.xrule{color:#777;font-size:11px}.xdet{color:#444;list-style:square}.flag{color:#9a3b00}.xmore{color:#777;font-style:italic}
.href{color:#555;font-size:11px}code{font-size:11px}
@media print{body{max-width:none}h2{page-break-before:always}.formbox,figure{page-break-inside:avoid}}
`;

export function reportModelHtml(m: ReportModel, opts: ReportOptions = {}): string {
  const nav = `<nav><h2>Contents</h2><ol>${m.sections.map((s) => `<li><a href="#${e(s.id)}">${e(s.title)}</a></li>`).join('')}</ol></nav>`;
  const body = m.sections.map((s) => `<section id="${e(s.id)}"><h2>${e(s.title)}</h2>${s.blocks.map((b) => blockHtml(b, opts)).join('\n')}</section>`).join('\n');
  const meta = [m.preparedBy ? `Prepared by ${m.preparedBy}` : '', m.generatedAt ? `generated ${m.generatedAt}` : ''].filter(Boolean).join(', ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(m.title)}</title><style>${CSS}</style></head>
<body><header><h1>${e(m.title)}</h1><p class="sub">${e(m.subtitle)}${meta ? `<br>${e(meta)}` : ''}</p></header>
${nav}
${body}
<footer><p class="cite">Produced by rdcredit. Amounts are whole dollars; "unknown" means the study lacks an input (listed under Risk flags), never zero.</p></footer>
</body></html>
`;
}

/** The study report as self-contained HTML. */
export function renderReportHtml(result: StudyResult, study: Study, opts: ReportOptions = {}): string {
  return reportModelHtml(buildReportModel(result, study, opts), opts);
}
