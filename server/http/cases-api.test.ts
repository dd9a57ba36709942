/**
 * The case API end to end through the real app and a real database (PGlite, and PostgreSQL when
 * DATABASE_URL is set): intake, idempotency, every error path, transitions, reads and masking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';

const community = GUANGMING.communities[0]!;
const [lng, lat] = community.centroid;
const here = { lat, lng, address: '光明区华夏路12号3栋402' };

describeEachDatabase('case API', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: unknown, role: Parameters<TestApp['call']>[3] = 'intake', headers?: Record<string, string>) =>
    t.call('POST', '/api/cases', body, role, headers);

  describe('intake', () => {
    it('[API1] a valid case is received, placed, routed, graded and given deadlines (201)', async () => {
      const res = await post(sampleCase({ location: here, externalId: 'api1' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'received',
        tier: 'general',
        riskGrade: 'green',
        department: 'urban_management',
        streetCode: community.streetCode,
        communityCode: community.code,
        outOfArea: false,
        version: 1,
      });
      expect(res.body.id).toMatch(/^GM\d{8}-\d{6,}$/);
      expect(res.body.seq).toBeGreaterThan(0);
      const { respondBy, acceptBy, resolveBy } = res.body.deadlines;
      expect(new Date(respondBy).getTime() - new Date(res.body.receivedAt).getTime()).toBe(2 * 3600_000);
      expect(new Date(acceptBy) < new Date(resolveBy)).toBe(true);
    });

    it('[API2] the same channel + externalId and body returns the existing case, never a second one', async () => {
      const body = sampleCase({ location: here, externalId: 'api2' });
      const first = await post(body);
      const again = await post(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const list = await t.call('GET', `/api/cases?channel=hotline_12345&limit=200`, undefined, 'officer');
      expect(list.body.cases.filter((c: { externalId: string }) => c.externalId === 'api2')).toHaveLength(1);
    });

    it('[API3] the same channel + externalId with another body is 409 naming the case', async () => {
      const first = await post(sampleCase({ location: here, externalId: 'api3' }));
      const other = await post(sampleCase({ location: here, externalId: 'api3', title: '另一件事' }));
      expect(other.status).toBe(409);
      expect(other.body.error).toContain(first.body.id);
      expect(other.body.issues[0].path).toBe('externalId');
    });

    it('[API4] an Idempotency-Key retry gets the same answer; the same key with another body is 422', async () => {
      const headers = { 'idempotency-key': 'retry-4' };
      const first = await post(sampleCase({ location: here }), 'intake', headers);
      const retry = await post(sampleCase({ location: here }), 'intake', headers);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      const other = await post(sampleCase({ location: here, title: '换了内容' }), 'intake', headers);
      expect(other.status).toBe(422);
      expect(other.body.issues[0].path).toBe('Idempotency-Key');
    });

    it('[API5] a point outside the district is accepted and marked out of area', async () => {
      const res = await post(sampleCase({ location: { lat: 22.5431, lng: 114.0579 } }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ outOfArea: true, streetCode: null, communityCode: null });
    });

    it('[API6] a case with only a community code, or with no place at all, is accepted as location unknown', async () => {
      const byCode = await post(sampleCase({ location: { communityCode: community.code, address: '某小区' } }));
      expect(byCode.status).toBe(201);
      expect(byCode.body).toMatchObject({ communityCode: community.code, streetCode: community.streetCode, outOfArea: false });
      const nowhere = await post(sampleCase({ location: undefined }));
      expect(nowhere.status).toBe(201);
      expect(nowhere.body).toMatchObject({ communityCode: null, streetCode: null, outOfArea: false });
    });

    it('[API7] risk and tier follow people, money and urgency', async () => {
      const red = await post(sampleCase({ location: here, category: 'labour_wages', peopleInvolved: 45, amountCny: 1_200_000 }));
      expect(red.body.riskGrade).toBe('red');
      const urgent = await post(sampleCase({ location: here, urgency: 'emergency' }));
      expect(urgent.body.tier).toBe('urgent');
      expect(new Date(urgent.body.deadlines.respondBy).getTime() - new Date(urgent.body.receivedAt).getTime()).toBe(10 * 60_000);
    });

    it('[API8] a source report time is kept; a time in the future is refused naming reportedAt', async () => {
      const past = '2026-01-05T09:30:00+08:00';
      const kept = await post(sampleCase({ location: here, reportedAt: past }));
      expect(kept.status).toBe(201);
      expect(kept.body.receivedAt).toBe(new Date(past).toISOString());
      const future = await post(sampleCase({ location: here, reportedAt: new Date(Date.now() + 3600_000).toISOString() }));
      expect(future.status).toBe(400);
      expect(future.body.issues[0].path).toBe('reportedAt');
    });
    it('[API23] repeat complaints count only earlier cases of the same reporter and category', async () => {
      const at = (day: number) => `2026-04-0${day}T10:00:00+08:00`;
      const repeat = (phone: string, day: number) =>
        post(sampleCase({ location: here, reporter: { phone }, reportedAt: at(day) }), 'intake').then((r) => r.body.riskReasons as string[]);
      // In order: the third is a repeat.
      expect(await repeat('13900000001', 1)).not.toContain('repeat');
      expect(await repeat('13900000001', 2)).not.toContain('repeat');
      expect(await repeat('13900000001', 3)).toContain('repeat');
      // Newest first (a backfill): a later case never makes an earlier one a repeat.
      expect(await repeat('13900000002', 3)).not.toContain('repeat');
      expect(await repeat('13900000002', 1)).not.toContain('repeat');
      expect(await repeat('13900000002', 2)).not.toContain('repeat');
    });
  });

  describe('bad input gets a 4xx naming what was wrong, and nothing is written', () => {
    const cases: [string, unknown, string][] = [
      ['missing channel', { ...sampleCase(), channel: undefined }, 'channel'],
      ['unknown channel', sampleCase({ channel: 'fax' }), 'channel'],
      ['empty title', sampleCase({ title: '' }), 'title'],
      ['latitude out of range', sampleCase({ location: { lat: 123, lng: 113.9 } }), 'location.lat'],
      ['lat without lng', sampleCase({ location: { lat: 22.7 } }), 'location.lng'],
      ['unknown category', sampleCase({ category: 'aliens' }), 'category'],
      ['unknown community', sampleCase({ location: { communityCode: '440311999999' } }), 'location.communityCode'],
      ['negative amount', sampleCase({ amountCny: -5 }), 'amountCny'],
      ['unknown field', sampleCase({ colour: 'red' }), '(body)'],
      ['bad urgency', sampleCase({ urgency: 'yesterday' }), 'urgency'],
    ];
    for (const [what, body, path] of cases) {
      it(`[API9] ${what} → 400 naming ${path}`, async () => {
        const before = await t.call('GET', '/api/stats/summary', undefined, 'officer');
        const res = await post(body);
        expect(res.status).toBe(400);
        expect(res.body.error).toBeTypeOf('string');
        expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
        const after = await t.call('GET', '/api/stats/summary', undefined, 'officer');
        expect(after.body.seq).toBe(before.body.seq);
      });
    }

    it('[API10] broken JSON → 400; not JSON → 415; over 1 MB → 413', async () => {
      const broken = await post('{"channel": "app",');
      expect(broken.status).toBe(400);
      expect(broken.body.error).toMatch(/JSON/);
      const text = await post('channel=app', 'intake', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(text.status).toBe(415);
      const huge = await post(sampleCase({ description: 'x'.repeat(1_100_000) }));
      expect(huge.status).toBe(413);
      expect(huge.body.issues[0].path).toBe('body');
    });

    it('[API11] an oversized chunked body (no Content-Length) is 413 too', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 24) return controller.close();
          sent++;
          controller.enqueue(chunk);
        },
      });
      const res = await t.app.request('/api/cases', {
        method: 'POST',
        headers: { authorization: 'Bearer test-intake-token-0123456789', 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
    });
  });

  describe('batch', () => {
    it('[API12] a batch answers per item and commits the valid ones', async () => {
      const res = await t.call(
        'POST',
        '/api/cases/batch',
        { cases: [sampleCase({ location: here, externalId: 'b1' }), sampleCase({ channel: 'fax' }), sampleCase({ location: here, externalId: 'b1' })] },
        'intake',
      );
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400, 200]);
      expect(res.body.results[1].issues[0].path).toBe('cases.1.channel');
      expect(res.body.results[2].case.id).toBe(res.body.results[0].case.id);
      expect(res.body).toMatchObject({ created: 1, existing: 1, failed: 1 });
    });

    it('[API13] a batch over 1,000 items is refused naming cases', async () => {
      const res = await t.call('POST', '/api/cases/batch', { cases: Array.from({ length: 1001 }, () => ({})) }, 'intake');
      expect(res.status).toBe(400);
      expect(res.body.issues[0].path).toBe('cases');
    });
  });

  describe('transitions', () => {
    const act = (id: string, body: unknown, role: Parameters<TestApp['call']>[3] = 'officer') =>
      t.call('POST', `/api/cases/${id}/transitions`, body, role);

    it('[API14] a case walks the whole closed loop and its history records every step with its actor', async () => {
      const created = await post(sampleCase({ location: here }));
      const id = created.body.id as string;
      const steps = [
        { action: 'dispatch', department: 'urban_management' },
        { action: 'accept' },
        { action: 'start' },
        { action: 'resolve', note: '已清理占道摊位' },
        { action: 'evaluate', satisfaction: 'satisfied' },
        { action: 'close' },
      ];
      let last;
      for (const step of steps) {
        last = await act(id, step);
        expect(last.status, JSON.stringify(last.body)).toBe(200);
      }
      expect(last!.body).toMatchObject({ status: 'closed', satisfaction: 'satisfied', version: 7, closeReason: 'evaluated' });
      const read = await t.call('GET', `/api/cases/${id}`, undefined, 'officer');
      expect(read.body.events.map((e: { action: string | null }) => e.action)).toEqual([null, ...steps.map((s) => s.action)]);
      expect(read.body.events[1].actor).toBe('officer (env)');
      const seqs = read.body.events.map((e: { seq: number }) => e.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    });

    it('[API15] an illegal move is 409 with the reason; a stale version is 409; an unknown case is 404', async () => {
      const created = await post(sampleCase({ location: here }));
      const id = created.body.id as string;
      const illegal = await act(id, { action: 'resolve' });
      expect(illegal.status).toBe(409);
      expect(illegal.body.error).toContain('cannot resolve a case that is received');
      const stale = await act(id, { action: 'dispatch', version: 7 });
      expect(stale.status).toBe(409);
      expect(stale.body.issues[0].path).toBe('version');
      const missing = await act('GM20260101-999999', { action: 'dispatch' });
      expect(missing.status).toBe(404);
      const badField = await act(id, { action: 'dispatch', department: 'nowhere' });
      expect(badField.status).toBe(400);
      expect(badField.body.issues[0].path).toBe('department');
    });

    it('[API16] return, re-dispatch, merge and reopen carry what they need', async () => {
      const a = (await post(sampleCase({ location: here }))).body.id as string;
      const b = (await post(sampleCase({ location: here }))).body.id as string;
      expect((await act(a, { action: 'dispatch' })).status).toBe(200);
      expect((await act(a, { action: 'return' })).status).toBe(400);
      expect((await act(a, { action: 'return', note: '不属于本单位职责' })).body).toMatchObject({ status: 'returned', returnCount: 1 });
      expect((await act(a, { action: 'dispatch', department: 'housing' })).body).toMatchObject({ status: 'dispatched', department: 'housing' });
      expect((await act(b, { action: 'merge', intoCaseId: a })).body).toMatchObject({ status: 'merged', mergedInto: a });
      for (const step of [{ action: 'accept' }, { action: 'resolve' }, { action: 'evaluate', satisfaction: 'basically_satisfied' }]) {
        expect((await act(a, step)).status).toBe(200);
      }
      const reopened = await act(a, { action: 'reopen', note: '复核发现问题未解决' });
      expect(reopened.body).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null });
      expect(new Date(reopened.body.deadlines.resolveBy) > new Date()).toBe(true);
    });

    it('[RV1] an unsatisfied return visit reopens the case for the department head at once; a second one stands', async () => {
      const id = (await post(sampleCase({ location: here }))).body.id as string;
      for (const step of [{ action: 'dispatch' }, { action: 'accept' }, { action: 'resolve' }]) expect((await act(id, step)).status).toBe(200);
      const visited = await act(id, { action: 'evaluate', satisfaction: 'unsatisfied', note: '问题没有实际解决' });
      expect(visited.status).toBe(200);
      expect(visited.body).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null, satisfaction: null, version: 6 });
      expect(new Date(visited.body.deadlines.resolveBy) > new Date()).toBe(true);
      const read = await t.call('GET', `/api/cases/${id}`, undefined, 'officer');
      const [evaluate, reopen] = read.body.events.slice(-2);
      expect(evaluate).toMatchObject({ action: 'evaluate', note: '问题没有实际解决', actor: 'officer (env)' });
      expect(reopen).toMatchObject({ action: 'reopen', actor: 'officer (env)' });
      expect(reopen.note).toContain('一把手重办');
      expect(reopen.at).toBe(evaluate.at);
      // Re-handled and still unsatisfied: it stays evaluated and closes as any other.
      expect((await act(id, { action: 'resolve' })).body.status).toBe('resolved');
      expect((await act(id, { action: 'evaluate', satisfaction: 'unsatisfied' })).body).toMatchObject({ status: 'evaluated', reopenCount: 1, satisfaction: 'unsatisfied' });
      expect((await act(id, { action: 'close' })).body.status).toBe('closed');
      const listed = await t.call('GET', '/api/cases?rehandled=true&limit=200', undefined, 'officer');
      expect(listed.body.cases.map((c: { id: string }) => c.id)).toContain(id);
      expect(listed.body.cases.every((c: { reopenCount: number }) => c.reopenCount > 0)).toBe(true);
      const others = await t.call('GET', '/api/cases?rehandled=false&limit=200', undefined, 'officer');
      expect(others.body.cases.map((c: { id: string }) => c.id)).not.toContain(id);
    });

    it('[API17] a wall or intake token cannot act on a case', async () => {
      const id = (await post(sampleCase({ location: here }))).body.id as string;
      expect((await act(id, { action: 'dispatch' }, 'wall')).status).toBe(403);
      expect((await act(id, { action: 'dispatch' }, 'intake')).status).toBe(403);
      expect((await act(id, { action: 'dispatch' }, null)).status).toBe(401);
    });
  });

  describe('imports with history', () => {
    it('[API18] an import-capable token may send a closed record with its past; an intake token may not', async () => {
      const body = sampleCase({
        location: here,
        externalId: 'imp-1',
        reportedAt: '2026-03-02T09:00:00+08:00',
        history: [
          { action: 'dispatch', at: '2026-03-02T09:20:00+08:00' },
          { action: 'accept', at: '2026-03-02T10:00:00+08:00' },
          { action: 'resolve', at: '2026-03-03T16:00:00+08:00' },
          { action: 'close', at: '2026-03-07T16:00:00+08:00' },
        ],
      });
      expect((await post(body, 'intake')).status).toBe(403);
      const res = await post(body, 'admin');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'closed', closeReason: 'not_evaluated', version: 5 });
      expect(res.body.resolvedAt).toBe(new Date('2026-03-03T16:00:00+08:00').toISOString());
      const bad = await post({ ...body, externalId: 'imp-2', history: [{ action: 'resolve', at: '2026-03-02T10:00:00+08:00' }] }, 'admin');
      expect(bad.status).toBe(400);
      expect(bad.body.issues[0].path).toBe('history.0.action');
    });
  });

  describe('reads', () => {
    it('[API19][MASK10] a wall reads cases with personal data masked, without intake hash or actor address; an officer sees it', async () => {
      const id = (await post(sampleCase({ location: here }))).body.id as string;
      const wall = await t.call('GET', `/api/cases/${id}`, undefined, 'wall');
      expect(wall.status).toBe(200);
      const text = JSON.stringify(wall.body);
      expect(text).not.toContain('13812345678');
      expect(text).not.toContain('张三');
      expect(text).not.toContain('12号3栋402');
      expect(wall.body.case.reporter).toEqual({ name: '张*', phone: '138****5678' });
      expect(wall.body.case.masked).toBe(true);
      // No internals that lead back to a person: the intake hash, the actor's address.
      expect(text).not.toContain('intakeHash');
      for (const event of wall.body.events) expect(event.origin).not.toMatch(/:/);
      const officer = await t.call('GET', `/api/cases/${id}`, undefined, 'officer');
      expect(officer.body.case.reporter).toEqual({ name: '张三', phone: '13812345678' });
      expect(officer.body.case.location.address).toBe(here.address);
    });

    it('[API20] the list pages by cursor without repeats or gaps', async () => {
      const all = await t.call('GET', '/api/cases?limit=200', undefined, 'officer');
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { cases: { id: string }[]; nextCursor: string | null } } = await t.call(
          'GET',
          `/api/cases?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          'officer',
        );
        ids.push(...page.body.cases.map((c) => c.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids).toEqual(all.body.cases.map((c: { id: string }) => c.id));
      expect((await t.call('GET', '/api/cases?cursor=nonsense', undefined, 'officer')).status).toBe(400);
      expect((await t.call('GET', '/api/cases?limit=5000', undefined, 'officer')).status).toBe(400);
    });

    it('[API24] the list searches a case id exactly or words in titles and descriptions; % and _ are plain text', async () => {
      const posted = await t.call('POST', '/api/cases', sampleCase({ externalId: 'search-me', title: '凤凰路井盖缺失_100%危险', description: '夜间行人易跌落' }), 'intake');
      const search = async (q: string) => (await t.call('GET', `/api/cases?q=${encodeURIComponent(q)}`, undefined, 'officer')).body.cases.map((c: { id: string }) => c.id);
      expect(await search('井盖缺失')).toEqual([posted.body.id]);
      expect(await search('跌落')).toEqual([posted.body.id]);
      expect(await search(posted.body.id)).toEqual([posted.body.id]);
      expect(await search('_100%')).toEqual([posted.body.id]);
      expect(await search('%')).toEqual([posted.body.id]); // only the title with a real % sign
      expect(await search('井盖 不存在')).toEqual([]);
    });

    it('[MASK12] a wall searches the texts as it is shown them: masked digits, names and rooms confirm nothing', async () => {
      const description = '邻居蒋海涛每晚装修，住华夏路17号9栋4067，电话13987654321';
      const posted = await t.call('POST', '/api/cases', sampleCase({ externalId: 'search-masked', title: '装修噪音扰民', description, reporter: { name: '王五', phone: '13987654321' } }), 'intake');
      expect(posted.status).toBe(201);
      const search = async (q: string, role: 'wall' | 'officer') =>
        (await t.call('GET', `/api/cases?q=${encodeURIComponent(q)}`, undefined, role)).body.cases.map((c: { id: string }) => c.id);
      for (const hidden of ['1398765', '98765', '蒋海涛', '蒋海', '17号', '4067', '9栋4067']) {
        expect(await search(hidden, 'officer'), hidden).toEqual([posted.body.id]);
        expect(await search(hidden, 'wall'), hidden).toEqual([]);
      }
      // What the wall is shown, it can find: the road, the problem, the unmasked ends of a phone.
      for (const shown of ['邻居蒋', '蒋**每晚装修', '4321', '139****4321', '华夏路**号', posted.body.id]) expect(await search(shown, 'wall'), shown).toEqual([posted.body.id]);
    });

    it('[API21] config lists 6 streets, 31 communities and 18 categories', async () => {
      const res = await t.call('GET', '/api/config', undefined, 'wall');
      expect(res.status).toBe(200);
      expect(res.body.jurisdiction.streets).toHaveLength(6);
      expect(res.body.jurisdiction.communities).toHaveLength(31);
      expect(res.body.taxonomy.categories).toHaveLength(18);
    });

    it('[API22] the OpenAPI document is served and names every route', async () => {
      const res = await t.call('GET', '/api/openapi.json', undefined, null);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/api/cases', '/api/cases/batch', '/api/cases/{id}/transitions', '/api/cases/{id}', '/api/stats/summary', '/api/config']),
      );
    });
  });
});
