/**
 * The audit log through the real app (RULES AUD1–AUD3): reads of personal data and tokens made
 * or revoked are recorded with who, when, what and from where; masked reads are not; admins page
 * through it with filters; old rows go after the retention.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { purgeAudit } from '../audit/audit-log.js';
import { auditLog } from '../db/schema.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';

describeEachDatabase('audit log', (kind) => {
  let t: TestApp;
  let caseId = '';
  beforeAll(async () => {
    t = await createTestApp(kind);
    const posted = await t.call('POST', '/api/cases', sampleCase({ externalId: 'audited' }), 'intake');
    expect(posted.status).toBe(201);
    caseId = posted.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });
  const entries = async (query: string) => {
    const res = await t.call('GET', `/api/audit?${query}`, undefined, 'admin');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.entries as { action: string; actor: string; role: string; subject: string | null; detail: Record<string, unknown> | null; origin: string; at: string }[];
  };

  it('[AUD1] an officer\'s read of a case, a list, a search and an export are recorded; a wall\'s masked reads are not', async () => {
    const before = (await entries('limit=500')).length;
    expect((await t.call('GET', `/api/cases/${caseId}`, undefined, 'wall')).status).toBe(200);
    expect((await t.call('GET', '/api/cases?q=%E5%8D%A0%E9%81%93', undefined, 'wall')).status).toBe(200);
    expect((await entries('limit=500')).length).toBe(before);

    expect((await t.call('GET', `/api/cases/${caseId}`, undefined, 'officer')).status).toBe(200);
    expect((await t.call('GET', '/api/cases?q=%E5%8D%A0%E9%81%93', undefined, 'officer')).status).toBe(200);
    expect((await t.call('GET', '/api/reports/weekly.csv', undefined, 'officer')).status).toBe(200);
    const [read] = await entries('action=case.read');
    expect(read).toMatchObject({ action: 'case.read', actor: 'officer (env)', role: 'officer', subject: caseId });
    expect(Date.now() - Date.parse(read!.at)).toBeLessThan(60_000);
    expect(read!.origin).toBeTruthy();
    const [search] = await entries('action=cases.search');
    expect(search).toMatchObject({ subject: '占道', detail: { shown: 1, cases: [caseId] } });
    expect((await entries('action=report.export'))[0]!.subject).toMatch(/^weekly-\d{4}-W\d{2}\.csv$/);
  });

  it('[AUD2] tokens made and revoked are recorded; only admins read the log, filtered and paged', async () => {
    const made = await t.call('POST', '/api/tokens', { role: 'wall', label: '指挥大厅东墙' }, 'admin');
    expect((await t.call('DELETE', `/api/tokens/${made.body.id}`, undefined, 'admin')).status).toBe(200);
    const [revoked, created] = await entries(`subject=${made.body.id}`);
    expect(created).toMatchObject({ action: 'token.create', actor: 'admin (env)', detail: { role: 'wall', label: '指挥大厅东墙' } });
    expect(revoked).toMatchObject({ action: 'token.revoke' });
    expect(JSON.stringify(created)).not.toContain(made.body.token);
    expect((await t.call('GET', '/api/audit', undefined, 'officer')).status).toBe(403);
    expect((await t.call('GET', '/api/audit?action=nonsense', undefined, 'admin')).status).toBe(400);
    // Pages of one: every entry once, newest first.
    const all = await entries('limit=500');
    const paged: unknown[] = [];
    let next: number | null = null;
    do {
      const page: { body: { entries: unknown[]; next: number | null } } = await t.call('GET', `/api/audit?limit=1${next ? `&before=${next}` : ''}`, undefined, 'admin');
      paged.push(...page.body.entries);
      next = page.body.next;
    } while (next);
    expect(paged).toEqual(all);
  });

  it('[AUD3] rows older than the retention are deleted', async () => {
    await t.database.db.insert(auditLog).values({ actor: 'x', role: 'officer', tokenId: null, action: 'case.read', subject: 'old', origin: 'test', at: sql`now() - interval '200 days'` as never });
    expect((await entries('subject=old')).length).toBe(1);
    expect(await purgeAudit(t.database.db, 180)).toBe(1);
    expect((await entries('subject=old')).length).toBe(0);
  });
});
