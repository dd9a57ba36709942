/**
 * Hostile requests for property tests and the bench (fast-check): intakes, batches, transitions,
 * community orders and Open311 posts whose fields hold anything — NUL and control characters,
 * lone surrogates, emoji, numbers where text belongs, objects nested thousands deep, broken JSON —
 * mixed with valid ones. `sendHostile` sends one through the real app and says how many cases it
 * created, so a run can check that no answer was 5xx and that the case count moved by exactly the
 * cases accepted.
 */
import fc from 'fast-check';
import { ACTIONS } from '../../shared/domain/case.js';
import { services } from '../open311/georeport.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { sampleCase, type TestApp } from './test-app.js';

const POISON_CHARACTERS = ['\u0000', '\u0001', '\u0008', '\u001b', '\u007f', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d'];

/** Text of every kind, a good share of it poisoned. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '住华夏路12号3栋402', '😡'.repeat(3), 'x'.repeat(300), '1e309', 'null', '__proto__', 'constructor'),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...POISON_CHARACTERS), fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c),
);

/**
 * Nesting far past any limit. It becomes nested JSON text only when sent (`toJson`), and prints as
 * `nested(depth)` in a failure report: building or printing it as a value would overflow the stack
 * of JSON.stringify and of fast-check's reporter.
 */
class Nested {
  constructor(
    readonly depth: number,
    readonly asArray: boolean,
  ) {}
  toJSON(): string {
    return `@@nested-${this.depth}-${this.asArray ? 'a' : 'o'}@@`;
  }
  [fc.toStringMethod](): string {
    return `nested(${this.depth}${this.asArray ? ', arrays' : ''})`;
  }
}
const deeplyNested: fc.Arbitrary<unknown> = fc.tuple(fc.integer({ min: 10, max: 5_000 }), fc.boolean()).map(([depth, asArray]) => new Nested(depth, asArray));

/** Any JSON value, small or hostile. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
    deeplyNested,
  ),
})).value;

const INTAKE_FIELDS = ['channel', 'externalId', 'category', 'item', 'title', 'description', 'location', 'reporter', 'peopleInvolved', 'amountCny', 'urgency', 'reportedAt', 'extras', 'history', 'bogus'];
const LOCATION_FIELDS = ['lat', 'lng', 'address', 'gridCode'];
const REPORTER_FIELDS = ['name', 'phone', 'email'];

/** A valid case with up to three fields (or a location or reporter field) replaced by anything. */
const intakeBody: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...INTAKE_FIELDS), hostileValue, { maxKeys: 3 }),
    fc.option(fc.dictionary(fc.constantFrom(...LOCATION_FIELDS), hostileValue, { maxKeys: 2 })),
    fc.option(fc.dictionary(fc.constantFrom(...REPORTER_FIELDS), hostileValue, { maxKeys: 2 })),
  )
  .map(([fields, location, reporter]) => {
    const body = sampleCase();
    if (location) body.location = { ...(body.location as object), ...location };
    if (reporter) body.reporter = { ...(body.reporter as object), ...reporter };
    return { ...body, ...fields };
  });

const TRANSITION_FIELDS = ['action', 'note', 'department', 'departments', 'satisfaction', 'level', 'intoCaseId', 'version', 'bogus'];
const transitionBody = fc.tuple(fc.constantFrom(...ACTIONS), fc.dictionary(fc.constantFrom(...TRANSITION_FIELDS), hostileValue, { maxKeys: 3 }))
  .map(([action, fields]) => ({ action, note: '已联系', ...fields }));

const ORDER_FIELDS = ['externalId', 'communityCode', 'caseId', 'title', 'summons', 'resolveWithinHours', 'bogus'];
const orderBody = fc.dictionary(fc.constantFrom(...ORDER_FIELDS), hostileValue, { maxKeys: 3 }).map((fields) => ({
  communityCode: DEFAULT_DOMAIN.jurisdiction.communities[0]!.code,
  title: '漏水纠纷',
  summons: [{ department: DEFAULT_DOMAIN.taxonomy.departments[0]!.code, arriveWithinMinutes: 30, rank: 'section' }],
  ...fields,
}));

const OPEN311_FIELDS = ['service_code', 'lat', 'long', 'address_string', 'address_id', 'description', 'first_name', 'last_name', 'phone', 'email', 'media_url', 'device_id', 'account_id', 'attribute[x]', 'bogus'];
const SERVICE_CODES = services(DEFAULT_DOMAIN.taxonomy).map((s) => s.service_code);
const open311Form = fc.tuple(fc.constantFrom(...SERVICE_CODES), fc.dictionary(fc.constantFrom(...OPEN311_FIELDS), hostileString, { maxKeys: 4 }))
  .map(([code, fields]) => ({ service_code: code, lat: '22.7485', long: '113.9405', description: '路灯不亮', ...fields }));

export type HostileRequest =
  | { kind: 'intake'; body: unknown }
  | { kind: 'batch'; items: unknown[] }
  | { kind: 'transition'; body: unknown; id: string }
  | { kind: 'order'; body: unknown }
  | { kind: 'open311'; form: Record<string, string> }
  | { kind: 'raw'; path: string; text: string }
  | { kind: 'query'; path: string; value: string };

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  intakeBody.map((body) => ({ kind: 'intake' as const, body })),
  fc.array(fc.oneof(intakeBody, hostileValue), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'batch' as const, items })),
  fc.tuple(transitionBody, fc.oneof(fc.constant('@case'), hostileString)).map(([body, id]) => ({ kind: 'transition' as const, body, id })),
  orderBody.map((body) => ({ kind: 'order' as const, body })),
  open311Form.map((form) => ({ kind: 'open311' as const, form })),
  fc.tuple(fc.constantFrom('/api/cases', '/api/cases/batch', '/api/orders', '/api/tokens', '/api/session'), fc.oneof(hostileString, hostileValue.map(toJson)))
    .map(([path, text]) => ({ kind: 'raw' as const, path, text })),
  fc.tuple(fc.constantFrom('/api/cases?q=', '/api/cases?status=', '/api/alerts?state=', '/open311/v2/requests.json?status=', '/api/stats/summary?street='), hostileString)
    .map(([path, value]) => ({ kind: 'query' as const, path, value })),
);

/** JSON text of a generated value, its Nested parts written out in full. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/"@@nested-(\d+)-([ao])@@"/g, (_, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'a' ? `${'['.repeat(n)}"leaf"${']'.repeat(n)}` : `${'{"a":'.repeat(n)}"leaf"${'}'.repeat(n)}`;
  });
}

/** Percent-encodes any string, lone surrogates included (as the invalid UTF-8 a client might send). */
function encodeAnything(text: string): string {
  let out = '';
  for (const char of text) {
    try {
      out += encodeURIComponent(char);
    } catch {
      out += '%ED%A0%80';
    }
  }
  return out;
}

/**
 * Sends one hostile request; `caseId` is a real case for transitions, `open311Cases` the cases
 * Open311 posts answered so far in this run (a retry's answer is not a new case). Resolves with
 * its status and the cases it created.
 */
export async function sendHostile(t: TestApp, request: HostileRequest, caseId: string, open311Cases: Set<string>): Promise<{ status: number; created: number; text: string }> {
  const json = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, text };
  };
  const call = (method: string, path: string, body: string | undefined, type = 'application/json', role: 'intake' | 'admin' = 'admin') =>
    t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${role === 'intake' ? 'test-intake-token-0123456789' : 'test-admin-token-0123456789'}`, ...(body !== undefined ? { 'content-type': type } : {}) },
      body,
    });
  switch (request.kind) {
    case 'intake': {
      const answer = await json(await call('POST', '/api/cases', toJson(request.body), undefined, 'intake'));
      return { ...answer, created: answer.status === 201 ? 1 : 0 };
    }
    case 'batch': {
      const answer = await json(await call('POST', '/api/cases/batch', toJson({ cases: request.items })));
      const created = answer.status === 200 ? (JSON.parse(answer.text) as { created: number }).created : 0;
      return { ...answer, created };
    }
    case 'transition': {
      const id = request.id === '@case' ? caseId : encodeAnything(request.id);
      return { ...(await json(await call('POST', `/api/cases/${id}/transitions`, toJson(request.body)))), created: 0 };
    }
    case 'order':
      return { ...(await json(await call('POST', '/api/orders', toJson(request.body)))), created: 0 };
    case 'open311': {
      const body = Object.entries({ ...request.form, api_key: 'test-intake-token-0123456789' })
        .map(([k, v]) => `${encodeAnything(k)}=${encodeAnything(v)}`)
        .join('&');
      const answer = await json(await call('POST', '/open311/v2/requests.json', body, 'application/x-www-form-urlencoded'));
      if (answer.status !== 201) return { ...answer, created: 0 };
      // The same form again within 10 minutes answers the first case (RULES O311-7): not a new one.
      const id = (JSON.parse(answer.text) as { service_request_id: string }[])[0]!.service_request_id;
      const isNew = !open311Cases.has(id);
      open311Cases.add(id);
      return { ...answer, created: isNew ? 1 : 0 };
    }
    case 'raw':
      return { ...(await json(await call('POST', request.path, request.text))), created: 0 };
    case 'query':
      return { ...(await json(await call('GET', `${request.path}${encodeAnything(request.value)}`, undefined))), created: 0 };
  }
}
