/**
 * Open311 GeoReport v2 (RULES O311-1–O311-7) through the real app on a real database, held to the
 * standard's own examples (server/open311/spec-examples, with a note on the ones that are not valid
 * JSON as published): an Open311 client lists services, posts a request form-encoded and reads it
 * back in JSON and XML; errors are `[{code, description}]` with the HTTP status.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';
import { cases } from '../db/schema.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, TEST_TOKENS, type TestApp } from '../testing/test-app.js';

const EXAMPLES = new URL('../open311/spec-examples/', import.meta.url);
const example = (name: string) => readFileSync(new URL(name, EXAMPLES), 'utf8');
/** The smallest repair of a published example: drop the HTTP status line, quote zero-led numbers. */
const repaired = (text: string) => text.replace(/^HTTP\/1\.1 [^\n]*\n+/, '').replace(/("\s*:\s*)(0\d+)(?=\s*[,}\n])/g, '$1"$2"');
const exampleJson = (name: string) => JSON.parse(repaired(example(`spec_example_json-${name}.json`))) as Record<string, unknown>[];
const parser = new XMLParser({ parseTagValue: false });
const xmlOf = (text: string) => parser.parse(repaired(text)) as Record<string, any>;
const keys = (o: object) => Object.keys(o).sort();

const community = GUANGMING.communities[0]!;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

it('[O311-1] the published examples: four JSON ones are not valid JSON as written, all read after the smallest repair', () => {
  const invalid = readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => {
      try {
        JSON.parse(example(f));
        return false;
      } catch {
        return true;
      }
    })
    .sort();
  expect(invalid).toEqual([
    'spec_example_json-errors.json',
    'spec_example_json-service-list.json',
    'spec_example_json-service-request.json',
    'spec_example_json-service-requests.json',
  ]);
  for (const f of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) expect(() => JSON.parse(repaired(example(f)))).not.toThrow();
  expect(example('spec_example_xml-errors.xml').startsWith('HTTP/1.1 403')).toBe(true);
});

describeEachDatabase('Open311 GeoReport v2', (kind) => {
  let t: TestApp;
  const get = async (path: string) => {
    const res = await t.app.request(path);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };
  const request = (extra: Record<string, string> = {}) => ({
    api_key: TEST_TOKENS.intake,
    service_code: 'city_management-street_vending',
    lat: String(community.centroid[1]),
    long: String(community.centroid[0]),
    address_string: '光明区华夏路12号',
    description: '路口早餐摊占道，电话13812345678联系我',
    first_name: '三',
    last_name: '张',
    phone: '13812345678',
    email: 'zhang@example.com',
    media_url: 'https://example.com/photo.jpg',
    'attribute[WHEN]': 'morning',
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('services', () => {
    it('[O311-1] services.json lists every duty-list item with the fields of the standard’s example; XML the same', async () => {
      const json = await get('/open311/v2/services.json');
      expect(json.status).toBe(200);
      const list = JSON.parse(json.text) as Record<string, unknown>[];
      const config = await t.call('GET', '/api/config', undefined, 'wall');
      const itemCount = (config.body.taxonomy.categories as { items: unknown[] }[]).reduce((n, c) => n + c.items.length, 0);
      expect(list).toHaveLength(itemCount);
      expect(keys(list[0]!)).toEqual(keys(exampleJson('service-list')[0]!));
      expect(list.find((s) => s.service_code === 'city_management-street_vending')).toMatchObject({ service_name: '占道经营', metadata: false, type: 'realtime', group: '城市管理' });

      const xml = await get('/open311/v2/services.xml');
      expect(xml.type).toContain('application/xml');
      const ours = xmlOf(xml.text).services.service as Record<string, string>[];
      const theirs = xmlOf(example('spec_example_xml-service-list.xml')).services.service as Record<string, string>[];
      expect(ours).toHaveLength(itemCount);
      expect(keys(ours[0]!)).toEqual(keys(theirs[0]!));
      expect(ours.map((s) => s.service_code)).toEqual(list.map((s) => s.service_code));
    });

    it('[O311-2] a service definition, and an unknown service as a 404 in the standard’s error shape', async () => {
      const json = await get('/open311/v2/services/city_management-street_vending.json');
      expect(JSON.parse(json.text)).toEqual({ service_code: 'city_management-street_vending', attributes: [] });
      expect(keys(JSON.parse(json.text))).toEqual(keys(exampleJson('service-definition') as unknown as object));
      const xml = xmlOf((await get('/open311/v2/services/city_management-street_vending.xml')).text);
      expect(xml.service_definition.service_code).toBe('city_management-street_vending');

      const missing = await get('/open311/v2/services/nope-nothing.json');
      expect(missing.status).toBe(404);
      const errors = JSON.parse(missing.text) as Record<string, unknown>[];
      expect(keys(errors[0]!)).toEqual(keys(exampleJson('errors')[0]!));
      expect(errors[0]!.code).toBe(404);
      const missingXml = await get('/open311/v2/services/nope-nothing.xml');
      expect(missingXml.status).toBe(404);
      const ours = xmlOf(missingXml.text).errors.error;
      expect(keys(ours)).toEqual(keys(xmlOf(example('spec_example_xml-errors.xml')).errors.error));
      expect((await get('/open311/v2/services.csv')).status).toBe(404);
    });
  });

  describe('requests', () => {
    it('[O311-3] a form-encoded post with an intake api_key becomes a case; the answer has the standard’s fields; extras are kept', async () => {
      const created = await post('/open311/v2/requests.json', request());
      expect(created.status, created.text).toBe(201);
      const [answer] = JSON.parse(created.text) as Record<string, unknown>[];
      expect(keys(answer!)).toEqual(keys(exampleJson('service-request-post')[0]!));
      const id = answer!.service_request_id as string;
      expect(answer!.service_notice).toContain('城市管理和综合执法局');
      const officer = await t.call('GET', `/api/cases/${id}`, undefined, 'officer');
      expect(officer.body.case).toMatchObject({ channel: 'app', category: 'city_management', item: 'street_vending', reporter: { name: '张三', phone: '13812345678' } });
      expect(officer.body.case.location.address).toBe('光明区华夏路12号');
      const [stored] = await t.database.db.select({ extras: cases.extras }).from(cases).where(eq(cases.id, id));
      expect(stored!.extras).toEqual({ source: 'open311', email: 'zhang@example.com', mediaUrl: 'https://example.com/photo.jpg', attributes: { WHEN: 'morning' } });

      const xml = await post('/open311/v2/requests.xml', request({ account_id: 'acct-7' }));
      expect(xml.status).toBe(201);
      const request0 = xmlOf(xml.text).service_requests.request;
      expect(keys(request0)).toEqual(keys(xmlOf(example('spec_example_xml-service-request-post.xml')).service_requests.request));
      expect(request0.account_id).toBe('acct-7');
    });

    it('[O311-4] refused posts name what is wrong, with the right status, in the format asked for', async () => {
      const refusals: [Record<string, string>, number, RegExp][] = [
        [request({ api_key: '' }), 403, /api_key: required/],
        [request({ api_key: 'not-a-token' }), 403, /api_key: invalid/],
        [request({ api_key: TEST_TOKENS.wall }), 403, /may not create/],
        [request({ service_code: '' }), 400, /service_code: required/],
        [request({ service_code: 'nope-nothing' }), 404, /service_code: no service/],
        [request({ lat: '', long: '', address_string: '' }), 400, /location/],
        [request({ lat: '91' }), 400, /lat:/],
        [request({ long: '' }), 400, /lat and long/],
        [request({ email: 'not-an-email' }), 400, /email/],
      ];
      for (const [fields, status, message] of refusals) {
        const res = await post('/open311/v2/requests.json', fields);
        expect(res.status, JSON.stringify(fields)).toBe(status);
        const [error] = JSON.parse(res.text) as { code: number; description: string }[];
        expect(error!.code).toBe(status);
        expect(error!.description).toMatch(message);
      }
      const json = await t.app.request('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(json.status).toBe(400);
      const xml = await post('/open311/v2/requests.xml', request({ service_code: '' }));
      expect(xml.status).toBe(400);
      expect(xmlOf(xml.text).errors.error.code).toBe('400');
    });

    it('[O311-7] a retried post answers the first case: with the same Idempotency-Key, or the same api_key and form within 10 minutes', async () => {
      const count = async () => (await t.database.db.select({ id: cases.id }).from(cases)).length;
      const idOf = (text: string) => (JSON.parse(text) as { service_request_id: string }[])[0]!.service_request_id;
      const before = await count();
      const lamp = request({ description: 'O311-7 路灯不亮' });
      const first = await post('/open311/v2/requests.json', lamp);
      const again = await post('/open311/v2/requests.json', lamp);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(idOf(again.text)).toBe(idOf(first.text));
      const other = await post('/open311/v2/requests.json', request({ description: 'O311-7 路灯不亮了' }));
      expect(idOf(other.text)).not.toBe(idOf(first.text)); // another form is another case

      const keyed = async (key: string, fields: Record<string, string>) => {
        const res = await t.app.request('/open311/v2/requests.json', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key }, body: form(fields) });
        return { status: res.status, text: await res.text() };
      };
      const k1 = await keyed('o311-7-key', request({ description: 'O311-7 井盖缺失' }));
      const k2 = await keyed('o311-7-key', request({ description: 'O311-7 井盖缺失' }));
      expect(idOf(k2.text)).toBe(idOf(k1.text));
      const clash = await keyed('o311-7-key', request({ description: 'O311-7 别的事' }));
      expect(clash.status).toBe(422); // the key belongs to another form, as on /api/cases
      expect(clash.text).toContain('Idempotency-Key');
      expect(await count()).toBe(before + 3);
    });

    it('[O311-8] OPEN311_DESCRIPTION=none publishes no description at all; the default publishes it masked', async () => {
      const id = (JSON.parse((await post('/open311/v2/requests.json', request({ description: 'O311-8 住华夏路12号3栋402，电话13812345678' }))).text) as { service_request_id: string }[])[0]!.service_request_id;
      const masked = JSON.parse((await get(`/open311/v2/requests/${id}.json`)).text)[0];
      expect(masked.description).toBe('O311-8 住华夏路**号*栋***，电话138****5678');
      const { createApp } = await import('./app.js');
      const { TokenVerifier } = await import('../auth/tokens.js');
      const { DEFAULT_DOMAIN } = await import('../config.js');
      const silent = createApp({ db: t.database.db, config: DEFAULT_DOMAIN, writer: t.writer, tokens: new TokenVerifier(t.database.db), demo: false, open311Descriptions: 'none' });
      const none = JSON.parse(await (await silent.request(`/open311/v2/requests/${id}.json`)).text())[0];
      expect(none.description).toBeNull();
      expect(none.service_request_id).toBe(id);
    });

    it('[O311-5] a request reads back with the standard’s fields, our status folded to open/closed, and no personal data', async () => {
      const id = (JSON.parse((await post('/open311/v2/requests.json', request())).text) as { service_request_id: string }[])[0]!.service_request_id;
      const one = await get(`/open311/v2/requests/${id}.json`);
      expect(one.status).toBe(200);
      const [read] = JSON.parse(one.text) as Record<string, unknown>[];
      expect(keys(read!)).toEqual(keys(exampleJson('service-request')[0]!));
      const officer = (await t.call('GET', `/api/cases/${id}`, undefined, 'officer')).body.case;
      expect(read).toMatchObject({
        service_request_id: id,
        status: 'open',
        service_code: 'city_management-street_vending',
        service_name: '占道经营',
        agency_responsible: '光明区城市管理和综合执法局',
        media_url: 'https://example.com/photo.jpg',
      });
      // W3C date-times to the second, in Asia/Shanghai's offset.
      expect(read!.expected_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(Date.parse(read!.expected_datetime as string)).toBe(Math.floor(Date.parse(officer.deadlines.resolveBy) / 1000) * 1000);
      expect(read!.status_notes).toContain('received');
      expect(one.text).not.toContain('13812345678');
      expect(one.text).not.toContain('张三');
      expect(read!.address).not.toBe('光明区华夏路12号');

      expect((await t.call('POST', `/api/cases/${id}/transitions`, { action: 'dispatch' }, 'officer')).status).toBe(200);
      expect((await t.call('POST', `/api/cases/${id}/transitions`, { action: 'accept' }, 'officer')).status).toBe(200);
      expect((await t.call('POST', `/api/cases/${id}/transitions`, { action: 'resolve' }, 'officer')).status).toBe(200);
      const closed = JSON.parse((await get(`/open311/v2/requests/${id}.json`)).text)[0];
      expect(closed).toMatchObject({ status: 'closed' });
      expect(closed.status_notes).toContain('resolved');

      const xml = await get(`/open311/v2/requests/${id}.xml`);
      const ours = xmlOf(xml.text).service_requests.request;
      expect(keys(ours)).toEqual(keys(xmlOf(example('spec_example_xml-service-request.xml')).service_requests.request));
      expect(ours.status).toBe('closed');
      expect((await get('/open311/v2/requests/GM20200101-000000.json')).status).toBe(404);
      const token = JSON.parse((await get(`/open311/v2/tokens/${id}.json`)).text)[0];
      expect(keys(token)).toEqual(keys(exampleJson('request-from-token')[0]!));
    });

    it('[O311-6] the request list filters by ids, service, status and a window of at most 90 days', async () => {
      const ids = [];
      for (const [i, code] of ['city_management-street_vending', 'city_management-street_vending', 'environment_noise-construction_noise'].entries()) {
        // Each its own form: the same form again within 10 minutes would be a retry (O311-7).
        const res = await post('/open311/v2/requests.json', request({ service_code: code, device_id: `o311-6-${i}` }));
        expect(res.status, res.text).toBe(201);
        ids.push((JSON.parse(res.text) as { service_request_id: string }[])[0]!.service_request_id);
      }
      const list = async (query: string) => {
        const res = await get(`/open311/v2/requests.json?${query}`);
        expect(res.status, res.text).toBe(200);
        return (JSON.parse(res.text) as { service_request_id: string; service_code: string; status: string }[]).map((r) => r);
      };
      expect((await list(`service_request_id=${ids[0]},${ids[2]}`)).map((r) => r.service_request_id).sort()).toEqual([ids[0], ids[2]].sort());
      const noise = await list('service_code=environment_noise-construction_noise');
      expect(noise.map((r) => r.service_request_id)).toContain(ids[2]);
      expect(noise.every((r) => r.service_code === 'environment_noise-construction_noise')).toBe(true);
      const open = await list('status=open');
      expect(open.every((r) => r.status === 'open')).toBe(true);
      expect(open.map((r) => r.service_request_id)).toEqual(expect.arrayContaining(ids));
      expect((await list('status=closed')).every((r) => r.status === 'closed')).toBe(true);
      const soon = new Date(Date.now() + 60_000).toISOString();
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      expect((await list(`start_date=${encodeURIComponent(hourAgo)}&end_date=${encodeURIComponent(soon)}`)).map((r) => r.service_request_id)).toEqual(expect.arrayContaining(ids));
      expect(await list('start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).toEqual([]);
      const xml = xmlOf((await get(`/open311/v2/requests.xml?service_request_id=${ids[0]}`)).text);
      expect(xml.service_requests.request.service_request_id).toBe(ids[0]);
      for (const [query, message] of [
        ['start_date=yesterday', /start_date/],
        ['start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z', /90 days/],
        ['status=pending', /status/],
      ] as const) {
        const res = await get(`/open311/v2/requests.json?${query}`);
        expect(res.status).toBe(400);
        expect(JSON.parse(res.text)[0].description).toMatch(message);
      }
    });
  });
});
