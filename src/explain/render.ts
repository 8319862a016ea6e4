import type { Explanation } from './types.js';

/** Plain-text rendering of an explanation tree (CLI --explain). */
export function renderText(e: Explanation, opts: { maxDepth?: number } = {}): string {
  const lines: string[] = [];
  const maxDepth = opts.maxDepth ?? 12;
  const walk = (n: Explanation, depth: number, prefix: string) => {
    const pad = prefix;
    lines.push(`${pad}${n.label} = ${n.value}${n.rule !== 'input' ? `  [${n.rule}]` : ''}`);
    const sub = `${pad}    `;
    if (n.formula) lines.push(`${sub}formula: ${n.formula}`);
    for (const c of n.citation) lines.push(`${sub}law: ${c.title}${c.pinpoint ? ` ${c.pinpoint}` : ''}${c.href ? ` <${c.href}>` : ''}`);
    for (const p of n.params)
      lines.push(`${sub}parameter ${p.id} = ${p.value} (from ${p.effectiveFrom}, ${p.keyedOn}; ${p.reference.map((r) => r.title).join('; ')}${p.status === 'U' ? '; UNVERIFIED' : ''})`);
    for (const i of n.inputs) lines.push(`${sub}input ${i.name} = ${i.value}${i.source ? ` (${i.source})` : ''}`);
    for (const note of n.notes) lines.push(`${sub}note: ${note}`);
    for (const f of n.flags) lines.push(`${sub}REVIEW ${f.option} = ${f.chosen}${f.isDefault ? ' (default)' : ''}: ${f.message}`);
    if (depth < maxDepth) for (const c of n.children) walk(c, depth + 1, `${pad}  `);
    else if (n.children.length) lines.push(`${sub}… ${n.children.length} more`);
  };
  walk(e, 0, '');
  return lines.join('\n');
}
