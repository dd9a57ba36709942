/**
 * Open311 GeoReport v2 at `/open311/v2` (issue 7; RULES O311-1–O311-6): `services.{json,xml}`,
 * `services/{code}.{json,xml}`, `POST requests.{json,xml}` (form-encoded; `api_key` is an intake
 * token), `GET requests.{json,xml}` with its filters, `requests/{id}.{json,xml}` and
 * `tokens/{id}.{json,xml}`. Reads are public and masked; a post goes through the CaseWriter like any
 * intake. Errors are `[{code, description}]` (or `<errors>`) with the same HTTP status. The format
 * is the path's extension, as the standard has it.
 */
import { and, desc, eq, gte, inArray, lt, notInArray, or, type SQL } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { XMLBuilder } from 'fast-xml-parser';
import { can } from '../../auth/roles.js';
import type { TokenVerifier } from '../../auth/tokens.js';
import { requestFingerprint, type CaseWriter, type IdempotencyRequest } from '../../cases/case-writer.js';
import type { DomainConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { cases } from '../../db/schema.js';
import { shanghaiIso } from '../../../shared/domain/calendar.js';
import { findService, intakeFromForm, services, toServiceRequest, type GeoReportError, type PublicDescription } from '../../open311/georeport.js';
import { clientAddress, type AppEnv } from '../auth.js';
import type { FailureLimiter } from '../rate-limit.js';
import type { Clock } from '../../clock.js';

type Format = 'json' | 'xml';
const DAY_MS = 86_400_000;
/** The standard's default and widest window for request lists. */
const WINDOW_DAYS = 90;
/** Most requests one list answers. */
const MAX_LIST = 1000;
/** The same api_key posting the same form within this long gets the first case again. */
const SAME_POST_MS = 10 * 60_000;

const xml = new XMLBuilder({ format: true, suppressEmptyNode: true });

/** `name.json` → ['name', 'json']; anything else → null. */
function split(file: string): [string, Format] | null {
  const at = file.lastIndexOf('.');
  const ext = at > 0 ? file.slice(at + 1) : '';
  return ext === 'json' || ext === 'xml' ? [file.slice(0, at), ext] : null;
}

/** XML element values: nulls empty (`<account_id/>`), everything else as text. */
function xmlValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(xmlValue);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlValue(v)]));
  return String(value);
}

function render(c: Context, format: Format, root: string, element: string, items: readonly object[], status: 200 | 201 = 200): Response {
  if (format === 'json') return c.json(items, status);
  const body = `<?xml version="1.0" encoding="utf-8"?>\n${xml.build({ [root]: { [element]: xmlValue(items) } })}`;
  return c.body(body, status, { 'content-type': 'application/xml; charset=utf-8' });
}

function fail(c: Context, format: Format, error: GeoReportError): Response {
  const status = error.code as 400 | 403 | 404 | 413 | 429;
  return render(c, format, 'errors', 'error', [error], status as never);
}

export function open311Routes(deps: { db: Database; config: DomainConfig; writer: CaseWriter; tokens: TokenVerifier; limiter: FailureLimiter; clock: Clock; descriptions: PublicDescription }) {
  const app = new Hono<AppEnv>();
  const { taxonomy } = deps.config;
  const departmentName = (code: string) => taxonomy.department(code)?.name ?? code;
  const unknownFormat = (c: Context) => c.json([{ code: 404, description: 'use a .json or .xml path, e.g. /open311/v2/services.json' }], 404);
  // One request's form is small: 1 MB, chunked bodies included, as for a case on /api.
  app.use('/open311/v2/*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => fail(c, split(c.req.path.split('/').pop() ?? '')?.[1] ?? 'json', { code: 413, description: 'request body over 1 MB' }) }));

  app.get('/open311/v2/:file', async (c) => {
    const parsed = split(c.req.param('file'));
    if (!parsed) return unknownFormat(c);
    const [name, format] = parsed;
    if (name === 'services') return render(c, format, 'services', 'service', services(taxonomy));
    if (name === 'requests') return listRequests(c, format);
    return fail(c, format, { code: 404, description: `no resource ${name}` });
  });

  app.get('/open311/v2/services/:file', (c) => {
    const parsed = split(c.req.param('file'));
    if (!parsed) return unknownFormat(c);
    const [code, format] = parsed;
    if (!findService(taxonomy, code)) return fail(c, format, { code: 404, description: `service_code: no service ${code}` });
    // No service asks for extra attributes (metadata false): the definition lists none.
    const definition = { service_code: code, attributes: [] };
    if (format === 'json') return c.json(definition);
    return c.body(`<?xml version="1.0" encoding="utf-8"?>\n${xml.build({ service_definition: { service_code: code, attributes: '' } })}`, 200, {
      'content-type': 'application/xml; charset=utf-8',
    });
  });

  app.get('/open311/v2/requests/:file', async (c) => {
    const parsed = split(c.req.param('file'));
    if (!parsed) return unknownFormat(c);
    const [id, format] = parsed;
    const [row] = await deps.db.select().from(cases).where(eq(cases.id, id));
    if (!row) return fail(c, format, { code: 404, description: `service_request_id: no request ${id}` });
    return render(c, format, 'service_requests', 'request', [toServiceRequest(row, taxonomy, departmentName, deps.descriptions)]);
  });

  // Requests are created at once, so a token is the request's own id.
  app.get('/open311/v2/tokens/:file', async (c) => {
    const parsed = split(c.req.param('file'));
    if (!parsed) return unknownFormat(c);
    const [token, format] = parsed;
    const [row] = await deps.db.select({ id: cases.id }).from(cases).where(eq(cases.id, token));
    if (!row) return fail(c, format, { code: 404, description: `token: no request for ${token}` });
    return render(c, format, 'service_requests', 'request', [{ service_request_id: row.id, token }]);
  });

  app.post('/open311/v2/:file', async (c) => {
    const parsed = split(c.req.param('file'));
    if (!parsed) return unknownFormat(c);
    const [name, format] = parsed;
    if (name !== 'requests') return fail(c, format, { code: 404, description: `cannot post to ${name}` });
    const address = clientAddress(c);
    const type = c.req.header('content-type') ?? '';
    if (!/application\/x-www-form-urlencoded|multipart\/form-data/.test(type)) {
      return fail(c, format, { code: 400, description: 'send the request form-encoded (application/x-www-form-urlencoded)' });
    }
    const body = await c.req.parseBody();
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') form[key] = value;
    const identity = form.api_key ? await deps.tokens.verify(form.api_key) : null;
    if (!identity) {
      if (!form.api_key) return fail(c, format, { code: 403, description: 'api_key: required (an intake token)' });
      // A valid api_key always passes; a wrong one is slowed once its client has failed too often.
      const wait = deps.limiter.retryAfter(address);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return fail(c, format, { code: 429, description: `too many failed api_key attempts; retry after ${wait} s` });
      }
      deps.limiter.recordFailure(address);
      return fail(c, format, { code: 403, description: 'api_key: invalid or revoked' });
    }
    if (!can(identity.role, 'cases:create')) return fail(c, format, { code: 403, description: `api_key: role ${identity.role} may not create requests` });
    const intake = intakeFromForm(form, taxonomy);
    if (!intake.ok) return fail(c, format, intake.error);
    const idempotency = open311Idempotency(c.req.header('idempotency-key'), identity.id, form, deps.clock.now());
    if ('code' in idempotency) return fail(c, format, idempotency);
    const answer = await deps.writer.intake(intake.intake, { label: identity.label, role: identity.role, origin: `open311:${address}`, tokenId: identity.id }, { idempotency });
    if (!('row' in answer)) return fail(c, format, { code: answer.status === 409 ? 400 : (answer.status as 400), description: answer.error });
    const row = answer.row;
    const notice = `已受理，由${departmentName(row.department)}承办，预计 ${shanghaiIso(row.resolveBy)} 前办结`;
    return render(c, format, 'service_requests', 'request', [{ service_request_id: row.id, service_notice: notice, account_id: form.account_id?.trim() || null }], 201);
  });

  /**
   * Open311 clients retry: with an Idempotency-Key the key decides (as on /api/cases); without one,
   * the same api_key posting the same form within 10 minutes gets the first case again. The
   * implicit key names its 10-minute window and also looks in the one before, so "within 10
   * minutes" holds across a window's edge.
   */
  function open311Idempotency(header: string | undefined, tokenId: string, form: Record<string, string>, now: Date): IdempotencyRequest | GeoReportError {
    const { api_key: _apiKey, ...fields } = form;
    const requestHash = requestFingerprint('POST /open311/v2/requests', fields);
    if (header !== undefined) {
      if (!/^[\x21-\x7e]{1,200}$/.test(header)) return { code: 400, description: 'Idempotency-Key: must be 1–200 visible ASCII characters' };
      return { key: `${tokenId}:${header}`, requestHash };
    }
    const window = Math.floor(now.getTime() / SAME_POST_MS);
    const key = (w: number) => `${tokenId}:open311:${requestHash}:${w}`;
    return { key: key(window), requestHash, alsoKeys: [key(window - 1)], withinMs: SAME_POST_MS };
  }

  /** GET requests: by ids (which then override every other filter), or a window of at most 90 days, newest first. */
  async function listRequests(c: Context, format: Format): Promise<Response> {
    const q = (name: string) => c.req.query(name)?.trim() || undefined;
    const where: SQL[] = [];
    const ids = q('service_request_id');
    if (ids) {
      where.push(inArray(cases.id, ids.split(',').map((s) => s.trim()).filter(Boolean).slice(0, MAX_LIST)));
    } else {
      const date = (name: string): Date | GeoReportError | undefined => {
        const value = q(name);
        if (!value) return undefined;
        const t = Date.parse(value);
        return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(t) ? new Date(t) : { code: 400, description: `${name}: must be a W3C date-time, e.g. 2026-11-23T00:00:00+08:00` };
      };
      const end = date('end_date');
      const start = date('start_date');
      if (end && !(end instanceof Date)) return fail(c, format, end);
      if (start && !(start instanceof Date)) return fail(c, format, start);
      const to = end ?? (start ? new Date(start.getTime() + WINDOW_DAYS * DAY_MS) : deps.clock.now());
      const from = start ?? new Date(to.getTime() - WINDOW_DAYS * DAY_MS);
      if (from >= to) return fail(c, format, { code: 400, description: 'start_date: must be before end_date' });
      if (to.getTime() - from.getTime() > WINDOW_DAYS * DAY_MS) return fail(c, format, { code: 400, description: `start_date/end_date: at most ${WINDOW_DAYS} days apart` });
      where.push(gte(cases.receivedAt, from), lt(cases.receivedAt, to));
      const codes = q('service_code');
      if (codes) {
        const wanted = codes.split(',').map((s) => findService(taxonomy, s.trim()));
        const known = wanted.filter((s) => s !== null);
        if (known.length === 0) return fail(c, format, { code: 400, description: `service_code: no service ${codes}` });
        where.push(or(...known.map((s) => and(eq(cases.category, s.category), eq(cases.item, s.item))))!);
      }
      const status = q('status');
      if (status) {
        const wanted = new Set(status.split(',').map((s) => s.trim()));
        if ([...wanted].some((s) => s !== 'open' && s !== 'closed')) return fail(c, format, { code: 400, description: 'status: open, closed, or both comma-separated' });
        const done = ['resolved', 'evaluated', 'closed', 'merged'];
        if (wanted.size === 1) where.push(wanted.has('open') ? notInArray(cases.status, done) : inArray(cases.status, done));
      }
    }
    const rows = await deps.db.select().from(cases).where(and(...where)).orderBy(desc(cases.receivedAt), desc(cases.id)).limit(MAX_LIST);
    return render(c, format, 'service_requests', 'request', rows.map((row) => toServiceRequest(row, taxonomy, departmentName, deps.descriptions)));
  }

  return app;
}
