/**
 * /api/cases: intake (single and batch), transitions, reads. Every write goes through the one
 * CaseWriter; answers come only after the commit.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { can } from '../../auth/roles.js';
import { CaseListQuery, decodeCursor, getCase, listCases } from '../../cases/case-repo.js';
import { toCaseView, toEventView, toReceipt } from '../../cases/case-view.js';
import type { CaseWriter } from '../../cases/case-writer.js';
import type { Database } from '../../db/client.js';
import { CaseBatch, CaseEventView, CaseIntake, CaseReceipt, CaseView, ErrorBody, MAX_BATCH, TransitionRequest } from '../../../shared/protocol/payloads.js';
import { actorOf, outOfScope, requirePermission, scopeOf, seesPersonalData, type AppEnv } from '../auth.js';
import { caseInScope, caseOutOfScope } from '../../auth/scope.js';
import { audit } from '../audit.js';
import { describeIssues, errorBody, zodIssues } from '../errors.js';
import { answerWrite, idempotencyOf, json } from '../respond.js';
import { describeDatabaseError } from '../../db/unavailable.js';
import { BODY_LIMITS, findPoison } from '../../../shared/protocol/poison.js';

export interface CaseRoutesDeps {
  db: Database;
  writer: CaseWriter;
  defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0];
}

const errors = {
  400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad input, naming the field' },
  401: { content: { 'application/json': { schema: ErrorBody } }, description: 'missing or invalid token' },
  403: { content: { 'application/json': { schema: ErrorBody } }, description: 'the token’s role may not do this' },
} as const;
const conflict = { content: { 'application/json': { schema: ErrorBody } }, description: 'conflict' };
const caseAnswer = (description: string) => ({ content: { 'application/json': { schema: CaseView } }, description });

const CaseId = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'GM20261123-000042' }) });
const IdempotencyHeader = z.object({ 'idempotency-key': z.string().optional() });

const intakeRoute = createRoute({
  method: 'post',
  path: '/api/cases',
  summary: 'Receive a case from any channel',
  description:
    'Validates, places, routes, grades and sets deadlines, then commits the case and its event before answering 201. ' +
    'The same channel + externalId with the same body answers 200 with the existing case; with another body, 409. ' +
    'An Idempotency-Key header makes any retry return the first answer.',
  middleware: [requirePermission('cases:create')] as const,
  request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: CaseIntake } }, required: true } },
  responses: {
    201: caseAnswer('the case was created and committed'),
    200: caseAnswer('this channel + externalId already exists with the same body'),
    ...errors,
    409: conflict,
    413: { content: { 'application/json': { schema: ErrorBody } }, description: 'body over 1 MB' },
    422: conflict,
  },
});

const BatchItemResult = z.object({
  index: z.number().int(),
  status: z.number().int(),
  case: CaseReceipt.optional(),
  error: z.string().optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const batchRoute = createRoute({
  method: 'post',
  path: '/api/cases/batch',
  summary: `Receive up to ${MAX_BATCH} cases, with a result per item`,
  description: 'Each item is validated and answered on its own (status 201, 200, 400, 403, 409, or 503 if the database failed for it) with a short receipt (id, seq, status, tier, risk, department, place, deadlines); valid items are committed even when others fail.',
  middleware: [requirePermission('cases:create')] as const,
  request: { body: { content: { 'application/json': { schema: CaseBatch } }, required: true } },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z.object({ results: z.array(BatchItemResult), created: z.number(), existing: z.number(), failed: z.number() }),
        },
      },
      description: 'one result per item, in order',
    },
    ...errors,
    413: { content: { 'application/json': { schema: ErrorBody } }, description: 'body over 8 MB' },
  },
});

const transitionRoute = createRoute({
  method: 'post',
  path: '/api/cases/{id}/transitions',
  summary: 'Move a case through its lifecycle',
  description: 'dispatch, accept, start, resolve, evaluate, close, return, reopen, escalate, merge, cohandle. 409 for an illegal move or a stale version.',
  middleware: [requirePermission('cases:transition')] as const,
  request: { params: CaseId, headers: IdempotencyHeader, body: { content: { 'application/json': { schema: TransitionRequest } }, required: true } },
  responses: { 200: caseAnswer('the case after the move'), ...errors, 404: conflict, 409: conflict, 422: conflict },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/cases/{id}',
  summary: 'A case with its full event history',
  middleware: [requirePermission('cases:read')] as const,
  request: { params: CaseId },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ case: CaseView, events: z.array(CaseEventView) }) } }, description: 'the case' },
    ...errors,
    404: conflict,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/cases',
  summary: 'Cases, newest first, filtered, in cursor pages',
  middleware: [requirePermission('cases:read')] as const,
  request: { query: CaseListQuery },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ cases: z.array(CaseView), nextCursor: z.string().nullable() }) } },
      description: 'one page',
    },
    ...errors,
  },
});

export function caseRoutes(deps: CaseRoutesDeps) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);

  app.openapi(intakeRoute, async (c) => {
    const input = c.req.valid('json');
    if (input.history && !can(c.get('identity').role, 'cases:import-history')) {
      return json(c, errorBody('history needs an import-capable token', [{ path: 'history', message: 'not allowed for this token' }]), 403);
    }
    const idempotency = idempotencyOf(c, 'POST /api/cases', input);
    if (idempotency instanceof Response) return idempotency as never;
    return answerWrite(c, await deps.writer.intake(input, actorOf(c), { idempotency }));
  });

  app.openapi(batchRoute, async (c) => {
    const { cases: items } = c.req.valid('json');
    const actor = actorOf(c);
    const mayImport = can(c.get('identity').role, 'cases:import-history');
    const results = await Promise.all(
      items.map(async (item, index) => {
        const poison = findPoison(item, BODY_LIMITS, `cases.${index}`);
        if (poison) return { index, status: 400, error: `invalid case: ${poison.path}: ${poison.message}`, issues: [poison] };
        const parsed = CaseIntake.safeParse(item);
        if (!parsed.success) {
          const issues = zodIssues(parsed.error, `cases.${index}`);
          return { index, status: 400, error: `invalid case: ${describeIssues(issues)}`, issues };
        }
        if (parsed.data.history && !mayImport) {
          return { index, status: 403, error: 'history needs an import-capable token', issues: [{ path: `cases.${index}.history`, message: 'not allowed for this token' }] };
        }
        let answer;
        try {
          answer = await deps.writer.intake(parsed.data, actor);
        } catch (error) {
          // This item was not written (its own transaction failed); the others stand. Say so per item.
          console.error(`batch item ${index} not written:`, describeDatabaseError(error));
          return { index, status: 503, error: 'not written: the database failed; retry this item', issues: [] };
        }
        if ('row' in answer) return { index, status: answer.status, case: toReceipt(answer.row) };
        return { index, status: answer.status, error: answer.error, issues: answer.issues };
      }),
    );
    const count = (status: number) => results.filter((r) => r.status === status).length;
    return c.json({ results, created: count(201), existing: count(200), failed: results.length - count(201) - count(200) }, 200);
  });

  app.openapi(transitionRoute, async (c) => {
    const { id } = c.req.valid('param');
    const command = c.req.valid('json');
    const idempotency = idempotencyOf(c, `POST /api/cases/${id}/transitions`, command);
    if (idempotency instanceof Response) return idempotency as never;
    if (await caseOutOfScope(deps.db, scopeOf(c), id)) return outOfScope(c, `case ${id}`) as never;
    return answerWrite(c, await deps.writer.transition(id, command, actorOf(c), idempotency));
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const found = await getCase(deps.db, id);
    if (!found) return json(c, errorBody(`no case ${id}`, [{ path: 'id', message: `no case ${id}` }]), 404);
    if (!caseInScope(scopeOf(c), found.row)) return outOfScope(c, `case ${id}`) as never;
    const masked = !seesPersonalData(c);
    if (!masked) await audit(deps.db, c, { action: 'case.read', subject: id });
    return c.json({ case: toCaseView(found.row, { masked }), events: found.events.map((e) => toEventView(e, { masked })) }, 200);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (query.cursor && !cursor) return json(c, errorBody('bad cursor', [{ path: 'cursor', message: 'not a cursor this API gave out' }]), 400);
    const masked = !seesPersonalData(c);
    const page = await listCases(deps.db, query, cursor, { masked, scope: scopeOf(c) });
    if (!masked) {
      const { limit: _limit, cursor: _cursor, ...filters } = query;
      const shown = page.rows.map((r) => r.id);
      await audit(deps.db, c, { action: query.q ? 'cases.search' : 'cases.list', subject: query.q ?? null, detail: { filters, shown: shown.length, cases: shown.slice(0, 50) } });
    }
    return c.json({ cases: page.rows.map((r) => toCaseView(r, { masked })), nextCursor: page.nextCursor }, 200);
  });

  return app;
}

