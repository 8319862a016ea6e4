/** The typed HTTP client of the rdcredit API (the web app talks to the server only through this). */

export interface JsonVal {
  status: 'known' | 'unknown' | 'na';
  value?: number | string | boolean;
  missing?: string[];
  reason?: string;
}
export interface Membership {
  firmId: string;
  firmName: string | null;
  role: string;
  clientId?: string;
}
export interface User {
  id: string;
  email: string;
  name: string;
  memberships: Membership[];
}
export interface Me {
  user: User;
  roles: Record<string, string>;
  features: { qualification: boolean; quickCheck: boolean; downloads: string[] };
}
export interface StudySummary {
  id: string;
  title: string;
  firmId: string;
  clientId?: string;
  taxpayerName: string;
  period: { start: string; end: string };
  role: string;
  /** What the user's role may do in this study (src/server/roles.ts). */
  permissions: string[];
}
export interface Taxpayer {
  id: string;
  name: string;
  ein?: string;
  entityType: string;
  states: string[];
}
export interface Client {
  id: string;
  name: string;
  /** Taxpayers registered for the client (older servers may not send them). */
  taxpayers?: Taxpayer[];
  studies: StudySummary[];
}
export interface Owner {
  id: string;
  name: string;
  entityType: string;
  share: string;
}
export type CellValue = string | number | boolean | null;
export interface Schedule {
  id: string;
  title: string;
  citation: Citation[];
  columns: { key: string; label: string; kind: 'money' | 'rate' | 'text' | 'count' | 'hours' | 'date' | 'flag' }[];
  rows: { cells: Record<string, CellValue>; source?: string }[];
  totals?: Record<string, CellValue>;
  notes?: string[];
}
export interface Citation {
  title: string;
  href?: string;
  pinpoint?: string;
}
export interface Check {
  id: string;
  title: string;
  status: 'pass' | 'warn' | 'fail' | 'na';
  message: string;
  citation?: Citation[];
  componentId?: string;
  weight?: number;
}
export interface YearQre {
  label: string;
  start: string;
  end: string;
  current: boolean;
  total: JsonVal;
  byState: Record<string, number> | null;
}
export interface Flag {
  option: string;
  chosen: string;
  isDefault: boolean;
  message: string;
}
export interface Version {
  version: number;
  status: 'open' | 'signed';
  signedAt?: string;
}
export interface Dashboard {
  study: { id: string; title: string; taxpayer: string; period: { start: string; end: string }; entityType: string };
  client: { id: string; name: string } | null;
  version: Version;
  credits: {
    federal: { credit: JsonVal; chosen: { method: string; section280c: boolean }; comparison: string; alternatives: { method: string; section280c: boolean; credit: JsonVal }[] };
    states: { code: string; name: string; credit: JsonVal }[];
  };
  qre: {
    categories: ({ key: string; label: string } & JsonVal)[];
    total: JsonVal;
    byComponent: { componentId: string; name: string; wages: number; supplies: number; computers: number; contract: number; total: number }[];
    byState: Record<string, { wages: number; supplies: number; computers: number; contract: number; total: number }> | null;
    yearOverYear: YearQre[];
  };
  readiness: { score: number; source: string; checks: Check[] };
  components: Record<string, number>;
  flags: Flag[];
  missing: string[];
  notes: string[];
  signoffs: Signoff[];
}
export interface Line extends JsonVal {
  line: string;
  label: string;
  kind: 'money' | 'rate' | 'flag' | 'text';
}
export interface Form {
  id: string;
  title: string;
  revision: string;
  lines: Line[];
}
export interface Result {
  federal: { credit: JsonVal; chosen: { method: string; section280c: boolean }; comparison: string };
  states: Record<string, { name: string; credit: JsonVal }>;
  forms: Record<string, Form>;
  flags: Flag[];
  missing: string[];
  /** The pass-through owners' schedules ("owners", "owners.id"), when the study has owners. */
  schedules?: Record<string, Schedule>;
}
export interface Explanation {
  rule: string;
  label: string;
  value: string;
  formula?: string;
  citation: { title: string; href?: string; pinpoint?: string }[];
  params: { id: string; value: string; effectiveFrom: string; reference: { title: string }[]; status?: string }[];
  inputs: { name: string; value: string; source?: string }[];
  children: Explanation[];
  notes: string[];
  flags: Flag[];
}
export interface Person {
  id: string;
  name: string;
  title?: string;
  role?: string;
  officer: boolean;
  homeState: string | null;
  wages: number | null;
  wagesSource: string | null;
  adjustments: { amount: number; reason: string }[];
  qualifiedShare: string | null;
  measuredShare: string | null;
  substantiallyAll: boolean | null;
  qualifiedWages: number | null;
  missing: string[];
  totalHours: number;
  qualifiedHours: number;
  hours: Record<string, number>;
  hoursByState: Record<string, number>;
  basis: string;
}
export interface Answer {
  question: string;
  value: string | number | boolean | string[];
  note?: string;
  answeredBy?: string;
  answeredAt?: string;
}
export interface Component {
  id: string;
  name: string;
  type: string;
  informationSought?: string;
  qualification: 'qualifies' | 'does_not_qualify' | 'needs_information';
  qualificationReason?: string;
  answers: Answer[];
  evidence: { id: string; title: string; kind: string; sha256?: string }[];
  decisions: { result: string; previous?: string; by: string; at: string; why: string }[];
  report?: { result: string; reasons: string[]; readiness: { score: number } } | null;
}
export type TestStatus = 'met' | 'not_met' | 'needs_information';
export interface FourPartResult {
  test: string;
  status: TestStatus;
  reasons: string[];
  citations: Citation[];
  evidenceIds: string[];
}
export interface ExclusionResult {
  exclusion: string;
  applies: boolean | 'unknown';
  reason: string;
  citations: Citation[];
  partial?: { note: string; from?: string };
  evidenceIds?: string[];
}
export interface SubstantiallyAll {
  method: string;
  basis: 'hours' | 'cost' | 'none';
  share: string | null;
  threshold: string;
  passes: boolean | null;
  shrinkBack?: { to: string | null; share: string | null; note: string };
  measured?: { total: string; experimentation: string; unflagged: string };
  coveredBy?: string;
  explanation?: Explanation;
}
export interface EvidenceUse {
  id: string;
  kind: string;
  title: string;
  sha256?: string;
  claimedDate?: string;
  contemporaneous: boolean | null;
  timing?: 'before' | 'during' | 'after' | 'undated';
  capturedAt?: string;
  linkedBy?: string[];
}
export interface ComponentQualification {
  componentId: string;
  name: string;
  result: 'qualifies' | 'does_not_qualify' | 'needs_information';
  reasons: string[];
  tests: FourPartResult[];
  exclusions: ExclusionResult[];
  substantiallyAll: SubstantiallyAll;
  evidence: EvidenceUse[];
  readiness: { score: number; checks: Check[] };
  parentId?: string;
  recorded?: string;
  lastDecision?: { result: string; by: string; at: string; why: string };
  openQuestions?: string[];
}
export interface ComponentDetail {
  component: Omit<Component, 'answers' | 'evidence' | 'decisions' | 'report'> & { parentId?: string };
  answers: Answer[];
  evidence: { id: string; title: string; kind: string; sha256?: string; claimedDate?: string; capturedAt?: string }[];
  decisions: Component['decisions'];
  children: { id: string; name: string; qualification: string }[];
  qualification: ComponentQualification | null;
  period: { start: string; end: string };
  threshold: string | null;
  problems: { severity: string; message: string }[];
  qre?: { wages: number; supplies: number; computers: number; contract: number; total: number } | null;
  comments?: Comment[];
  /** SHA-256 of the evidence whose bytes can be downloaded. */
  stored?: string[];
}
export interface Question {
  id: string;
  section: string;
  text: string;
  help?: string;
  type: 'yes_no' | 'text' | 'choice' | 'multi' | 'list' | 'number' | 'date';
  required?: boolean;
  choices?: { value: string; label: string }[];
}
export interface Option {
  id: string;
  label: string;
  question: string;
  choices: Record<string, string>;
  default: string;
  chosen: string;
  usedByResult: boolean;
}
export interface Diagnostic {
  file: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  row?: number;
  column?: string;
  value?: string;
  expected?: string;
}
export interface Preview {
  format: string;
  headerRow?: number;
  profile?: { id: string; kind: string; vendor: string; confidence: string; alsoMatched: string[] };
  mapping: { field: string; column: number; header: string }[];
  unmapped: string[];
  sample: string[][];
  diagnostics: Diagnostic[];
}
export interface Job {
  id: string;
  fileName: string;
  status: 'running' | 'done' | 'rejected' | 'failed';
  bytesTotal: number;
  bytesRead: number;
  result?: { profile: string; accepted: boolean; status: string; message: string; diagnostics: Diagnostic[]; stats: { rowsRead: number; rowsUsed: number }; merged?: { added: Record<string, number>; updated: Record<string, number>; replaced: Record<string, number> }; version?: number };
}
export interface WhatIf {
  base: { federal: JsonVal; states: Record<string, JsonVal>; chosen: { method: string; section280c: boolean } };
  whatIf: { federal: JsonVal; states: Record<string, JsonVal>; chosen: { method: string; section280c: boolean } };
  change: { federal: number | null; states: Record<string, number | null> };
  differences: { form: string; line: string; label: string; base: JsonVal; whatIf: JsonVal }[];
}
export interface Signoff {
  id: number;
  version: number;
  stage: 'preparer' | 'technical_review' | 'signing';
  user: string | null;
  at: string;
  note: string | null;
}
export interface Comment {
  id: number;
  version: number;
  target: string;
  body: string;
  user: string | null;
  at: string;
}
export interface AuditEntry {
  id: number;
  at: string;
  user: string | null;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
}
export interface Elections {
  method: 'regular' | 'asc' | 'best';
  section280c: boolean | 'best';
  payrollElection?: { elect: boolean; amount?: number };
  idahoStartupElection?: boolean;
  options?: Record<string, string>;
}
export interface StudyInfo {
  id: string;
  title: string;
  elections: Elections;
  version: Version;
  role: string;
  counts: Record<string, number>;
  taxpayer: { name: string; states: string[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function csrf(): string {
  const m = /(?:^|;\s*)rdc_csrf=([^;]+)/.exec(document.cookie);
  return m ? decodeURIComponent(m[1]!) : '';
}

async function call<T>(method: string, path: string, body?: unknown, raw?: { bytes: Blob | ArrayBuffer; type?: string }): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrf();
  let payload: BodyInit | undefined;
  if (raw) {
    payload = raw.bytes;
    headers['content-type'] = raw.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const r = await fetch(path, { method, headers, credentials: 'same-origin', ...(payload !== undefined ? { body: payload } : {}) });
  const text = await r.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!r.ok) {
    const e = (data as { error?: { code: string; message: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(r.status, e?.code ?? 'error', e?.message ?? r.statusText, e?.details);
  }
  return data as T;
}

const enc = encodeURIComponent;
const st = (id: string) => `/api/studies/${enc(id)}`;

export const api = {
  csrf: () => call<{ csrf: string }>('GET', '/api/auth/csrf'),
  login: (email: string, password: string) => call<{ user: User; csrf: string }>('POST', '/api/auth/login', { email, password }),
  logout: () => call<{ ok: true }>('POST', '/api/auth/logout'),
  me: () => call<Me>('GET', '/api/me'),
  clients: (firmId: string) => call<{ clients: Client[] }>('GET', `/api/firms/${enc(firmId)}/clients`),
  studies: () => call<{ studies: StudySummary[] }>('GET', '/api/studies'),
  createClient: (firmId: string, name: string) => call<{ id: string; name: string }>('POST', `/api/firms/${enc(firmId)}/clients`, { name }),
  createTaxpayer: (firmId: string, clientId: string, t: { name: string; ein?: string; entityType: string; states: string[] }) =>
    call<Taxpayer>('POST', `/api/firms/${enc(firmId)}/clients/${enc(clientId)}/taxpayers`, t),
  createStudy: (firmId: string, clientId: string, taxpayerId: string, b: { year: number; title?: string; owners?: Owner[] }) =>
    call<{ id: string; title: string }>('POST', `/api/firms/${enc(firmId)}/clients/${enc(clientId)}/taxpayers/${enc(taxpayerId)}/studies`, b),
  uploadStudy: (firmId: string, clientId: string, taxpayerId: string, file: File, id?: string) =>
    call<{ id: string; title: string; diagnostics: Diagnostic[] }>(
      'POST',
      `/api/firms/${enc(firmId)}/clients/${enc(clientId)}/taxpayers/${enc(taxpayerId)}/studies/upload?name=${enc(file.name)}${id ? `&id=${enc(id)}` : ''}`,
      undefined,
      { bytes: file, type: 'application/zip' },
    ),
  study: (id: string) => call<StudyInfo>('GET', st(id)),
  dashboard: (id: string) => call<Dashboard>('GET', `${st(id)}/dashboard`),
  result: (id: string) => call<Result>('GET', `${st(id)}/result`),
  explain: (id: string, form: string, line: string) => call<{ explanation: Explanation; text: string }>('GET', `${st(id)}/explain?form=${enc(form)}&line=${enc(line)}`),
  people: (id: string) => call<{ people: Person[] }>('GET', `${st(id)}/people`),
  options: (id: string) => call<{ options: Option[] }>('GET', `${st(id)}/options`),
  whatIf: (id: string, elections: Partial<Elections>) => call<WhatIf>('POST', `${st(id)}/what-if`, { elections }),
  saveElections: (id: string, elections: Partial<Elections>) => call<{ version: number; openedVersion: boolean }>('PATCH', `${st(id)}/elections`, elections),
  components: (id: string) => call<{ components: Component[] }>('GET', `${st(id)}/components`),
  component: (id: string, componentId: string) => call<ComponentDetail>('GET', `${st(id)}/components/${enc(componentId)}`),
  interview: (id: string) => call<{ questions: Question[]; engine: string }>('GET', `${st(id)}/interview`),
  answer: (id: string, componentId: string, answers: { question: string; value: Answer['value']; note?: string }[]) =>
    call<{ saved: number; version: number; openedVersion: boolean; qualificationChanges: unknown[] }>('PUT', `${st(id)}/components/${enc(componentId)}/interview`, { answers }),
  decide: (id: string, componentId: string, result: Component['qualification'], why: string) => call<{ version: number }>('PATCH', `${st(id)}/components/${enc(componentId)}/qualification`, { result, why }),
  preview: (id: string, file: File) => call<Preview>('POST', `${st(id)}/imports/preview?name=${enc(file.name)}`, undefined, { bytes: file.slice(0, 65537), type: 'application/octet-stream' }),
  startImport: (id: string, file: File, acceptSkip?: number[]) =>
    call<Job>('POST', `${st(id)}/imports?name=${enc(file.name)}${acceptSkip?.length ? `&acceptSkip=${acceptSkip.join(',')}` : ''}`, undefined, { bytes: file, type: 'application/octet-stream' }),
  job: (id: string, jobId: string) => call<Job>('GET', `${st(id)}/imports/${enc(jobId)}`),
  jobEventsUrl: (id: string, jobId: string) => `${st(id)}/imports/${enc(jobId)}/events`,
  uploadEvidence: (id: string, file: File, meta: { kind: string; components: string[]; title?: string; claimedDate?: string }) =>
    call<{ item: { id: string; sha256: string }; alreadyPresent: boolean }>(
      'POST',
      `${st(id)}/evidence?name=${enc(file.name)}&kind=${enc(meta.kind)}&components=${enc(meta.components.join(','))}${meta.title ? `&title=${enc(meta.title)}` : ''}${meta.claimedDate ? `&claimedDate=${enc(meta.claimedDate)}` : ''}`,
      undefined,
      { bytes: file },
    ),
  evidenceUrl: (id: string, sha256: string) => `${st(id)}/evidence/${enc(sha256)}`,
  comments: (id: string) => call<{ comments: Comment[] }>('GET', `${st(id)}/comments`),
  comment: (id: string, target: string, body: string) => call<{ id: number }>('POST', `${st(id)}/comments`, { target, body }),
  signoffs: (id: string) => call<{ version: Version; signoffs: Signoff[] }>('GET', `${st(id)}/signoffs`),
  signoff: (id: string, stage: Signoff['stage'], note?: string) => call<{ locked: boolean }>('POST', `${st(id)}/signoffs`, { stage, ...(note ? { note } : {}) }),
  audit: (id: string) => call<{ entries: AuditEntry[] }>('GET', `${st(id)}/audit`),
  downloads: (id: string) => call<{ downloads: { id: string; title: string; contentType: string }[] }>('GET', `${st(id)}/downloads`),
  downloadUrl: (id: string, d: string) => `${st(id)}/downloads/${enc(d)}`,
};

export function dollars(cents: number | undefined | null): string {
  if (cents === undefined || cents === null) return '—';
  const neg = cents < 0;
  const whole = Math.round(Math.abs(cents) / 100);
  return `${neg ? '−' : ''}$${whole.toLocaleString('en-US')}`;
}

export function showVal(v: JsonVal | undefined, kind: Line['kind'] = 'money'): string {
  if (!v) return '—';
  if (v.status === 'unknown') return 'unknown';
  if (v.status === 'na') return 'n/a';
  if (kind === 'money') return dollars(v.value as number);
  if (kind === 'rate') return `${(Number(v.value) * 100).toFixed(2).replace(/\.?0+$/, '')}%`;
  if (typeof v.value === 'boolean') return v.value ? 'yes' : 'no';
  return String(v.value);
}
