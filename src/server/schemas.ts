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

// ── new engagements: client → taxpayer → tax-year study ──

/** A short id: lowercase letters, digits and hyphens (given, or made from the name). */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and hyphens (up to 63), starting with a letter or digit');
export const ENTITY_TYPES = ['c_corporation', 's_corporation', 'partnership', 'sole_proprietorship', 'estate_or_trust', 'tax_exempt'] as const;
const StateCode = z.string().regex(/^[A-Z]{2}$/, 'a USPS state code such as ID');

export const NewClientBody = z.object({ id: Slug.optional(), name: z.string().trim().min(1).max(200) }).strict();

export const NewTaxpayerBody = z
  .object({
    id: Slug.optional(),
    name: z.string().trim().min(1).max(200),
    ein: z.string().regex(/^\d{2}-\d{7}$/, 'an EIN as 12-3456789').optional(),
    entityType: z.enum(ENTITY_TYPES),
    states: z.array(StateCode).max(60).default([]),
  })
  .strict();

const ShareString = z.string().regex(/^(0(\.\d+)?|1(\.0+)?|\d+\/\d+)$/, 'a share as a decimal ("0.6") or a fraction ("3/5")');
export const OwnerBody = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    entityType: z.enum([...ENTITY_TYPES, 'individual']),
    share: ShareString,
    tin: z.string().max(20).optional(),
  })
  .strict();

export const NewStudyBody = z
  .object({
    id: Slug.optional(),
    title: z.string().min(1).max(300).optional(),
    /** Calendar tax year (default) … */
    year: z.number().int().min(2000).max(2100).optional(),
    /** … or a fiscal period. */
    period: z.object({ start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict().optional(),
    /** Pass-through owners and their shares (S corporations, partnerships, estates and trusts). */
    owners: z.array(OwnerBody).max(500).optional(),
  })
  .strict()
  .refine((b) => (b.year === undefined) !== (b.period === undefined), { message: 'give year or period (one of them)', path: ['year'] })
  .refine((b) => !b.period || b.period.start <= b.period.end, { message: 'the period ends before it starts', path: ['period'] });

export const StudyUploadQuery = z.object({ id: Slug.optional(), name: z.string().min(1).max(255).optional() }).strict();
