/** A small study for the draft and provider tests: the foundation-model case of seed 000, case study 1. */
import type { Study } from '../../src/study/model.js';
import { isoDate } from '../../src/periods/index.js';
import { emptyStudy } from '../support/study.js';

const sha = (c: string) => c.repeat(64);

export function attentionStudy(): Study {
  return emptyStudy({
    id: 'sawtooth-2025',
    components: [
      { id: 'bc-attn', name: 'Sparse-grouped attention', type: 'software', softwareClass: 'non_ius', qualification: 'needs_information' },
      { id: 'bc-ui', name: 'Pricing page', type: 'software', qualification: 'needs_information' },
    ],
    evidence: [
      { id: 'ev-adr-7', kind: 'adr', title: 'ADR 7: attention variants to evaluate', sha256: sha('a'), claimedDate: isoDate('2025-02-03'), componentIds: ['bc-attn'], employeeIds: ['e1'], summary: 'We compared six alternative attention mechanisms against a 12-task benchmark suite.' },
      { id: 'ev-run-31', kind: 'training_run', title: 'Run 31 (sparse variant B)', sha256: sha('b'), claimedDate: isoDate('2025-04-18'), outcome: 'failure', componentIds: ['bc-attn'], employeeIds: ['e1'], summary: 'The sparse variant failed to converge on the reasoning benchmark.' },
      { id: 'ev-bench-2', kind: 'benchmark', title: 'Benchmark table, hybrid variant', claimedDate: isoDate('2025-09-30'), outcome: 'success', componentIds: ['bc-attn'], employeeIds: [], summary: 'The hybrid variant matched baseline quality at lower compute.' },
    ],
    interviews: [
      {
        componentId: 'bc-attn',
        answers: [
          { question: 'uncertainty', value: 'We did not know whether any candidate attention mechanism would meet the quality bar at reduced pretraining compute.', evidenceIds: ['ev-adr-7'], answeredBy: 'Lead researcher', answeredAt: '2025-02-10T09:00:00Z' },
          { question: 'purpose', value: 'The goal was to reduce pretraining compute at fixed quality with a novel attention pattern.', answeredBy: 'Lead researcher' },
          { question: 'science', value: 'The work relied on machine learning theory, optimization and information theory.' },
        ],
      },
      { componentId: 'bc-ui', answers: [{ question: 'uncertainty', value: 'We were unsure whether customers would pay the new price by the launch date.' }] },
    ],
  });
}
