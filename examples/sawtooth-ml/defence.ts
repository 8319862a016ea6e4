/**
 * The defence file of the Sawtooth Machine Learning example: evidence items with their content
 * (MLflow runs, ADRs and design documents, tickets, commits and pull requests, benchmark tables,
 * the Kernelworks statement of work, interview notes), the four-part-test interview of every
 * business component, and the reviewer's recorded decisions.
 *
 * Everything here is deterministic: the free-text facts are fixed, and the identifiers and numbers
 * that look random (MLflow run ids, commit hashes, loss curves) come from a PRNG seeded from the
 * study's seed. The facts follow the component records in generate.ts, which are modelled on the
 * AI/ML case studies of seed article 000 (sparse-and-grouped attention with three variants that
 * failed and two that trailed the baseline; seven parallelism configurations with custom CUDA
 * kernels; a custom evaluation framework; the third-party model layer that is not research).
 *
 * Each item's content is a small file under evidence/ (uri = its path in the study folder) and
 * its SHA-256 is the hash of those exact bytes.
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../../src/periods/date.js';
import type { ComponentInterview, EvidenceItem, InterviewAnswer, QualificationDecision } from '../../src/study/model.js';

export interface EvidenceFile {
  /** Path inside the study folder, with forward slashes (evidence/…). */
  path: string;
  content: string;
}

export interface Defence {
  evidence: EvidenceItem[];
  files: EvidenceFile[];
  interviews: ComponentInterview[];
  qualificationLog: QualificationDecision[];
}

/** When the evidence was collected for the study (the preparer's capture of the records). */
const CAPTURED = '2026-02-10T17:00:00Z';
/** When the interview notes were captured. */
const NOTES_CAPTURED = '2026-02-27T17:00:00Z';
const REVIEWER = 'R. Okonkwo, CPA (Example CPA LLP)';

/** mulberry32, as in generate.ts, on its own stream so the study's other records do not move. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

type Comp = 'SGA' | 'PAR' | 'EVAL' | 'LLMAPI' | 'SERVE';

// ------------------------------------------------------------------------------------------ runs

interface RunSpec {
  key: string;
  comp: Comp;
  experiment: { id: string; name: string };
  /** Run start (UTC date) and wall-clock hours. */
  date: string;
  hours: number;
  status: 'FINISHED' | 'FAILED' | 'KILLED';
  outcome: 'success' | 'failure' | 'inconclusive';
  kind: 'training_run' | 'experiment_run';
  user: string;
  employees: string[];
  title: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  /** A loss curve: final loss at the last step, or a divergence at a step. */
  curve?: { steps: number; start: number; end: number; divergeAt?: number };
  note: string;
  summary: string;
}

const SGA_EXP = { id: '14', name: 'sga-pretraining' };
const PAR_EXP = { id: '21', name: 'par-benchmarks' };
const EVAL_EXP = { id: '9', name: 'eval-regression-harness' };

const sgaParams = (variant: string, size: string, extra: Record<string, string> = {}): Record<string, string> => ({
  attention_variant: variant,
  model_size: size,
  seq_len: '8192',
  global_batch_tokens: '4194304',
  optimizer: 'adamw',
  lr_peak: size === '6.7B' ? '1.2e-4' : '3.0e-4',
  warmup_steps: '2000',
  tokens_budget: size === '6.7B' ? '134e9' : '26e9',
  data_mix: 'sawtooth-pretrain-v5',
  ...extra,
});

const RUNS: RunSpec[] = [
  {
    key: 'sgA-0303', comp: 'SGA', experiment: SGA_EXP, date: '2025-03-03', hours: 52, status: 'FINISHED', outcome: 'success', kind: 'training_run',
    user: 'SML-1004', employees: ['SML-1004', 'SML-1002'], title: 'sgA-0303 full-attention baseline, 1.3B',
    params: sgaParams('full', '1.3B'),
    metrics: { suite_avg: 52.8, reasoning_avg: 44.1, code_avg: 38.6, long_context_avg: 47.9, train_flops_pf_days: 231.4 },
    curve: { steps: 6200, start: 10.9, end: 2.41 },
    note: 'Reference run: full multi-head attention at 1.3B on the 12-task suite. Every variant is compared with this run at equal tokens.',
    summary: 'Baseline: suite average 52.8 (reasoning 44.1, code 38.6, long-context 47.9) at 231.4 PF-days.',
  },
  {
    key: 'sgA-0412', comp: 'SGA', experiment: SGA_EXP, date: '2025-04-12', hours: 29, status: 'FAILED', outcome: 'failure', kind: 'training_run',
    user: 'SML-1005', employees: ['SML-1005', 'SML-1021'], title: 'sgA-0412 GQA-2 (2 KV groups), 1.3B',
    params: sgaParams('gqa', '1.3B', { kv_groups: '2' }),
    metrics: { diverged_at_step: 18240, max_grad_norm: 412.7 },
    curve: { steps: 18240, start: 10.9, end: 2.63, divergeAt: 18240 },
    note: 'Loss spiked from 2.6 to 7.9 between steps 18,180 and 18,240 and did not recover after two restarts from the 18k checkpoint; gradient norm 412. Hypothesis: two KV groups starve the long-range heads. Run stopped.',
    summary: 'Diverged at step 18,240 (loss 2.6 → 7.9, grad norm 412) after two restarts; stopped.',
  },
  {
    key: 'sgA-0419', comp: 'SGA', experiment: SGA_EXP, date: '2025-04-19', hours: 27, status: 'FAILED', outcome: 'failure', kind: 'training_run',
    user: 'SML-1006', employees: ['SML-1006', 'SML-1025'], title: 'sgA-0419 SPARSE-A (local 512 + strided 64), 1.3B',
    params: sgaParams('sparse_local_strided', '1.3B', { local_window: '512', stride: '64' }),
    metrics: { diverged_at_step: 17880, max_grad_norm: 288.3 },
    curve: { steps: 17880, start: 10.9, end: 2.66, divergeAt: 17880 },
    note: 'Attention logits grew without bound in the strided heads from about step 16k; loss spike and divergence at 17,880. Next: QK-norm and a longer warm-up (becomes SPARSE-A2).',
    summary: 'Diverged at step 17,880 (unbounded attention logits in the strided heads).',
  },
  {
    key: 'sgA-0503', comp: 'SGA', experiment: SGA_EXP, date: '2025-05-03', hours: 55, status: 'FINISHED', outcome: 'failure', kind: 'training_run',
    user: 'SML-1007', employees: ['SML-1007', 'SML-1004'], title: 'sgA-0503 SPARSE-B (block-sparse, top-k blocks), 1.3B',
    params: sgaParams('block_sparse_topk', '1.3B', { block_size: '128', topk_blocks: '8' }),
    metrics: { suite_avg: 47.3, reasoning_avg: 33.0, code_avg: 37.9, long_context_avg: 46.2, multi_step_arith: 4.1, logic_grid: 2.7, train_flops_pf_days: 151.9 },
    curve: { steps: 6200, start: 10.9, end: 2.52 },
    note: 'Training finished, but the model did not learn two reasoning tasks (multi-step arithmetic 4.1, logic grid 2.7: chance level) while the baseline reached 31.5 and 28.2. Top-k block selection drops the intermediate-result tokens. Rejected.',
    summary: 'Completed; failed to converge on two reasoning tasks (multi-step arithmetic 4.1, logic grid 2.7: chance level). Rejected.',
  },
  {
    key: 'sgA-0522', comp: 'SGA', experiment: SGA_EXP, date: '2025-05-22', hours: 50, status: 'FINISHED', outcome: 'failure', kind: 'training_run',
    user: 'SML-1008', employees: ['SML-1008'], title: 'sgA-0522 GQA-1 (4 KV groups), 1.3B',
    params: sgaParams('gqa', '1.3B', { kv_groups: '4' }),
    metrics: { suite_avg: 51.0, reasoning_avg: 43.8, code_avg: 38.4, long_context_avg: 43.8, train_flops_pf_days: 187.5 },
    curve: { steps: 6200, start: 10.9, end: 2.44 },
    note: 'Converged; 19% less compute than baseline but long-context average 4.1 points below it (43.8 vs 47.9). Fails the acceptance criterion (every task group within 0.5 points).',
    summary: 'Converged; long-context 4.1 points below baseline at 19% less compute. Rejected against the acceptance criterion.',
  },
  {
    key: 'sgA-0610', comp: 'SGA', experiment: SGA_EXP, date: '2025-06-10', hours: 49, status: 'FINISHED', outcome: 'failure', kind: 'training_run',
    user: 'SML-1006', employees: ['SML-1006', 'SML-1025'], title: 'sgA-0610 SPARSE-A2 (SPARSE-A with QK-norm, 4k warm-up), 1.3B',
    params: sgaParams('sparse_local_strided', '1.3B', { local_window: '512', stride: '64', qk_norm: 'true', warmup_steps: '4000' }),
    metrics: { suite_avg: 50.7, reasoning_avg: 42.9, code_avg: 37.7, long_context_avg: 45.2, train_flops_pf_days: 149.8 },
    curve: { steps: 6200, start: 10.9, end: 2.47 },
    note: 'QK-norm fixed the divergence of sgA-0419. Converged at 35% less compute, but long-context trails baseline by 2.7 points (45.2 vs 47.9). Rejected.',
    summary: 'Converged (QK-norm fixed the divergence); long-context 2.7 points below baseline. Rejected.',
  },
  {
    key: 'sgA-0627', comp: 'SGA', experiment: SGA_EXP, date: '2025-06-27', hours: 18, status: 'KILLED', outcome: 'failure', kind: 'training_run',
    user: 'SML-1021', employees: ['SML-1021', 'SML-1009'], title: 'sgA-0627 HYBRID-1 (GQA + fixed sparse routing), 1.3B',
    params: sgaParams('hybrid_gqa_sparse', '1.3B', { kv_groups: '4', routing: 'fixed', local_window: '512' }),
    metrics: { suite_avg_at_40pct: 41.2, baseline_suite_avg_at_40pct: 43.0, train_flops_pf_days: 58.4 },
    curve: { steps: 2480, start: 10.9, end: 2.88 },
    note: 'Killed at 40% of the token budget: 1.8 points behind the baseline at the same step on the interim evaluation, beyond the 1.0-point stop rule. Fixed routing sends most long-range queries to local blocks. Next: learned routing (HYBRID-2, HYBRID-3).',
    summary: 'Killed at 40% of budget under the stop rule (1.8 points behind baseline at equal tokens); fixed routing rejected.',
  },
  {
    key: 'sgA-0716', comp: 'SGA', experiment: SGA_EXP, date: '2025-07-16', hours: 34, status: 'FINISHED', outcome: 'success', kind: 'training_run',
    user: 'SML-1009', employees: ['SML-1009', 'SML-1021', 'SML-1028'], title: 'sgA-0716 HYBRID-3 (GQA + learned sparse routing), 1.3B',
    params: sgaParams('hybrid_gqa_sparse', '1.3B', { kv_groups: '4', routing: 'learned', router_aux_loss: '0.01', local_window: '512', qk_norm: 'true' }),
    metrics: { suite_avg: 52.6, reasoning_avg: 43.9, code_avg: 38.5, long_context_avg: 47.6, train_flops_pf_days: 143.5 },
    curve: { steps: 6200, start: 10.9, end: 2.42 },
    note: 'Every task group within 0.3 points of the baseline (sgA-0303) at 38% less training compute (143.5 vs 231.4 PF-days). Meets the acceptance criterion at 1.3B; confirm at 6.7B.',
    summary: 'Within 0.3 points of baseline on every task group at 38% less training compute. Meets the criterion at 1.3B.',
  },
  {
    key: 'sgA-0728', comp: 'SGA', experiment: SGA_EXP, date: '2025-07-28', hours: 118, status: 'FINISHED', outcome: 'success', kind: 'training_run',
    user: 'SML-1004', employees: ['SML-1004', 'SML-1002'], title: 'sgA-0728 full-attention baseline, 6.7B',
    params: sgaParams('full', '6.7B'),
    metrics: { suite_avg: 61.4, reasoning_avg: 55.2, code_avg: 49.8, long_context_avg: 58.6, train_flops_pf_days: 5965.0 },
    curve: { steps: 32000, start: 10.9, end: 2.08 },
    note: 'Reference run at 6.7B for the scaling check of HYBRID-3.',
    summary: 'Baseline at 6.7B: suite average 61.4 at 5,965 PF-days.',
  },
  {
    key: 'sgA-0802', comp: 'SGA', experiment: SGA_EXP, date: '2025-08-02', hours: 81, status: 'FINISHED', outcome: 'success', kind: 'training_run',
    user: 'SML-1009', employees: ['SML-1009', 'SML-1021', 'SML-1002'], title: 'sgA-0802 HYBRID-3, 6.7B',
    params: sgaParams('hybrid_gqa_sparse', '6.7B', { kv_groups: '4', routing: 'learned', router_aux_loss: '0.01', local_window: '512', qk_norm: 'true' }),
    metrics: { suite_avg: 61.2, reasoning_avg: 55.0, code_avg: 49.6, long_context_avg: 58.3, train_flops_pf_days: 3698.0 },
    curve: { steps: 32000, start: 10.9, end: 2.09 },
    note: 'Scaling check: within 0.3 points of the 6.7B baseline (sgA-0728) on every task group at 38% less compute. HYBRID-3 selected for further scaling.',
    summary: 'Within 0.3 points of the 6.7B baseline at 38% less compute; HYBRID-3 selected.',
  },
  // ---- PAR: MoE training throughput and memory at 140B (7 configurations).
  ...parRuns(),
  // ---- EVAL: the regression-detection harness against 140 labelled historical regressions.
  {
    key: 'eval-d1', comp: 'EVAL', experiment: EVAL_EXP, date: '2025-03-18', hours: 1.4, status: 'FINISHED', outcome: 'failure', kind: 'experiment_run',
    user: 'SML-1029', employees: ['SML-1029', 'SML-1023'], title: 'eval-d1 fixed-subset scoring (design 1) on 140 labelled regressions',
    params: { design: 'D1 fixed subset', probes_per_task: '200', labelled_regressions: '140', budget_hours: '2' },
    metrics: { recall: 0.61, false_alarm_rate: 0.021, wall_hours: 1.4, recall_long_context: 0.27 },
    note: 'Fast and quiet, but misses most long-context recall regressions (8 of 30): the fixed subset has too few long documents. Fails the 90% recall target.',
    summary: 'Recall 61% (long-context 27%), false alarms 2.1%, 1.4 h. Fails the recall target.',
  },
  {
    key: 'eval-d2', comp: 'EVAL', experiment: EVAL_EXP, date: '2025-05-06', hours: 1.9, status: 'FINISHED', outcome: 'failure', kind: 'experiment_run',
    user: 'SML-1023', employees: ['SML-1023', 'SML-1029'], title: 'eval-d2 sequential-test scoring (design 2) on 140 labelled regressions',
    params: { design: 'D2 sequential testing', alpha: '0.01', labelled_regressions: '140', budget_hours: '2' },
    metrics: { recall: 0.74, false_alarm_rate: 0.044, wall_hours: 1.9, recall_long_context: 0.5 },
    note: 'Sequential tests catch more regressions, but the long-context probes overlap the pretraining data, so contaminated items hide real regressions (15 of 30 long-context regressions found). Fails the recall target.',
    summary: 'Recall 74% (long-context 50%), false alarms 4.4%, 1.9 h. Fails the recall target.',
  },
  {
    key: 'eval-d3a', comp: 'EVAL', experiment: EVAL_EXP, date: '2025-07-08', hours: 3.1, status: 'FINISHED', outcome: 'failure', kind: 'experiment_run',
    user: 'SML-1023', employees: ['SML-1023'], title: 'eval-d3a contamination-aware scoring, exhaustive probes (design 3, first build)',
    params: { design: 'D3 contamination-aware', sampling: 'exhaustive', labelled_regressions: '140', budget_hours: '2' },
    metrics: { recall: 0.95, false_alarm_rate: 0.036, wall_hours: 3.1 },
    note: 'Filtering contaminated probes works (recall 95%), but exhaustive probing takes 3.1 hours against the 2-hour budget. Next: stratified sampling of the clean probes.',
    summary: 'Recall 95%, false alarms 3.6%, but 3.1 h against the 2 h budget. Fails the latency target.',
  },
  {
    key: 'eval-d3', comp: 'EVAL', experiment: EVAL_EXP, date: '2025-07-22', hours: 1.7, status: 'FINISHED', outcome: 'success', kind: 'experiment_run',
    user: 'SML-1023', employees: ['SML-1023', 'SML-1029', 'SML-1002'], title: 'eval-d3 contamination-aware stratified sampling (design 3) on 140 labelled regressions',
    params: { design: 'D3 contamination-aware', sampling: 'stratified', strata: 'task x length x contamination score', labelled_regressions: '140', budget_hours: '2' },
    metrics: { recall: 0.96, false_alarm_rate: 0.038, wall_hours: 1.7, recall_long_context: 0.93 },
    note: 'Meets every target: recall 96% (long-context 93%), false alarms 3.8% (< 5%), 1.7 hours per checkpoint (< 2). Adopted.',
    summary: 'Recall 96%, false alarms 3.8%, 1.7 h per checkpoint: meets every target. Adopted.',
  },
];

function parRuns(): RunSpec[] {
  const base = (cfg: string, p: Record<string, string>) => ({ config: cfg, model: 'moe-140b (16 experts, top-2)', gpus: '512 x H100-80GB', micro_batch: '1', seq_len: '4096', ...p });
  const spec = (
    n: number,
    date: string,
    status: RunSpec['status'],
    outcome: RunSpec['outcome'],
    params: Record<string, string>,
    metrics: Record<string, number>,
    employees: string[],
    title: string,
    note: string,
    summary: string,
  ): RunSpec => ({ key: `par-c${n}`, comp: 'PAR', experiment: PAR_EXP, date, hours: status === 'FINISHED' ? 6 : 1.5, status, outcome, kind: 'experiment_run', user: employees[0]!, employees, title: `par-c${n} ${title}`, params, metrics, note, summary });
  return [
    spec(1, '2025-02-24', 'FINISHED', 'success', base('C1', { fsdp: 'full_shard', tp: '1', pp: '1', ep: '1', model: 'dense-13b' }), { mfu: 0.38, peak_mem_gb: 61.2, tokens_per_sec_per_gpu: 2210 }, ['SML-1003', 'SML-1010'], 'FSDP baseline (13B dense reference)', 'Reference: FSDP full-shard reaches 38% MFU at 13B. At 140B MoE the per-GPU parameter and optimizer state exceeds 80 GB before activations, so FSDP alone cannot run the target.', '38% MFU at 13B; 140B MoE exceeds per-GPU memory under FSDP alone.'),
    spec(2, '2025-03-12', 'FAILED', 'failure', base('C2', { fsdp: 'full_shard', tp: '8', pp: '1', ep: '1' }), { peak_mem_gb: 80.0, oom_at_step: 3 }, ['SML-1011', 'SML-1022'], 'TP8 x FSDP at 140B', 'CUDA out of memory at step 3: activation memory of the expert layers is not sharded by TP.', 'Out of memory at step 3 (activations of the expert layers).'),
    spec(3, '2025-03-27', 'FINISHED', 'failure', base('C3', { fsdp: 'none', tp: '1', pp: '16', ep: '1', schedule: 'gpipe', micro_batches: '32' }), { mfu: 0.22, peak_mem_gb: 71.4, bubble_fraction: 0.31 }, ['SML-1012', 'SML-1015'], 'PP16 x DP (GPipe) at 140B', 'Trains, but at 22% MFU: a 31% pipeline bubble and idle experts. Below the 45% target.', 'Converged at 22% MFU (31% pipeline bubble): below the 45% target.'),
    spec(4, '2025-04-15', 'FAILED', 'failure', base('C4', { fsdp: 'none', tp: '8', pp: '4', ep: '1' }), { peak_mem_gb: 80.0, oom_at_step: 41 }, ['SML-1013', 'SML-1016'], 'TP8 x PP4 at 140B', 'Out of memory at step 41: experts replicated on every pipeline stage.', 'Out of memory at step 41 (experts replicated per stage).'),
    spec(5, '2025-05-07', 'FAILED', 'failure', base('C5', { fsdp: 'full_shard', tp: '1', pp: '1', ep: '8' }), { peak_mem_gb: 80.0, oom_at_step: 117, all_to_all_buffer_gb: 14.6 }, ['SML-1014', 'SML-1026'], 'EP8 x FSDP at 140B', 'Out of memory at step 117: the all-to-all dispatch buffers (14.6 GB) on top of the FSDP gather.', 'Out of memory at step 117 (14.6 GB all-to-all buffers).'),
    spec(6, '2025-06-18', 'KILLED', 'failure', base('C6', { fsdp: 'none', tp: '4', pp: '8', ep: '8', schedule: 'interleaved_1f1b', all_to_all: 'nccl' }), { mfu_before_hang: 0.41, hang_at_step: 212 }, ['SML-1003', 'SML-1022', 'SML-1026'], 'TP4 x PP8 x EP8, interleaved 1F1B, NCCL all-to-all', 'Deadlock in the pipeline flush at step 212: expert all-to-all on one stage waits on a send from the next virtual stage. Killed after 40 minutes without progress. See INFRA-88.', 'Deadlocked in the pipeline flush at step 212 (41% MFU before the hang); killed.'),
    spec(7, '2025-09-04', 'FINISHED', 'success', base('C7', { fsdp: 'none', tp: '4', pp: '8', ep: '8', schedule: 'interleaved_1f1b', all_to_all: 'kernelworks_fused_v2', grouped_gemm: 'custom' }), { mfu: 0.47, peak_mem_gb: 74.8, tokens_per_sec_per_gpu: 1315 }, ['SML-1003', 'SML-1026', 'SML-1010', 'SML-1022'], 'TP4 x PP8 x EP8 with custom all-to-all and grouped-GEMM kernels', 'Custom fused all-to-all dispatch/combine (stream-ordered, no cross-stage wait) removes the C6 deadlock; 47% MFU at 140B with 5 GB headroom. Adopted.', '47% MFU at 140B (target 45%), peak memory 74.8 GB. Adopted.'),
  ];
}

// ------------------------------------------------------------------------------------------ documents

interface DocSpec {
  id: string;
  kind: EvidenceItem['kind'];
  comp: Comp[];
  date: string;
  title: string;
  path: string;
  employees: string[];
  outcome?: EvidenceItem['outcome'];
  summary: string;
  body: string;
  captured?: string;
}

function documents(hex: (n: number) => string, nameOf: (id: string) => string): DocSpec[] {
  const author = (id: string) => `${nameOf(id)} <${nameOf(id).toLowerCase().replace(/[^a-z]+/g, '.')}@sawtooth.ml>`;
  const commit = (sha: string, who: string, date: string, subject: string, body: string, files: string[]): string =>
    `commit ${sha}\nAuthor:     ${author(who)}\nAuthorDate: ${date}\nCommit:     ${author(who)}\nCommitDate: ${date}\n\n    ${subject}\n\n${body
      .split('\n')
      .map((l) => (l ? `    ${l}` : ''))
      .join('\n')}\n\n${files.map((f) => ` ${f}`).join('\n')}\n`;
  const shaHybrid = hex(40);
  const shaKernels = hex(40);
  const shaEval = hex(40);
  const shaSupport = hex(40);
  return [
    // ------------------------------------------------------------------ SGA
    {
      id: 'adr:ADR-014', kind: 'adr', comp: ['SGA'], date: '2024-11-08', title: 'ADR-014: Attention mechanism for reduced-compute pretraining (proposed)',
      path: 'evidence/adr/ADR-014-attention-for-reduced-compute.md', employees: ['SML-1002', 'SML-1004', 'SML-1021'],
      summary: 'States the uncertainty at the outset: whether any attention variant keeps full-attention quality on the 12-task suite at materially lower compute; six candidates and the acceptance criterion.',
      body: `# ADR-014: Attention mechanism for reduced-compute pretraining

Status: proposed
Date: 2024-11-08
Deciders: ${nameOf('SML-1002')} (Chief Scientist), ${nameOf('SML-1004')}, ${nameOf('SML-1021')}

## Context

Pretraining compute is our largest cost and the limit on how often we can train. Full multi-head
attention is quadratic in sequence length; at 8k context it is about 40% of our training FLOPs.

## What we do not know

We do not know whether any cheaper attention mechanism keeps full-attention quality on our 12-task
suite (4 reasoning, 4 code, 4 long-context tasks). Published grouped-query and sparse patterns
report small losses on short-context benchmarks, but none reports long-context recall and
multi-step reasoning at our model sizes and data mix, and the papers disagree on training
stability. We also do not know which design would do it, if one does.

## Options to evaluate

1. Full attention (baseline, for reference)
2. GQA-1: grouped-query attention, 4 KV groups
3. GQA-2: grouped-query attention, 2 KV groups
4. SPARSE-A: local window 512 + strided 64
5. SPARSE-B: block-sparse, top-k blocks
6. HYBRID: grouped-query heads plus a routed sparse pattern (our design; routing to be determined)

## How we will decide

Train each at 350M and 1.3B at equal tokens, the survivors at 6.7B. Acceptance: every task group
within 0.5 points of the baseline, at 25% or more less training compute. Stop rule: a run more than
1.0 point behind the baseline at 40% of its token budget is stopped. Runs are logged in MLflow
experiment sga-pretraining.
`,
    },
    {
      id: 'doc:SGA-DD-01', kind: 'design_doc', comp: ['SGA'], date: '2024-11-19', title: 'SGA-DD-01: The 12-task benchmark suite and acceptance criteria',
      path: 'evidence/design/SGA-DD-01-benchmark-suite.md', employees: ['SML-1004', 'SML-1018'],
      summary: 'Defines the 12 evaluation tasks, equal-token comparisons and the acceptance and stop rules used for every SGA run.',
      body: `# SGA-DD-01: Benchmark suite and acceptance criteria

Date: 2024-11-19 · Owner: ${nameOf('SML-1004')}

| group | tasks |
|---|---|
| reasoning | multi-step arithmetic, logic grid, causal chains, symbolic rewriting |
| code | function synthesis, repair, completion, test generation |
| long-context | needle recall 8k, multi-document QA, long summary faithfulness, retrieval over 6k-token contracts |

Comparisons are at equal training tokens against the full-attention run of the same size.
Acceptance: each group average within 0.5 points of the baseline, and at least 25% less training
compute (PF-days from the profiler, not from theory). Stop rule: more than 1.0 point behind at 40%
of the budget. Data operations keep the held-out sets frozen (checksums in the eval repository).
`,
    },
    {
      id: 'jira:ML-212', kind: 'ticket', comp: ['SGA'], date: '2025-04-21', title: 'ML-212: GQA-2 and SPARSE-A diverge at ~18k steps',
      path: 'evidence/tickets/ML-212.md', employees: ['SML-1005', 'SML-1006'],
      summary: 'Investigation of the two divergences (sgA-0412, sgA-0419): starved long-range heads in GQA-2, unbounded logits in SPARSE-A; proposes QK-norm and a longer warm-up.',
      body: `# ML-212 GQA-2 and SPARSE-A diverge at ~18k steps

Type: research task · Status: done · Created: 2025-04-21 · Reporter: ${nameOf('SML-1005')} · Assignee: ${nameOf('SML-1006')}

Runs sgA-0412 (GQA-2) and sgA-0419 (SPARSE-A) both diverged between steps 17.8k and 18.3k.

Findings:
- GQA-2: with 2 KV groups the long-range heads share one key/value projection; gradient norm
  climbs from step 15k. Restarting from the 18k checkpoint with a lower learning rate diverged again.
  GQA-2 is dropped.
- SPARSE-A: attention logits in the strided heads grow without bound. Try QK-norm and a 4k-step
  warm-up (SPARSE-A2).

Resolution: GQA-2 abandoned; SPARSE-A2 queued (run sgA-0610).
`,
    },
    {
      id: `git:${shaHybrid}`, kind: 'commit', comp: ['SGA'], date: '2025-07-08', title: 'attention: hybrid grouped-query block with learned sparse routing (HYBRID-3)',
      path: `evidence/git/${shaHybrid.slice(0, 12)}.txt`, employees: ['SML-1009'],
      summary: 'Implements HYBRID-3: 4-group GQA heads plus a learned router choosing sparse key blocks, with QK-norm and an auxiliary load loss.',
      body: commit(
        shaHybrid,
        'SML-1009',
        '2025-07-08T16:42:11-06:00',
        'attention: hybrid grouped-query block with learned sparse routing (HYBRID-3)',
        'HYBRID-1 (fixed routing) lost 1.8 points at 40% of budget (sgA-0627): fixed routing sent\nlong-range queries to local blocks. This replaces the fixed router with a learned one\n(top-4 of 64 key blocks, auxiliary load loss 0.01) and keeps QK-norm from SPARSE-A2.\n\nRefs: ADR-014, ML-212',
        ['src/sawtooth/attention/hybrid.py     | 214 ++++++++++', 'src/sawtooth/attention/router.py     |  97 +++++', 'tests/attention/test_hybrid.py       | 131 ++++++', '3 files changed, 442 insertions(+)'],
      ),
    },
    {
      id: 'pr:trainer#341', kind: 'pull_request', comp: ['SGA'], date: '2025-07-10', title: 'trainer#341: HYBRID-3 attention block (grouped-query heads + learned sparse routing)',
      path: 'evidence/git/trainer-pr-341.md', employees: ['SML-1009', 'SML-1021', 'SML-1002'],
      summary: 'Review thread of the HYBRID-3 block: equivalence tests against full attention at short length, memory profile, launch of sgA-0716.',
      body: `# trainer#341 HYBRID-3 attention block

Author: ${nameOf('SML-1009')} · Reviewers: ${nameOf('SML-1021')}, ${nameOf('SML-1002')} · Opened 2025-07-08 · Merged 2025-07-10

Adds the HYBRID-3 block (commit ${shaHybrid.slice(0, 12)}).

Checks before merge:
- at 512 tokens the block reproduces full attention within 1e-3 (routing covers every block);
- memory at 8k context: 31% lower activation memory than full attention at 1.3B;
- profiler FLOPs per token: 41% of full attention in the attention layers.

${nameOf('SML-1021')}: router collapse risk — add the load loss to the dashboards. Done.
${nameOf('SML-1002')}: approve; launch the 1.3B equal-token run against sgA-0303.
`,
    },
    {
      id: 'bench:SGA-ablation-2025', kind: 'benchmark', comp: ['SGA'], date: '2025-08-06', title: 'SGA ablation matrix: six attention mechanisms, 1.3B and 6.7B, 12 tasks',
      path: 'evidence/benchmarks/sga-ablation-2025.csv', employees: ['SML-1004', 'SML-1018'], outcome: 'success',
      summary: 'Per-run group averages and compute against the baseline: three variants failed (two divergences, one non-convergence on reasoning), two trailed on long-context, HYBRID-3 met the criterion.',
      body: `run,variant,size,status,reasoning,code,long_context,suite_avg,pf_days,compute_vs_baseline,meets_criterion
sgA-0303,full (baseline),1.3B,finished,44.1,38.6,47.9,52.8,231.4,0%,reference
sgA-0412,GQA-2,1.3B,diverged at step 18240,,,,,,,no
sgA-0419,SPARSE-A,1.3B,diverged at step 17880,,,,,,,no
sgA-0503,SPARSE-B,1.3B,no convergence on 2 reasoning tasks,33.0,37.9,46.2,47.3,151.9,-34%,no
sgA-0522,GQA-1,1.3B,finished,43.8,38.4,43.8,51.0,187.5,-19%,no (long-context -4.1)
sgA-0610,SPARSE-A2,1.3B,finished,42.9,37.7,45.2,50.7,149.8,-35%,no (long-context -2.7)
sgA-0627,HYBRID-1,1.3B,stopped at 40% (stop rule),,,,,58.4,,no
sgA-0716,HYBRID-3,1.3B,finished,43.9,38.5,47.6,52.6,143.5,-38%,yes
sgA-0728,full (baseline),6.7B,finished,55.2,49.8,58.6,61.4,5965.0,0%,reference
sgA-0802,HYBRID-3,6.7B,finished,55.0,49.6,58.3,61.2,3698.0,-38%,yes
`,
    },
    {
      id: 'doc:SGA-DM-02', kind: 'design_doc', comp: ['SGA'], date: '2025-08-15', title: 'SGA-DM-02: Decision memo — HYBRID-3 selected for scaling',
      path: 'evidence/design/SGA-DM-02-decision.md', employees: ['SML-1002', 'SML-1009'],
      summary: 'Closes ADR-014: HYBRID-3 accepted at 1.3B and 6.7B; records why each other variant was rejected.',
      body: `# SGA-DM-02: HYBRID-3 selected for scaling (closes ADR-014)

Date: 2025-08-15 · Decision: ${nameOf('SML-1002')}

HYBRID-3 meets the ADR-014 criterion at 1.3B (sgA-0716) and 6.7B (sgA-0802): every task group
within 0.3 points of full attention at 38% less training compute.

Rejected: GQA-2 and SPARSE-A diverged (sgA-0412, sgA-0419; ML-212); SPARSE-B did not learn two
reasoning tasks (sgA-0503); GQA-1 trailed by 4.1 points on long-context (sgA-0522); SPARSE-A2
trailed by 2.7 (sgA-0610); HYBRID-1 stopped under the stop rule (sgA-0627).

Open: behaviour beyond 6.7B and at 32k context is not known yet; the 2026 plan tests it.
`,
    },
    // ------------------------------------------------------------------ PAR
    {
      id: 'adr:ADR-021', kind: 'adr', comp: ['PAR'], date: '2025-02-05', title: 'ADR-021: Parallelism strategy for MoE training beyond FSDP memory bounds (proposed)',
      path: 'evidence/adr/ADR-021-parallelism-strategy.md', employees: ['SML-1003', 'SML-1026', 'SML-1010'],
      summary: 'States the uncertainty at the outset: whether any combination of tensor, pipeline and expert parallelism trains the 140B MoE at 45% MFU within 80 GB; seven configurations to benchmark.',
      body: `# ADR-021: Parallelism strategy for MoE training beyond FSDP memory bounds

Status: proposed
Date: 2025-02-05
Deciders: ${nameOf('SML-1003')} (Head of ML Infrastructure), ${nameOf('SML-1026')}, ${nameOf('SML-1010')}

## Context

The 140B mixture-of-experts model (16 experts, top-2) does not fit under FSDP: parameters and
optimizer state alone exceed 80 GB per GPU on 512 H100s. Our target is 45% model FLOPs utilisation.

## What we do not know

Whether any combination of tensor, pipeline and expert parallelism reaches 45% MFU at 140B within
80 GB, and which one. Published results are for dense models or for different interconnects; the
interaction of expert all-to-all with pipeline schedules is not documented for our topology, and
we do not know whether the stock collective kernels are fast enough.

## Configurations to benchmark (1B, 13B and 140B)

C1 FSDP baseline · C2 TP8 x FSDP · C3 PP16 x DP (GPipe) · C4 TP8 x PP4 · C5 EP8 x FSDP ·
C6 TP4 x PP8 x EP8 (interleaved 1F1B) · C7 as C6 with custom all-to-all and grouped-GEMM kernels
(if the stock kernels are the bottleneck; Kernelworks quote requested).

Measured per run: MFU, peak memory, tokens/s/GPU, bubble fraction. Logged in MLflow experiment
par-benchmarks. Appendix B will hold the benchmark matrix.
`,
    },
    {
      id: 'contract:KW-SOW-2025-01', kind: 'contract', comp: ['PAR'], date: '2025-03-03', title: 'Kernelworks LLC statement of work KW-SOW-2025-01: custom all-to-all and grouped-GEMM CUDA kernels',
      path: 'evidence/contracts/KW-SOW-2025-01.md', employees: ['SML-1003', 'SML-1026'],
      summary: 'Fixed fee of $184,000 in milestones, payable whether or not the kernels reach the target; Sawtooth owns all code and results; work performed in Seattle, WA.',
      body: `# Statement of Work KW-SOW-2025-01

Between Sawtooth Machine Learning, Inc. (Boise, Idaho) and Kernelworks LLC (Seattle, Washington).
Effective 2025-03-03 under the master services agreement of 2025-02-20.

1. Work. Design and build two CUDA kernels for Sawtooth's MoE training stack: (a) a fused expert
   all-to-all dispatch and combine that does not block the pipeline schedule; (b) a grouped GEMM
   for variable expert batch sizes. Sawtooth sets the targets (throughput at 140B on its cluster)
   and directs the experiments; Kernelworks engineers perform the work in Seattle, Washington.
2. Fee. $184,000, fixed, in three milestones (design review, first working kernels, final
   kernels). Each milestone is payable on delivery of the work described, whether or not the
   kernels reach the throughput target. No part of the fee depends on the results.
3. Rights. All code, documentation and results are works made for hire owned by Sawtooth.
   Kernelworks keeps no right to use them.
4. Term. 2025-03-03 to 2025-09-30.
`,
    },
    {
      id: 'jira:INFRA-88', kind: 'ticket', comp: ['PAR'], date: '2025-06-20', title: 'INFRA-88: par-c6 hangs in the pipeline flush with expert all-to-all',
      path: 'evidence/tickets/INFRA-88.md', employees: ['SML-1022', 'SML-1026'],
      summary: 'Root cause of the C6 deadlock: the NCCL all-to-all on one stage waits for a send from the next virtual stage; stock kernels cannot be reordered, leading to the custom kernels (C7).',
      body: `# INFRA-88 par-c6 hangs in the pipeline flush with expert all-to-all

Type: bug (research) · Status: done · Created: 2025-06-20 · Reporter: ${nameOf('SML-1022')} · Assignee: ${nameOf('SML-1026')}

par-c6 (TP4 x PP8 x EP8, interleaved 1F1B) stops making progress at step 212 during the flush.
Trace: stage 5 enters the expert all-to-all (NCCL) while its peer ranks wait on a send from
virtual stage 6; NCCL's all-to-all is not stream-ordered with the point-to-point sends.

Tried: separate communicators per virtual stage (hang moves to step 340); disabling interleaving
(no hang, 29% MFU — below target). Conclusion: the stock collective cannot be scheduled inside the
interleaved flush. Kernelworks milestone 2 changes to a stream-ordered fused dispatch/combine.
`,
    },
    {
      id: `git:${shaKernels}`, kind: 'commit', comp: ['PAR'], date: '2025-08-27', title: 'moe: integrate fused all-to-all dispatch/combine and grouped GEMM kernels (Kernelworks milestone 2)',
      path: `evidence/git/${shaKernels.slice(0, 12)}.txt`, employees: ['SML-1026'],
      summary: 'Integrates the custom kernels into the C6 configuration (becomes C7); adds the kernel ablation switches.',
      body: commit(
        shaKernels,
        'SML-1026',
        '2025-08-27T11:05:37-07:00',
        'moe: integrate fused all-to-all dispatch/combine and grouped GEMM kernels (Kernelworks milestone 2)',
        'Stream-ordered fused dispatch/combine removes the INFRA-88 deadlock in the interleaved\nflush. Grouped GEMM replaces the padded per-expert matmuls. Both behind flags\n(--a2a=fused_v2, --grouped-gemm) for the ablation in ADR-021 appendix B.\n\nRefs: ADR-021, INFRA-88, KW-SOW-2025-01',
        ['csrc/moe/a2a_fused.cu            | 388 +++++++++++++', 'csrc/moe/grouped_gemm.cu         | 276 +++++++++', 'sawtooth/parallel/moe_layer.py   |  64 ++--', '3 files changed, 702 insertions(+), 26 deletions(-)'],
      ),
    },
    {
      id: 'bench:ADR-021-appendix-B', kind: 'benchmark', comp: ['PAR'], date: '2025-09-12', title: 'ADR-021 appendix B: parallelism benchmark matrix and kernel ablation',
      path: 'evidence/benchmarks/adr-021-appendix-b.csv', employees: ['SML-1003', 'SML-1026', 'SML-1010'], outcome: 'success',
      summary: 'Seven configurations at 1B, 13B and 140B, and the kernel ablation: the fused all-to-all gives +9 MFU points and the grouped GEMM +5 at 140B.',
      body: `config,description,size,result,mfu,peak_mem_gb,notes
C1,FSDP baseline,1B,ok,0.41,22.8,
C1,FSDP baseline,13B,ok,0.38,61.2,
C1,FSDP baseline,140B,not runnable,,>80,state exceeds 80 GB
C2,TP8 x FSDP,140B,oom step 3,,80.0,expert activations unsharded
C3,PP16 x DP GPipe,140B,ok,0.22,71.4,bubble 31%
C4,TP8 x PP4,140B,oom step 41,,80.0,experts replicated per stage
C5,EP8 x FSDP,140B,oom step 117,,80.0,all-to-all buffers 14.6 GB
C6,TP4 x PP8 x EP8 NCCL,140B,deadlock step 212,0.41 (before hang),76.1,INFRA-88
C7,TP4 x PP8 x EP8 custom kernels,1B,ok,0.44,18.3,
C7,TP4 x PP8 x EP8 custom kernels,13B,ok,0.46,52.0,
C7,TP4 x PP8 x EP8 custom kernels,140B,ok,0.47,74.8,adopted
ablation,C7 without fused all-to-all (no interleave),140B,ok,0.33,74.9,fused a2a worth ~9 points with interleave restored
ablation,C7 without grouped GEMM,140B,ok,0.42,77.3,grouped GEMM worth ~5 points
`,
    },
    // ------------------------------------------------------------------ EVAL
    {
      id: 'doc:EVAL-DD-01', kind: 'design_doc', comp: ['EVAL'], date: '2025-01-20', title: 'EVAL-DD-01: Regression detection harness — targets, unknowns and candidate designs',
      path: 'evidence/design/EVAL-DD-01-regression-harness.md', employees: ['SML-1023', 'SML-1029', 'SML-1002'],
      summary: 'States the uncertainty at the outset: whether an automated harness can catch the regressions that matter within 2 hours with under 5% false alarms; three candidate designs and the labelled test set.',
      body: `# EVAL-DD-01: Regression detection harness

Date: 2025-01-20 · Authors: ${nameOf('SML-1023')}, ${nameOf('SML-1029')} · Sponsor: ${nameOf('SML-1002')}

Targets: flag a checkpoint regression in reasoning, long-context recall or code within 2 hours of the
checkpoint, recall of at least 90% on known regressions, fewer than 5% false alarms.

Unknown at the start: whether any sampling and scoring design can meet all three at once. Full
evaluation takes 9 hours; small fixed subsets are fast but their variance hides 1–2 point drops,
and our long-context probes may overlap pretraining data, which would mask regressions.

Designs to test: D1 fixed stratified subset with bootstrap intervals; D2 sequential testing with
early stopping; D3 contamination-aware scoring (drop probes that appear in the training data),
sampling to be determined.

Test set: 140 historical regressions labelled by the research team (30 of them long-context),
plus 400 clean checkpoint pairs for the false-alarm rate. Runs logged in MLflow
eval-regression-harness.
`,
    },
    {
      id: 'jira:EVAL-17', kind: 'ticket', comp: ['EVAL'], date: '2025-05-09', title: 'EVAL-17: D2 misses long-context recall regressions (contaminated probes)',
      path: 'evidence/tickets/EVAL-17.md', employees: ['SML-1023', 'SML-1029'],
      summary: 'Finds that half the long-context probes overlap pretraining data, which masks regressions in D1 and D2; proposes contamination-aware scoring (D3).',
      body: `# EVAL-17 D2 misses long-context recall regressions

Type: research task · Status: done · Created: 2025-05-09 · Reporter: ${nameOf('SML-1029')} · Assignee: ${nameOf('SML-1023')}

eval-d2 found 15 of the 30 labelled long-context regressions. 13-gram overlap against the
pretraining index: 48% of the long-context probes appear in the training data; on those probes
regressed checkpoints still score well. Proposal D3: score only probes below an overlap threshold
and re-weight by task and length. Risk: too few clean probes to stay within the 2-hour budget.
`,
    },
    {
      id: `git:${shaEval}`, kind: 'commit', comp: ['EVAL'], date: '2025-07-17', title: 'eval: contamination-aware stratified sampling of probes (design 3)',
      path: `evidence/git/${shaEval.slice(0, 12)}.txt`, employees: ['SML-1023'],
      summary: 'Replaces exhaustive probing (eval-d3a, 3.1 h) by stratified sampling over task × length × contamination score.',
      body: commit(
        shaEval,
        'SML-1023',
        '2025-07-17T14:20:03-07:00',
        'eval: contamination-aware stratified sampling of probes (design 3)',
        'eval-d3a met recall (95%) but took 3.1 h with exhaustive probing. Sample clean probes\nstratified by task x length x contamination score, with Neyman allocation from the\nvariance of the labelled set.\n\nRefs: EVAL-DD-01, EVAL-17',
        ['harness/sampling/stratified.py   | 158 ++++++++', 'harness/contamination/ngram.py   |  73 ++++', 'harness/tests/test_sampling.py   |  96 +++++', '3 files changed, 327 insertions(+)'],
      ),
    },
    {
      id: 'bench:EVAL-designs-2025', kind: 'benchmark', comp: ['EVAL'], date: '2025-07-25', title: 'EVAL design comparison on 140 labelled regressions and 400 clean pairs',
      path: 'evidence/benchmarks/eval-designs-2025.csv', employees: ['SML-1023', 'SML-1029'], outcome: 'success',
      summary: 'Recall, long-context recall, false-alarm rate and time per checkpoint of the four builds; only D3 with stratified sampling meets all three targets.',
      body: `run,design,recall,recall_long_context,false_alarm_rate,hours_per_checkpoint,meets_targets
eval-d1,D1 fixed subset,0.61,0.27,0.021,1.4,no (recall)
eval-d2,D2 sequential testing,0.74,0.50,0.044,1.9,no (recall)
eval-d3a,D3 contamination-aware exhaustive,0.95,0.90,0.036,3.1,no (time)
eval-d3,D3 contamination-aware stratified,0.96,0.93,0.038,1.7,yes
`,
    },
    // ------------------------------------------------------------------ LLMAPI
    {
      id: 'doc:SUP-DD-03', kind: 'design_doc', comp: ['LLMAPI'], date: '2025-03-04', title: 'SUP-DD-03: Support assistant — integrating a vendor language model',
      path: 'evidence/design/SUP-DD-03-support-assistant.md', employees: ['SML-1027', 'SML-1017'],
      summary: 'Plan to call a vendor model through its documented chat API from the support agents’ sidebar, with prompt templates and macro retrieval; no model development, no open technical question.',
      body: `# SUP-DD-03: Support assistant with a vendor language model

Date: 2025-03-04 · Owner: ${nameOf('SML-1027')} (Product Manager) · Engineer: ${nameOf('SML-1017')}

Goal: draft replies for our support agents inside the help-desk sidebar, used by our own staff.

Approach: call the vendor's chat-completion API with its documented parameters (model, temperature,
max tokens); prompt templates per ticket type; insert the three most relevant help-centre macros by
keyword search. Launch behind a feature flag to the support team.

Risks: vendor cost per ticket, agents' adoption, response time of the vendor API. Vendor
documentation and the vendor's reference integration cover every step; we are not training or
changing the model.
`,
    },
    {
      id: 'jira:SUP-41', kind: 'ticket', comp: ['LLMAPI'], date: '2025-03-12', title: 'SUP-41: Wire the vendor completion endpoint into the support sidebar',
      path: 'evidence/tickets/SUP-41.md', employees: ['SML-1017'],
      summary: 'Implementation ticket: API key management, prompt templates, retries per the vendor guide; done in four days.',
      body: `# SUP-41 Wire the vendor completion endpoint into the support sidebar

Type: story · Status: done · Created: 2025-03-12 · Assignee: ${nameOf('SML-1017')} · Story points: 3

- store the API key in the secrets manager
- prompt templates for billing, onboarding, outage tickets
- retries and timeouts as in the vendor's integration guide
- feature flag support-assistant for the support group
Done 2025-03-17.
`,
    },
    {
      id: `git:${shaSupport}`, kind: 'commit', comp: ['LLMAPI'], date: '2025-03-20', title: 'support-assistant: draft replies via vendor chat API with macro context',
      path: `evidence/git/${shaSupport.slice(0, 12)}.txt`, employees: ['SML-1017'],
      summary: 'Adds the API client and templates for the sidebar; configuration only, following the vendor guide.',
      body: commit(
        shaSupport,
        'SML-1017',
        '2025-03-20T10:12:45-06:00',
        'support-assistant: draft replies via vendor chat API with macro context',
        'Client for the vendor chat-completion endpoint, three prompt templates and keyword\nlookup of help-centre macros. Settings from the vendor integration guide.\n\nRefs: SUP-41',
        ['apps/support-assistant/client.ts     | 88 +++++', 'apps/support-assistant/templates.ts  | 61 ++++', 'apps/support-assistant/macros.ts     | 34 ++', '3 files changed, 183 insertions(+)'],
      ),
    },
    // ------------------------------------------------------------------ SERVE
    {
      id: 'doc:INF-RN-1.0', kind: 'other', comp: ['SERVE'], date: '2024-06-01', title: 'Inference API 1.0 general availability — release notes',
      path: 'evidence/design/INF-RN-1.0-release-notes.md', employees: ['SML-1003', 'SML-1024'],
      summary: 'The inference service was released to paying customers on 2024-06-01: the date commercial production began.',
      body: `# Inference API 1.0 — general availability

Released: 2024-06-01

The Sawtooth inference API is generally available to all customers under the standard terms and
price list. Endpoints: /v1/completions, /v1/embeddings. SLA: 99.9% monthly availability.
Supported models: sawtooth-base-7b, sawtooth-embed-v2.
`,
    },
    {
      id: 'doc:INF-RB-7', kind: 'other', comp: ['SERVE'], date: '2025-01-13', title: 'Inference platform on-call runbook, revision 7',
      path: 'evidence/design/INF-RB-7-runbook.md', employees: ['SML-1024', 'SML-1015', 'SML-1016'],
      summary: 'Operating procedures of the released service: autoscaling limits, incident response, capacity reviews.',
      body: `# Inference platform on-call runbook (rev. 7)

Date: 2025-01-13 · Owner: ${nameOf('SML-1024')} (SRE)

- Autoscaling: target 60% GPU utilisation, ceiling 48 replicas per region; raise the ceiling by
  change request when p99 latency exceeds 900 ms for 15 minutes.
- Incidents: page the on-call SRE; roll back the last deploy first.
- Monthly capacity review against the traffic forecast.
`,
    },
    {
      id: 'jira:OPS-301', kind: 'ticket', comp: ['SERVE'], date: '2025-05-19', title: 'OPS-301: Raise the autoscaling ceiling for p99 latency during EU mornings',
      path: 'evidence/tickets/OPS-301.md', employees: ['SML-1024'],
      summary: 'Routine capacity change on the released service, done by the runbook procedure.',
      body: `# OPS-301 Raise the autoscaling ceiling for EU mornings

Type: operations · Status: done · Created: 2025-05-19 · Assignee: ${nameOf('SML-1024')}

p99 latency above 900 ms from 07:00 to 09:30 CET for three days. Per runbook rev. 7: ceiling
raised from 48 to 64 replicas in eu-west; verified p99 at 610 ms the next morning.
`,
    },
  ];
}

/** Interview notes: the preparer's record of the interviews, made after the tax year. */
function interviewNotes(nameOf: (id: string) => string): DocSpec[] {
  const note = (comp: Comp, date: string, people: string[], lines: string): DocSpec => ({
    id: `note:interview-${comp}-${date}`,
    kind: 'interview_note',
    comp: [comp],
    date,
    title: `Four-part-test interview notes, ${comp} (${date})`,
    path: `evidence/interviews/${comp}-${date}.md`,
    employees: people,
    summary: `Notes of the ${date} interview with ${people.map(nameOf).join(', ')}; written after the tax year, they point to the contemporaneous records.`,
    captured: NOTES_CAPTURED,
    body: `# Interview notes — ${comp}

Date: ${date} · Interviewer: ${REVIEWER} · Present: ${people.map((p) => `${nameOf(p)} (${p})`).join(', ')}

These notes were written during the study, after the 2025 tax year. Every fact below is checked
against the records cited in the interview answers.

${lines}
`,
  });
  return [
    note('SGA', '2026-02-17', ['SML-1002', 'SML-1004', 'SML-1009'], '- Uncertainty written in ADR-014 before the first run (2024-11-08).\n- Six mechanisms; three failed (two divergences, one did not learn two reasoning tasks), two trailed on long-context, HYBRID-3 met the criterion at 1.3B and 6.7B.\n- No customer or grant pays for the work; all rights are Sawtooth’s.\n- The model is Sawtooth’s own; the work does not copy a published architecture (the hybrid routing is new).'),
    note('PAR', '2026-02-18', ['SML-1003', 'SML-1026'], '- ADR-021 (2025-02-05) set the 45% MFU target and the seven configurations before the benchmarks.\n- C2, C4, C5 ran out of memory at 140B; C3 reached 22% MFU; C6 deadlocked; C7 reached 47%.\n- Kernelworks was paid a fixed fee per milestone, due whatever the result; Sawtooth owns the kernels.'),
    note('EVAL', '2026-02-18', ['SML-1023', 'SML-1029'], '- EVAL-DD-01 (2025-01-20) set the targets and the three designs.\n- D1 and D2 failed recall; the first D3 build failed the time budget; stratified D3 met every target.\n- The harness scores Sawtooth’s own checkpoints; it is not sold separately but is part of the model development process.'),
    note('LLMAPI', '2026-02-19', ['SML-1017', 'SML-1027'], '- The assistant calls a vendor model through its documented API; Sawtooth did not train or change the model.\n- The open questions were cost and adoption, not how to build it; the vendor guide covered the method.\n- Used only by Sawtooth’s support agents (internal use); a comparable vendor plug-in was available.'),
    note('SERVE', '2026-02-19', ['SML-1003', 'SML-1024'], '- The inference API has been sold to customers since 2024-06-01 (release notes).\n- 2025 work: autoscaling, capacity, incidents on the released service by the runbook.'),
  ];
}

// ------------------------------------------------------------------------------------------ interviews

type A = [question: string, value: InterviewAnswer['value'], evidence?: string[], note?: string];

function interviewsFor(ev: (key: string) => string, nameOf: (id: string) => string): ComponentInterview[] {
  const by = (id: string, role: string) => `${nameOf(id)}, ${role} (${id})`;
  const make = (componentId: Comp, who: string, at: string, answers: A[]): ComponentInterview => ({
    componentId,
    answers: answers.map(([question, value, evidence, note]) => ({
      question,
      value,
      ...(note ? { note } : {}),
      ...(evidence?.length ? { evidenceIds: evidence.map(ev) } : {}),
      answeredBy: who,
      answeredAt: at,
    })),
  });
  const notRaisedIus = 'Not dual-function software: there is no third-party subset to separate.';
  return [
    make('SGA', by('SML-1002', 'Chief Scientist'), '2026-02-17T18:30:00Z', [
      ['pp.purpose', ['performance', 'function'], ['adr:ADR-014']],
      ['pp.improvement', 'An attention mechanism for Sawtooth’s pretrained models that keeps every task group of the 12-task suite within 0.5 points of full attention while cutting training compute by at least 25%. HYBRID-3 reached within 0.3 points at 38% less compute.', ['adr:ADR-014', 'doc:SGA-DD-01', 'sgA-0716']],
      ['pp.business_component_use', true, ['note:SGA'], 'The attention block is part of the models Sawtooth trains and licenses through its API.'],
      ['tu.kind', ['capability', 'design'], ['adr:ADR-014']],
      ['tu.statement', 'When the program began the team did not know whether any cheaper attention mechanism could hold full-attention quality on long-context recall and multi-step reasoning at its model sizes and data mix, and if one could, which design; published results covered short-context benchmarks and disagreed on training stability.', ['adr:ADR-014']],
      ['tu.at_outset', true, ['adr:ADR-014', 'doc:SGA-DD-01']],
      ['tu.documented_on', '2024-11-08', ['adr:ADR-014']],
      ['tn.sciences', ['computer_science', 'mathematics'], ['adr:ADR-014']],
      ['tn.principles', 'Attention and sparse-attention theory, statistical learning and optimisation (training stability, normalisation of attention logits), and the compute and memory cost of attention on GPUs.', ['jira:ML-212', 'pr:trainer#341']],
      ['poe.hypotheses', 'H1: grouped-query attention with fewer KV groups keeps quality at lower compute. H2: a fixed sparse pattern (local plus strided, or top-k blocks) keeps quality. H3: combining grouped-query heads with learned routing to sparse key blocks keeps long-context recall that the fixed patterns lose.', ['adr:ADR-014', 'pr:trainer#341']],
      ['poe.alternatives', ['full attention (baseline)', 'GQA-1: 4 KV groups', 'GQA-2: 2 KV groups', 'SPARSE-A: local 512 + strided 64 (and SPARSE-A2 with QK-norm)', 'SPARSE-B: block-sparse top-k', 'HYBRID: grouped-query heads + sparse routing (HYBRID-1 fixed, HYBRID-3 learned)'], ['adr:ADR-014', 'bench:SGA-ablation-2025']],
      ['poe.method', ['systematic_trial_and_error', 'modeling'], ['doc:SGA-DD-01', 'bench:SGA-ablation-2025']],
      ['poe.trials', 64, ['bench:SGA-ablation-2025'], 'Runs in the MLflow experiment sga-pretraining at 350M, 1.3B and 6.7B; the ten decisive runs are kept as evidence items.'],
      ['poe.failures', 29, ['sgA-0412', 'sgA-0419', 'sgA-0503', 'sgA-0522', 'sgA-0610', 'sgA-0627'], 'Diverged, stopped under the stop rule, or rejected against the acceptance criterion.'],
      ['poe.results', 'Judged on the 12-task suite at equal tokens against full attention. GQA-2 and SPARSE-A diverged near step 18k; SPARSE-B did not learn two reasoning tasks; GQA-1 and SPARSE-A2 converged but trailed on long-context by 4.1 and 2.7 points; HYBRID-1 was stopped at 40% of budget; HYBRID-3 stayed within 0.3 points at 38% less compute at 1.3B and 6.7B and was selected. Behaviour beyond 6.7B is still open.', ['sgA-0412', 'sgA-0419', 'sgA-0503', 'sgA-0522', 'sgA-0610', 'sgA-0627', 'sgA-0716', 'sgA-0802', 'bench:SGA-ablation-2025', 'doc:SGA-DM-02']],
      ['poe.routine', false, ['bench:SGA-ablation-2025']],
      ['poe.technical_staff', true, ['pr:trainer#341'], 'Research scientists and ML engineers ran the program, directed by the Chief Scientist.'],
      ['ex.cp.reached', false, ['doc:SGA-DM-02'], 'HYBRID-3 was selected for further scaling in August 2025; no model using it had been released by the end of 2025.'],
      ['ex.adaptation', false, ['note:SGA']],
      ['ex.duplication', false, ['pr:trainer#341'], 'The learned routing of HYBRID-3 is Sawtooth’s design; the published patterns were baselines to beat.'],
      ['ex.surveys', false],
      ['ex.ius.class', 'non_ius', [], 'Part of the models Sawtooth licenses to customers.'],
      ['ex.ius.innovative', true, ['sgA-0802'], '38% less training compute at equal quality.'],
      ['ex.ius.economic_risk', true, ['bench:SGA-ablation-2025']],
      ['ex.ius.not_commercially_available', true],
      ['ex.ius.third_party_subset', false, [], notRaisedIus],
      ['ex.foreign', 'none', [], 'Boise staff and remote staff in Washington, California and Colorado; training on AWS in Oregon.'],
      ['ex.social_sciences', false],
      ['ex.funded.by_another', false, ['note:SGA']],
      ['ex.funded.substantial_rights', true, ['note:SGA'], 'Sawtooth keeps every right in the results.'],
    ]),
    make('PAR', by('SML-1003', 'Head of ML Infrastructure'), '2026-02-18T17:00:00Z', [
      ['pp.purpose', ['performance', 'function'], ['adr:ADR-021']],
      ['pp.improvement', 'Train the 140B mixture-of-experts model, which does not fit under FSDP, at no less than 45% model FLOPs utilisation within 80 GB per GPU. C7 reached 47% with 74.8 GB peak.', ['adr:ADR-021', 'par-c7']],
      ['pp.business_component_use', true, ['adr:ADR-021'], 'The training stack is used to build the models Sawtooth sells access to.'],
      ['tu.kind', ['capability', 'method'], ['adr:ADR-021']],
      ['tu.statement', 'The team did not know whether any combination of tensor, pipeline and expert parallelism could train the 140B MoE at 45% MFU within GPU memory on its cluster, nor which combination; published results were for dense models or other interconnects, and the interplay of expert all-to-all with interleaved pipeline schedules was undocumented.', ['adr:ADR-021']],
      ['tu.at_outset', true, ['adr:ADR-021']],
      ['tu.documented_on', '2025-02-05', ['adr:ADR-021']],
      ['tn.sciences', ['computer_science', 'engineering'], ['adr:ADR-021']],
      ['tn.principles', 'Distributed systems and collective communication, tensor/pipeline/expert parallelism, pipeline scheduling, GPU memory hierarchy and CUDA kernel design.', ['jira:INFRA-88', 'bench:ADR-021-appendix-B']],
      ['poe.hypotheses', 'H1: sharding along one or two dimensions (TP, PP or EP with FSDP) fits 140B in memory at the target throughput. H2: all three dimensions with an interleaved schedule fit and reach the target. H3: the stock all-to-all is the bottleneck and a stream-ordered fused kernel plus a grouped GEMM lifts MFU above 45%.', ['adr:ADR-021', 'jira:INFRA-88']],
      ['poe.alternatives', ['C1 FSDP baseline', 'C2 TP8 x FSDP', 'C3 PP16 x DP (GPipe)', 'C4 TP8 x PP4', 'C5 EP8 x FSDP', 'C6 TP4 x PP8 x EP8, NCCL all-to-all', 'C7 TP4 x PP8 x EP8, custom kernels'], ['adr:ADR-021', 'bench:ADR-021-appendix-B']],
      ['poe.method', ['systematic_trial_and_error', 'modeling'], ['bench:ADR-021-appendix-B']],
      ['poe.trials', 31, ['bench:ADR-021-appendix-B'], 'Benchmark runs in MLflow par-benchmarks at 1B, 13B and 140B, including the kernel ablations.'],
      ['poe.failures', 12, ['par-c2', 'par-c3', 'par-c4', 'par-c5', 'par-c6']],
      ['poe.results', 'Judged on MFU and peak memory at 140B. C2, C4 and C5 ran out of memory; C3 trained at 22% MFU; C6 deadlocked in the pipeline flush (INFRA-88); C7 with the custom fused all-to-all and grouped GEMM reached 47% MFU at 74.8 GB and was adopted. The ablation attributes about 9 points to the fused all-to-all and 5 to the grouped GEMM.', ['par-c1', 'par-c2', 'par-c3', 'par-c4', 'par-c5', 'par-c6', 'par-c7', 'bench:ADR-021-appendix-B']],
      ['poe.routine', false, ['jira:INFRA-88']],
      ['poe.technical_staff', true, [], 'ML and infrastructure engineers and a GPU kernel engineer, with Kernelworks engineers under Sawtooth’s direction.'],
      ['ex.cp.reached', false, [], 'The stack trains research models; the adopted configuration was first used for a production model after the tax year.'],
      ['ex.adaptation', false],
      ['ex.duplication', false, ['bench:ADR-021-appendix-B']],
      ['ex.surveys', false],
      ['ex.ius.class', 'non_ius', [], 'The training stack produces the models Sawtooth licenses; it is not used for general and administrative functions.'],
      ['ex.ius.innovative', true, ['par-c7']],
      ['ex.ius.economic_risk', true, ['contract:KW-SOW-2025-01']],
      ['ex.ius.not_commercially_available', true, ['jira:INFRA-88']],
      ['ex.ius.third_party_subset', false, [], notRaisedIus],
      ['ex.foreign', 'none', ['contract:KW-SOW-2025-01'], 'Boise and remote U.S. staff; Kernelworks in Seattle; GPUs in Iowa and Oregon.'],
      ['ex.social_sciences', false],
      ['ex.funded.by_another', false, ['contract:KW-SOW-2025-01'], 'Sawtooth pays Kernelworks; no one pays Sawtooth for the research.'],
      ['ex.funded.substantial_rights', true, ['contract:KW-SOW-2025-01']],
    ]),
    make('EVAL', by('SML-1023', 'Research Engineer'), '2026-02-18T21:00:00Z', [
      ['pp.purpose', ['function', 'reliability'], ['doc:EVAL-DD-01']],
      ['pp.improvement', 'Flag reasoning, long-context and code regressions within 2 hours of a checkpoint with at least 90% recall and fewer than 5% false alarms; design 3 reached 96% recall, 3.8% false alarms, 1.7 hours.', ['doc:EVAL-DD-01', 'eval-d3']],
      ['pp.business_component_use', true, ['doc:EVAL-DD-01'], 'Used in Sawtooth’s own model development to accept or reject checkpoints.'],
      ['tu.kind', ['capability', 'method'], ['doc:EVAL-DD-01']],
      ['tu.statement', 'It was not known whether any sampling and scoring design could meet the recall, false-alarm and 2-hour targets together: small subsets were too noisy to see 1–2 point drops, full evaluation took 9 hours, and contamination of the long-context probes could hide regressions.', ['doc:EVAL-DD-01']],
      ['tu.at_outset', true, ['doc:EVAL-DD-01']],
      ['tu.documented_on', '2025-01-20', ['doc:EVAL-DD-01']],
      ['tn.sciences', ['computer_science', 'mathematics'], ['doc:EVAL-DD-01']],
      ['tn.principles', 'Statistical hypothesis testing and sequential analysis, stratified sampling (Neyman allocation), n-gram contamination detection, information retrieval.', ['jira:EVAL-17']],
      ['poe.hypotheses', 'H1: a fixed stratified subset with bootstrap intervals meets the targets. H2: sequential testing with early stopping raises recall within the budget. H3: scoring only uncontaminated probes recovers long-context recall, and stratified sampling keeps it within 2 hours.', ['doc:EVAL-DD-01', 'jira:EVAL-17']],
      ['poe.alternatives', ['D1 fixed stratified subset', 'D2 sequential testing', 'D3 contamination-aware, exhaustive probes', 'D3 contamination-aware, stratified sampling'], ['doc:EVAL-DD-01', 'bench:EVAL-designs-2025']],
      ['poe.method', ['systematic_trial_and_error'], ['bench:EVAL-designs-2025']],
      ['poe.trials', 4, ['bench:EVAL-designs-2025']],
      ['poe.failures', 3, ['eval-d1', 'eval-d2', 'eval-d3a']],
      ['poe.results', 'Each build was run on 140 labelled regressions and 400 clean pairs. D1: recall 61%; D2: 74% (contaminated long-context probes, EVAL-17); D3 exhaustive: 95% but 3.1 hours; D3 stratified: 96% recall, 3.8% false alarms, 1.7 hours — adopted.', ['eval-d1', 'eval-d2', 'eval-d3a', 'eval-d3', 'bench:EVAL-designs-2025']],
      ['poe.routine', false, ['jira:EVAL-17']],
      ['poe.technical_staff', true],
      ['ex.cp.reached', false, [], 'The harness is a research tool, not a product.'],
      ['ex.adaptation', false],
      ['ex.duplication', false],
      ['ex.surveys', false, ['doc:EVAL-DD-01'], 'Not routine quality control: the question was how to build a detector that did not exist.'],
      ['ex.ius.class', 'non_ius', ['note:EVAL'], 'As recorded for the component: not used for general and administrative functions; it serves the development of the models Sawtooth licenses (it would otherwise be excepted as software used in qualified research).'],
      ['ex.ius.innovative', true, ['eval-d3']],
      ['ex.ius.economic_risk', true, ['bench:EVAL-designs-2025']],
      ['ex.ius.not_commercially_available', true],
      ['ex.ius.third_party_subset', false, [], notRaisedIus],
      ['ex.foreign', 'none', [], 'Oregon, Utah and Boise staff.'],
      ['ex.social_sciences', false],
      ['ex.funded.by_another', false],
      ['ex.funded.substantial_rights', true],
    ]),
    make('LLMAPI', by('SML-1017', 'Applied Engineer'), '2026-02-19T17:00:00Z', [
      ['pp.purpose', ['function'], ['doc:SUP-DD-03']],
      ['pp.improvement', 'Draft replies for Sawtooth’s support agents in the help-desk sidebar.', ['doc:SUP-DD-03']],
      ['pp.business_component_use', true, ['doc:SUP-DD-03']],
      ['tu.kind', ['business_only'], ['doc:SUP-DD-03'], 'The open questions were vendor cost per ticket, agents’ adoption and vendor response time.'],
      ['tu.statement', 'None technical: the vendor’s documentation and reference integration established how to call the model and what it could do; the team only chose prompts and settings.', ['doc:SUP-DD-03', 'note:LLMAPI']],
      ['tu.at_outset', false, ['doc:SUP-DD-03']],
      ['tu.documented_on', '2025-03-04', ['doc:SUP-DD-03'], 'The plan of this date records the business risks; it names no technical unknown.'],
      ['tn.sciences', ['computer_science']],
      ['tn.principles', 'Ordinary web-service integration; the language model is the vendor’s.'],
      ['poe.hypotheses', 'None: the integration followed the vendor guide.', ['jira:SUP-41']],
      ['poe.alternatives', [], ['jira:SUP-41'], 'No technical alternatives were evaluated; prompt wording was adjusted by reading agents’ feedback.'],
      ['poe.method', ['none']],
      ['poe.trials', 0],
      ['poe.failures', 0],
      ['poe.results', 'Shipped behind a feature flag in four working days (SUP-41).', ['jira:SUP-41', `git-support`]],
      ['poe.routine', true, ['jira:SUP-41', 'git-support'], 'Configuration of a vendor API from its documentation.'],
      ['poe.technical_staff', true],
      ['ex.cp.reached', false, [], 'An internal tool; not sold.'],
      ['ex.adaptation', false],
      ['ex.duplication', false],
      ['ex.surveys', false],
      ['ex.ius.class', 'ius', ['doc:SUP-DD-03'], 'Used only by Sawtooth’s support staff (support services are general and administrative).'],
      ['ex.ius.innovative', false, ['note:LLMAPI']],
      ['ex.ius.economic_risk', false, ['jira:SUP-41']],
      ['ex.ius.not_commercially_available', false, ['note:LLMAPI'], 'Help-desk vendors sell comparable reply-drafting plug-ins.'],
      ['ex.ius.third_party_subset', false, [], 'Internal-use software with no third-party part.'],
      ['ex.foreign', 'none'],
      ['ex.social_sciences', false],
      ['ex.funded.by_another', false],
      ['ex.funded.substantial_rights', true],
    ]),
    make('SERVE', by('SML-1003', 'Head of ML Infrastructure'), '2026-02-19T19:00:00Z', [
      ['pp.purpose', ['reliability', 'performance'], ['doc:INF-RB-7']],
      ['pp.improvement', 'Keep the released inference API within its SLA and latency targets as traffic grows.', ['doc:INF-RB-7']],
      ['pp.business_component_use', true, ['doc:INF-RN-1.0']],
      ['tu.kind', ['business_only'], ['doc:INF-RB-7'], 'Capacity and cost planning.'],
      ['tu.statement', 'No technical uncertainty in 2025: scaling and incident work followed the runbook on a service released in 2024.', ['doc:INF-RB-7']],
      ['tu.at_outset', false, ['doc:INF-RB-7']],
      ['tu.documented_on', '2025-01-13', ['doc:INF-RB-7'], 'The runbook of this date records the operating risks; no technical unknown was written down because there was none.'],
      ['tn.sciences', ['computer_science', 'engineering']],
      ['tn.principles', 'Standard autoscaling and site-reliability practice.'],
      ['poe.hypotheses', 'None: operating procedures of a released service.', ['jira:OPS-301']],
      ['poe.alternatives', [], ['jira:OPS-301']],
      ['poe.method', ['none']],
      ['poe.trials', 0],
      ['poe.failures', 0],
      ['poe.results', 'Service kept within its SLA; capacity changes made by the runbook (e.g. OPS-301).', ['jira:OPS-301']],
      ['poe.routine', true, ['doc:INF-RB-7', 'jira:OPS-301']],
      ['poe.technical_staff', true],
      ['ex.cp.reached', true, ['doc:INF-RN-1.0']],
      ['ex.cp.date', '2024-06-01', ['doc:INF-RN-1.0'], 'General availability to paying customers.'],
      ['ex.adaptation', false],
      ['ex.duplication', false],
      ['ex.surveys', false],
      ['ex.foreign', 'none', [], 'Oregon and Boise staff.'],
      ['ex.social_sciences', false],
      ['ex.funded.by_another', false],
      ['ex.funded.substantial_rights', true],
    ]),
  ];
}

// ------------------------------------------------------------------------------------------ build

/** Builds the evidence, interviews and decisions of the example from the study's seed and its employees' names. */
export function buildDefence(seed: number, employees: readonly { id: string; name: string }[], components: readonly { id: string; qualification: string; qualificationReason?: string }[]): Defence {
  const r = rng((seed ^ 0x5a17e7) >>> 0);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  const names = new Map(employees.map((e) => [e.id, e.name]));
  const nameOf = (id: string): string => {
    const n = names.get(id);
    if (!n) throw new Error(`defence: no employee ${id}`);
    return n;
  };

  const evidence: EvidenceItem[] = [];
  const files: EvidenceFile[] = [];
  const keyToId = new Map<string, string>();
  const add = (key: string, item: Omit<EvidenceItem, 'sha256' | 'uri'>, path: string, content: string) => {
    if (files.some((f) => f.path === path)) throw new Error(`defence: ${path} written twice`);
    files.push({ path, content });
    evidence.push({ ...item, sha256: sha256(content), uri: path } as EvidenceItem);
    keyToId.set(key, item.id);
  };

  for (const run of RUNS) {
    const runId = hex(32);
    const start = Date.parse(`${run.date}T${String(14 + Math.floor(r() * 6)).padStart(2, '0')}:${String(Math.floor(r() * 60)).padStart(2, '0')}:00Z`);
    const end = start + Math.round(run.hours * 3600_000);
    const metrics: { key: string; value: number; timestamp: number; step: number }[] = [];
    if (run.curve) {
      const { steps, start: l0, end: l1, divergeAt } = run.curve;
      const points = 8;
      for (let i = 1; i <= points; i++) {
        const step = Math.round((steps * i) / points);
        const frac = step / steps;
        let v = l1 + (l0 - l1) * Math.exp(-6 * frac) + (r() - 0.5) * 0.02;
        if (divergeAt && i === points) v = 7.9 + r() * 0.3;
        metrics.push({ key: 'train_loss', value: Math.round(v * 1000) / 1000, timestamp: start + Math.round((end - start) * frac), step });
      }
    }
    for (const [k, v] of Object.entries(run.metrics)) metrics.push({ key: k, value: v, timestamp: end, step: run.curve ? (run.curve.divergeAt ?? run.curve.steps) : 0 });
    const doc = {
      run: {
        info: {
          run_id: runId,
          run_uuid: runId,
          run_name: run.key,
          experiment_id: run.experiment.id,
          user_id: nameOf(run.user).toLowerCase().replace(/[^a-z]+/g, '.'),
          status: run.status,
          start_time: start,
          end_time: end,
          artifact_uri: `s3://sawtooth-mlflow/${run.experiment.id}/${runId}/artifacts`,
          lifecycle_stage: 'active',
        },
        data: {
          metrics,
          params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
          tags: [
            { key: 'mlflow.runName', value: run.key },
            { key: 'mlflow.experimentName', value: run.experiment.name },
            { key: 'mlflow.user', value: nameOf(run.user) },
            { key: 'mlflow.note.content', value: run.note },
            { key: 'rdcredit.component', value: run.comp },
          ],
        },
      },
    };
    add(
      run.key,
      {
        id: `mlflow:${runId}`,
        kind: run.kind,
        title: run.title,
        claimedDate: run.date as IsoDate,
        capturedAt: CAPTURED,
        componentIds: [run.comp],
        employeeIds: run.employees,
        outcome: run.outcome,
        summary: `MLflow ${run.experiment.name} run ${run.key}, status ${run.status}: ${run.summary}`,
        source: { file: `mlflow-${run.experiment.name}-runs-2025.json`, note: `runs/get ${runId}` },
      },
      `evidence/mlflow/${run.experiment.name}/${run.key}.json`,
      JSON.stringify(doc, null, 2) + '\n',
    );
  }

  for (const d of [...documents(hex, nameOf), ...interviewNotes(nameOf)]) {
    const item: Omit<EvidenceItem, 'sha256' | 'uri'> = {
      id: d.id,
      kind: d.kind,
      title: d.title,
      claimedDate: d.date as IsoDate,
      capturedAt: d.captured ?? CAPTURED,
      componentIds: d.comp,
      employeeIds: d.employees,
      summary: d.summary,
      ...(d.outcome ? { outcome: d.outcome } : {}),
    };
    const key = d.kind === 'interview_note' ? `note:${d.comp[0]}` : d.kind === 'commit' && d.comp[0] === 'LLMAPI' ? 'git-support' : d.id;
    add(key, item, d.path, d.body);
  }

  const ev = (key: string): string => {
    const id = keyToId.get(key);
    if (!id) throw new Error(`defence: no evidence item ${key}`);
    return id;
  };
  const interviews = interviewsFor(ev, nameOf);

  const qualificationLog: QualificationDecision[] = components.map((c, i) => ({
    componentId: c.id,
    result: c.qualification as QualificationDecision['result'],
    previous: 'needs_information',
    by: REVIEWER,
    at: `2026-03-02T${String(16 + i).padStart(2, '0')}:00:00Z`,
    why: c.qualificationReason ?? c.qualification,
  }));

  return { evidence, files, interviews, qualificationLog };
}
