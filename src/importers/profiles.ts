/**
 * Vendor header profiles are data (YAML under ./profiles). A profile names the headers that
 * identify it, maps its columns to our fields (each field: a list of header aliases, globs
 * allowed, case- and space-insensitive) and gives the date and number formats.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { normHeader, pattern } from './parse.js';
import type { ImportKind } from './types.js';

const Kind = z.enum(['time', 'payroll', 'w2', 'ledger', 'contractors', 'cloud']);

export const ProfileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: Kind,
  vendor: z.string(),
  description: z.string().optional(),
  /** How sure we are of the layout: documented by the vendor, seen in public fixtures, or our guess. */
  confidence: z.enum(['documented', 'fixtures', 'unverified', 'ours']),
  detect: z.object({ all: z.array(z.string()).min(1), delimiter: z.enum([',', ';', '\t']).optional() }),
  columns: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  formats: z
    .object({
      dates: z.array(z.enum(['iso', 'us', 'dmy', 'timestamp'])).default(['iso', 'us']),
      decimalComma: z.boolean().default(false),
      /** Minutes east of UTC used to turn UTC timestamps into the local date of the work. */
      zoneOffsetMinutes: z.number().int().optional(),
    })
    .default({ dates: ['iso', 'us'], decimalComma: false }),
  /** Ledger reports with account section rows ("6100 Lab supplies") and "Total for …" rows. */
  sections: z.object({ totalPrefix: z.string() }).optional(),
  /** Columns whose header starts with this prefix are tags (legacy AWS CUR "resourceTags/user:"). */
  tagColumnPrefix: z.string().optional(),
  constants: z.record(z.string(), z.string()).optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

const here = dirname(fileURLToPath(import.meta.url));
let cache: Profile[] | undefined;

/** All built-in profiles, sorted by id. */
export function listProfiles(): Profile[] {
  if (!cache) {
    const dir = join(here, 'profiles');
    cache = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => {
        const parsed = ProfileSchema.safeParse(parseYaml(readFileSync(join(dir, f), 'utf8')));
        if (!parsed.success) throw new Error(`profile ${f}: ${parsed.error.message}`);
        return parsed.data;
      });
  }
  return cache;
}

export function getProfile(id: string): Profile | undefined {
  return listProfiles().find((p) => p.id === id);
}

function aliases(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function matchIndex(headers: string[], alias: string): number {
  const a = normHeader(alias);
  if (a.includes('*') || a.startsWith('/')) {
    const re = pattern(a);
    return headers.findIndex((h) => re.test(h));
  }
  return headers.indexOf(a);
}

export interface Detection {
  profile: Profile;
  /** field → column index (fields the file lacks are absent). */
  columns: Record<string, number>;
  headers: string[];
  /** Other profiles that also matched, least specific last. */
  alsoMatched: string[];
}

/** Picks the profile whose `detect.all` headers are all present, preferring the most specific. */
export function detectProfile(rawHeaders: string[], opts: { kind?: ImportKind; profile?: string; delimiter?: string } = {}): Detection | undefined {
  const headers = rawHeaders.map(normHeader);
  const candidates = listProfiles().filter((p) => (opts.profile ? p.id === opts.profile : !opts.kind || p.kind === opts.kind));
  const matched = candidates
    .filter((p) => p.detect.all.every((h) => matchIndex(headers, h) >= 0))
    .filter((p) => opts.profile || !p.detect.delimiter || !opts.delimiter || p.detect.delimiter === opts.delimiter)
    .sort((a, b) => b.detect.all.length - a.detect.all.length || Number(b.detect.delimiter === opts.delimiter) - Number(a.detect.delimiter === opts.delimiter) || a.id.localeCompare(b.id));
  const best = matched[0];
  if (!best) return undefined;
  return { profile: best, columns: resolveColumns(best, headers), headers, alsoMatched: matched.slice(1).map((p) => p.id) };
}

export function resolveColumns(p: Profile, headers: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, v] of Object.entries(p.columns)) {
    for (const a of aliases(v)) {
      const i = matchIndex(headers, a);
      if (i >= 0) {
        out[field] = i;
        break;
      }
    }
  }
  return out;
}
