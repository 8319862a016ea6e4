/**
 * Registry of state research credits (law/states/registry.yaml; states.md Part B). Data for display
 * and planning: rates, base method, carryforward, refundability, caps, application, sunset, IRC
 * conformity, citation and 2026 status, each entry tagged P/S/U. `computed` says whether this
 * engine computes the credit. Validate a parsed file with `parseStateCreditRegistry`.
 */
import { z } from 'zod';

export const StateCreditEntrySchema = z.object({
  state: z.string().regex(/^[A-Z]{2}$/),
  name: z.string().min(3),
  rates: z.string().min(1),
  base: z.string().min(1),
  carryforward: z.string().min(1),
  refundable: z.string().min(1),
  caps: z.string().min(1),
  application: z.string().min(1),
  sunset: z.string().min(1),
  conformity: z.string().min(1),
  citation: z.string().min(3),
  status2026: z.string().min(1),
  tag: z.enum(['P', 'S', 'U']),
  computed: z.boolean(),
});
export type StateCreditEntry = z.infer<typeof StateCreditEntrySchema>;

export const StateCreditRegistrySchema = z.object({
  jurisdiction: z.literal('US-STATES'),
  title: z.string(),
  credits: z
    .array(StateCreditEntrySchema)
    .min(1)
    .refine((l) => new Set(l.map((c) => c.state)).size === l.length, 'one entry per state'),
});

/** Validates a parsed registry document (the caller reads the YAML file). */
export function parseStateCreditRegistry(doc: unknown): StateCreditEntry[] {
  return StateCreditRegistrySchema.parse(doc).credits;
}
