/**
 * Refuses poison input at the door (shared/protocol/poison.ts): a path, query value or JSON body
 * holding NUL, another control character or a lone surrogate, or a body nested or sprawling past
 * its limits, is answered 400 naming where, before any handler or the database sees it. A batch's
 * items are left to the batch route, which judges each one alone (one bad item never changes
 * another's answer).
 */
import type { MiddlewareHandler } from 'hono';
import { findPoison, textProblem, type Poison } from '../../shared/protocol/poison.js';
import { errorBody } from './errors.js';

const BATCH_PATH = '/api/cases/batch';

/** `bodies: false` checks the address only (Open311 posts are forms, judged by intakeFromForm). */
export function poisonGuard(options: { bodies: boolean }): MiddlewareHandler {
  return async (c, next) => {
    const found = checkAddress(c.req.path, c.req.queries()) ?? (options.bodies ? await checkBody(c) : null);
    if (found) return c.json(errorBody(`invalid request: ${found.path}: ${found.message}`, [found]), 400);
    await next();
  };
}

function checkAddress(path: string, queries: Record<string, string[]>): Poison | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { path: '(path)', message: 'not valid percent-encoded UTF-8' };
  }
  const inPath = textProblem(decoded);
  if (inPath) return { path: '(path)', message: inPath };
  for (const [name, values] of Object.entries(queries)) {
    const problem = textProblem(name) ?? values.map(textProblem).find(Boolean) ?? null;
    if (problem) return { path: `query.${name}`, message: problem };
  }
  return null;
}

async function checkBody(c: Parameters<MiddlewareHandler>[0]): Promise<Poison | null> {
  const method = c.req.method;
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return null;
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) return null;
  let body: unknown;
  try {
    body = await c.req.json(); // cached: the route's validator reads the same parse
  } catch {
    return null; // broken JSON: the route's validator answers it, naming the parse error
  }
  if (c.req.path === BATCH_PATH && body !== null && typeof body === 'object' && Array.isArray((body as { cases?: unknown }).cases)) {
    return findPoison({ ...(body as object), cases: [] });
  }
  return findPoison(body);
}
