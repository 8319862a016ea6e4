/** Request schemas at the API boundary (zod 4); the OpenAPI document is generated from them. */
import { z } from 'zod';
import { ROLES } from './roles.js';

export const LoginBody = z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(1024) }).strict();

export const NewUserBody = z
  .object({
    email: z.string().email().max(320),
    name: z.string().min(1).max(200),
    password: z.string().min(12, 'at least 12 characters').max(1024),
    role: z.enum(ROLES),
    clientId: z.string().min(1).optional(),
  })
  .strict()
  .refine((u) => (u.role === 'client_contributor') === (u.clientId !== undefined), { message: 'a client contributor needs clientId; other roles must not have one', path: ['clientId'] });

const Cents = z.number().int().describe('integer cents');

export const ElectionsPatch = z
  .object({
    method: z.enum(['regular', 'asc', 'best']).optional(),
    section280c: z.union([z.boolean(), z.literal('best')]).optional(),
    payrollElection: z.object({ elect: z.boolean(), amount: Cents.optional() }).strict().optional(),
    idahoStartupElection: z.boolean().optional(),
    section174Transition: z.enum(['deduct_2025', 'ratable_2025_2026', 'continue']).optional(),
    options: z.record(z.string().regex(/^[a-z0-9_.]+$/), z.string().max(200)).optional(),
  })
  .strict();

export const WhatIfBody = z.object({ elections: ElectionsPatch }).strict();

const AnswerValue = z.union([z.string().max(20_000), z.number().finite(), z.boolean(), z.array(z.string().max(200)).max(50)]);
export const InterviewBody = z
  .object({
    answers: z
      .array(z.object({ question: z.string().min(1).max(200), value: AnswerValue, note: z.string().max(20_000).optional(), evidenceIds: z.array(z.string().max(200)).max(100).optional() }).strict())
      .min(1)
      .max(200),
  })
  .strict();

export const QualificationBody = z.object({ result: z.enum(['qualifies', 'does_not_qualify', 'needs_information']), why: z.string().min(3).max(20_000) }).strict();

export const CommentBody = z
  .object({
    target: z.string().regex(/^(study|component:[^\s]+|line:[a-z0-9-]+:[0-9a-zA-Z]+|employee:[^\s]+)$/, 'study, component:<id>, line:<form>:<line> or employee:<id>'),
    body: z.string().min(1).max(20_000),
  })
  .strict();

export const SignoffBody = z.object({ stage: z.enum(['preparer', 'technical_review', 'signing']), note: z.string().max(5_000).optional() }).strict();

export const ImportQuery = z
  .object({
    name: z.string().min(1).max(255).optional(),
    kind: z.enum(['time', 'payroll', 'w2', 'ledger', 'contractors', 'cloud', 'mlflow', 'git']).optional(),
    profile: z.string().regex(/^[a-z0-9-]+$/).optional(),
    acceptSkip: z.string().regex(/^\d+(,\d+)*$/).optional(),
    wait: z.enum(['true', 'false']).optional(),
  })
  .strict();

export const EvidenceQuery = z
  .object({
    name: z.string().min(1).max(255).optional(),
    kind: z.enum(['adr', 'design_doc', 'experiment_run', 'training_run', 'benchmark', 'commit', 'pull_request', 'ticket', 'time_record', 'contract', 'interview_note', 'survey_answer', 'meeting_notes', 'lab_notebook', 'other']).default('other'),
    title: z.string().max(500).optional(),
    claimedDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    components: z.string().max(2000).optional(),
    employees: z.string().max(2000).optional(),
    summary: z.string().max(5000).optional(),
  })
  .strict();

export const ExplainQuery = z.object({ form: z.string().regex(/^[a-z0-9-]+$/).optional(), line: z.string().regex(/^[0-9A-Za-z]+$/).optional(), rule: z.string().max(200).optional() }).strict();
