/**
 * Matching values against the component map's rules (globs or /regex/, case-insensitive). Kept
 * apart from ./mapping.ts (which loads and validates the map with zod) so the time worker thread
 * loads only what it needs.
 */
import { pattern } from './parse.js';
import type { CloudRuleT, LedgerRuleT, TimeRuleT } from './mapping.js';

const reCache = new Map<string, RegExp>();
export function test(p: string | undefined, value: string | undefined): boolean {
  if (p === undefined) return true;
  let re = reCache.get(p);
  if (!re) {
    re = pattern(p);
    reCache.set(p, re);
  }
  return re.test(value ?? '');
}

/** Tags written as "a, b, c" match a pattern if any single tag does (or the whole cell does). */
export function testTags(p: string | undefined, tags: string): boolean {
  if (p === undefined) return true;
  if (test(p, tags)) return true;
  return tags.split(',').some((t) => test(p, t.trim()));
}

export function matchTime(rules: TimeRuleT[], v: { project: string; task: string; tags: string; client: string }): TimeRuleT | undefined {
  return rules.find(
    (r) =>
      test(r.match.project, v.project) &&
      test(r.match.task, v.task) &&
      testTags(r.match.tags, v.tags) &&
      test(r.match.client, v.client),
  );
}

/** Normalised tag key: trimmed, lower-case, "user_"/"user:" prefix removed, non-alphanumerics → "_". */
export function normTagKey(k: string): string {
  return k
    .trim()
    .toLowerCase()
    .replace(/^user[_:]/, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function matchCloud(rules: CloudRuleT[], v: { account: string; service: string; resource: string; tags: Record<string, string> }): CloudRuleT | undefined {
  return rules.find((r) => {
    if (!test(r.match.account, v.account) || !test(r.match.service, v.service) || !test(r.match.resource, v.resource)) return false;
    for (const [k, p] of Object.entries(r.match.tag ?? {})) {
      const val = v.tags[normTagKey(k)];
      if (val === undefined || !test(p, val)) return false;
    }
    return true;
  });
}

export function matchLedger(rules: LedgerRuleT[], v: { account: string; vendor: string; memo: string; class: string }): LedgerRuleT | undefined {
  return rules.find((r) => test(r.match.account, v.account) && test(r.match.vendor, v.vendor) && test(r.match.memo, v.memo) && test(r.match.class, v.class));
}
