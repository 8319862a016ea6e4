/**
 * Roles and what each may do. A user holds one role per firm; a client contributor is further
 * limited to one client and may only answer interviews and upload evidence there.
 */
export const ROLES = ['firm_admin', 'preparer', 'technical_reviewer', 'signing_cpa', 'client_contributor', 'read_only'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'study.read',
  'study.edit',
  'interview.read',
  'interview.answer',
  'evidence.upload',
  'comment.write',
  'signoff.preparer',
  'signoff.technical_review',
  'signoff.signing',
  'audit.read',
  /** Open a new engagement: create a client, a taxpayer and a tax-year study. */
  'engagement.create',
  'firm.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL_READ: Permission[] = ['study.read', 'interview.read', 'audit.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Everything but the reviewer's and the signing CPA's sign-offs (segregation of duties).
  firm_admin: PERMISSIONS.filter((p) => p !== 'signoff.technical_review' && p !== 'signoff.signing'),
  preparer: [...ALL_READ, 'study.edit', 'engagement.create', 'interview.answer', 'evidence.upload', 'comment.write', 'signoff.preparer'],
  technical_reviewer: [...ALL_READ, 'comment.write', 'signoff.technical_review'],
  signing_cpa: [...ALL_READ, 'comment.write', 'signoff.signing'],
  client_contributor: ['interview.read', 'interview.answer', 'evidence.upload'],
  read_only: ALL_READ,
};

export function can(role: Role, p: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(p);
}

export const ROLE_LABELS: Record<Role, string> = {
  firm_admin: 'Firm administrator',
  preparer: 'Preparer',
  technical_reviewer: 'Technical reviewer',
  signing_cpa: 'Signing CPA',
  client_contributor: 'Client contributor',
  read_only: 'Read-only',
};
