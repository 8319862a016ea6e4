/**
 * Domain errors of the API and the one place that maps them (and the store's errors) to HTTP
 * statuses. Handlers throw these; `toHttp` turns any error into a status and a JSON body.
 */
import { ZodError } from 'zod';
import { StudyNotFoundError } from '../store/index.js';

export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'csrf'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'signed'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 423 | 429 | 501> = {
  bad_request: 400,
  unauthenticated: 401,
  csrf: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  signed: 423,
  too_large: 413,
  rate_limited: 429,
  unavailable: 501,
};

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what: string) => new ApiError('not_found', `${what} not found`);
export const forbidden = (why: string) => new ApiError('forbidden', why);
export const badRequest = (why: string, details?: unknown) => new ApiError('bad_request', why, details);

export interface ErrorBody {
  error: { code: ErrorCode | 'internal'; message: string; details?: unknown };
}

/** The single mapping from thrown errors to HTTP responses. */
export function toHttp(e: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (e instanceof ApiError) {
    const headers: Record<string, string> = e.retryAfterSeconds !== undefined ? { 'retry-after': String(e.retryAfterSeconds) } : {};
    return { status: e.status, body: { error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } }, headers };
  }
  if (e instanceof ZodError)
    return {
      status: 400,
      body: { error: { code: 'bad_request', message: 'the request does not match the schema', details: e.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } },
      headers: {},
    };
  if (e instanceof StudyNotFoundError) return { status: 404, body: { error: { code: 'not_found', message: 'study not found' } }, headers: {} };
  if (e instanceof SyntaxError) return { status: 400, body: { error: { code: 'bad_request', message: 'the body is not valid JSON' } }, headers: {} };
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } }, headers: {} };
}
