/**
 * Small helpers shared by the route files: answering a write (case or error), reading the
 * Idempotency-Key header, a plain JSON response whose status is decided at run time, and the
 * newest-first page query of the alert and order lists.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { requestFingerprint, type IdempotencyRequest, type WriteAnswer } from '../cases/case-writer.js';
import { toCaseView } from '../cases/case-view.js';
import { errorBody } from './errors.js';
import { seesPersonalData, type AppEnv } from './auth.js';

/**
 * A JSON answer whose status is known only at run time. Typed `never` so a route handler accepts
 * it: the statuses it can carry are listed in each route's OpenAPI responses.
 */
export function json(c: Context, body: unknown, status: ContentfulStatusCode): never {
  return c.json(body as object, status) as never;
}

export function answerWrite(c: Context<AppEnv>, answer: WriteAnswer): never {
  if ('row' in answer) {
    const view = toCaseView(answer.row, { masked: !seesPersonalData(c) });
    return json(c, answer.warnings.length > 0 ? { ...view, warnings: answer.warnings } : view, answer.status);
  }
  return json(c, errorBody(answer.error, answer.issues), answer.status);
}

/** The Idempotency-Key of a request, scoped to the calling token so keys never collide. */
export function idempotencyOf(c: Context<AppEnv>, route: string, body: unknown): IdempotencyRequest | undefined | Response {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    return json(c, errorBody('bad Idempotency-Key', [{ path: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }]), 400);
  }
  return { key: `${c.get('identity').id}:${key}`, requestHash: requestFingerprint(route, body) };
}

/** `?state=open|all&limit&before`: a newest-first page of a list kept in log order (alerts, orders). */
export const NewestFirstQuery = z
  .object({
    state: z.enum(['open', 'all']).default('all'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Only entries with a seq below this (the next page). */
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();
