/**
 * The one error shape of the API: `{error, issues:[{path, message}]}`, 4xx naming what was wrong.
 * Validation failures, broken JSON, oversized bodies and unexpected throws all end up here, so a
 * client never sees a stack trace or an HTML page.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ErrorBody } from '../../shared/protocol/payloads.js';
import { DatabaseBusyError, describeDatabaseError, isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable.js';

export function errorBody(error: string, issues: ErrorBody['issues'] = []): ErrorBody {
  return { error, issues };
}

export function zodIssues(error: z.ZodError, prefix = ''): ErrorBody['issues'] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: issue.message,
  }));
}

export function describeIssues(issues: ErrorBody['issues']): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

export function validationError(c: Context, error: z.ZodError, where: string) {
  const issues = zodIssues(error);
  return c.json(errorBody(`invalid ${where}: ${describeIssues(issues)}`, issues), 400);
}

/** The answer while the database cannot be reached: 503 with Retry-After, never 500 or a hang. */
export function unavailable(c: Context, error: unknown) {
  const now = Date.now();
  if (now - lastUnavailableLog > 10_000) {
    lastUnavailableLog = now;
    console.error(`database unavailable on ${c.req.method} ${c.req.path} (answered 503): ${describeDatabaseError(error)}`);
  }
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  const message =
    error instanceof DatabaseBusyError ? error.message : `the database is unavailable just now; nothing was written. Try again in ${RETRY_AFTER_SECONDS} seconds`;
  return c.json(errorBody(message, [{ path: '(request)', message: 'database unavailable' }]), 503);
}
let lastUnavailableLog = 0;

/**
 * Turns anything thrown in a handler into the API's error shape. The log line names the error but
 * never the request body or the SQL parameters (they carry personal data).
 */
export function handleError(error: Error, c: Context) {
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const message = status === 413 ? 'request body is too large' : error.message || 'request rejected';
    const path = status === 413 || status === 400 ? 'body' : '(request)';
    if (status === 503) c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json(errorBody(message, [{ path, message }]), status);
  }
  if (isDatabaseUnavailable(error)) return unavailable(c, error);
  const where = error.stack?.split('\n').find((line) => line.includes('/server/'))?.trim() ?? '';
  console.error(`unexpected error on ${c.req.method} ${c.req.path}: ${describeDatabaseError(error)} ${where}`);
  return c.json(errorBody('internal error: the request was not carried out'), 500);
}
