/**
 * The duty officer's console and the leader's glance in a real browser (playwright-core driving
 * Debian's Chromium) against a real server process (RULES CON1–CON3, GLA1): two officers'
 * consoles see one acknowledgement at once, a case is walked through its loop from the console,
 * a wall token acts on nothing, and the glance fits a phone with the API's numbers.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../shared/protocol/payloads.js';
import { artifactsDir, buildClient, collectErrors, findChromium, recordTraffic, waitForLive } from '../../server/testing/browser.js';
import { createTestDatabase, type TestDatabase } from '../../server/testing/databases.js';
import { startServerProcess, type ServerProcess } from '../../server/testing/server-process.js';
import { expectedTiles } from '../../server/testing/kpi-tiles.js';
import { sampleCase, TEST_TOKENS } from '../../server/testing/test-app.js';

const browserFound = findChromium();

if (browserFound.path === null) {
  describe('the console and the glance in a browser', () => it.skip(browserFound.reason, () => undefined));
} else {
  const executablePath = browserFound.path;
  describe('the console and the glance in a browser', () => {
    let testDb: TestDatabase;
    let server: ServerProcess;
    /** The client built for this suite alone (server/testing/browser.ts buildClient). */
    let clientDir = '';
    let browser: Browser;
    let secondOfficer: string;
    const contexts: BrowserContext[] = [];

    const api = async (method: string, path: string, body?: unknown, token: string = TEST_TOKENS.admin) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    /** A page in a browser context of its own (its own session cookie), with its errors collected. */
    const openPage = async (path: string, token: string, viewport = { width: 1920, height: 1080 }) => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      const errors = collectErrors(page);
      const traffic = recordTraffic(page);
      await page.goto(`${server.url}${path}?token=${token}`);
      await waitForLive(page, { traffic, serverOutput: server.output });
      return { page, errors };
    };
    const alertRow = (page: Page, id: string) => page.locator(`[data-alert-id="${id}"]`);

    beforeAll(async () => {
      clientDir = buildClient();
      testDb = await createTestDatabase('pglite');
      server = await startServerProcess({
        DATA_DIR: testDb.dataDir,
        CLIENT_DIR: clientDir,
        DATABASE_URL: '',
        ADMIN_TOKEN: TEST_TOKENS.admin,
        OFFICER_TOKEN: TEST_TOKENS.officer,
        WALL_TOKEN: TEST_TOKENS.wall,
        INTAKE_TOKEN: TEST_TOKENS.intake,
      });
      const created = await api('POST', '/api/tokens', { role: 'officer', label: '值班员乙' });
      expect(created.status).toBe(201);
      secondOfficer = created.body.token;
      browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] });
    }, 120_000);
    afterAll(async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser?.close();
      await server?.stop();
      await testDb?.destroy();
      if (clientDir) rmSync(clientDir, { recursive: true, force: true });
    });

    it('[CON1] an alert acknowledged on one officer\'s console shows acknowledged on the other at once', { timeout: 60_000 }, async () => {
      const a = await openPage('/console', TEST_TOKENS.officer);
      const b = await openPage('/console', secondOfficer);
      const posted = await api('POST', '/api/cases', sampleCase({ externalId: 'console-red', category: 'labour_wages', peopleInvolved: 60 }), TEST_TOKENS.intake);
      expect(posted.status).toBe(201);
      const alerts = async () => (await api('GET', '/api/alerts?state=open', undefined, TEST_TOKENS.officer)).body.alerts as { id: string; caseId: string; kind: string }[];
      let red: { id: string } | undefined;
      for (let i = 0; i < 50 && !red; i++) {
        red = (await alerts()).find((x) => x.caseId === posted.body.id && x.kind === 'red_case');
        if (!red) await new Promise((r) => setTimeout(r, 200));
      }
      expect(red, 'the deadline monitor raised the red-case alert').toBeDefined();
      for (const { page } of [a, b]) await alertRow(page, red!.id).waitFor({ timeout: 10_000 });
      expect(await alertRow(b.page, red!.id).getAttribute('data-acked')).toBe('false');

      await alertRow(a.page, red!.id).locator('[data-action="ack"]').click();
      await b.page.waitForSelector(`[data-alert-id="${red!.id}"][data-acked="true"]`, { timeout: 5_000 });
      expect(await alertRow(b.page, red!.id).textContent()).toContain('officer');
      const listed = (await api('GET', '/api/alerts?state=all', undefined, TEST_TOKENS.officer)).body.alerts.find((x: { id: string }) => x.id === red!.id);
      expect(listed.ackedBy).toBeTruthy();
      await b.page.screenshot({ path: join(artifactsDir(), 'console-1920x1080.png') });
      expect([...a.errors, ...b.errors]).toEqual([]);
    });

    it('[CON2] a case is walked through its loop from the console; a refused action shows the server\'s reason', { timeout: 60_000 }, async () => {
      const { page, errors } = await openPage('/console', TEST_TOKENS.officer);
      const posted = await api('POST', '/api/cases', sampleCase({ externalId: 'console-loop' }), TEST_TOKENS.intake);
      await page.fill('[data-search]', posted.body.id);
      await page.press('[data-search]', 'Enter');
      const panel = page.locator(`[data-case-id="${posted.body.id}"]`);
      await panel.waitFor({ timeout: 10_000 });
      expect(await panel.textContent()).toContain('13812345678'); // an officer sees the reporter in clear

      const step = async (action: string, status: string, fill?: () => Promise<void>) => {
        await panel.locator(`[data-transition="${action}"]`).click();
        await fill?.();
        await panel.locator('[data-submit]').click();
        await page.waitForSelector(`[data-case-id="${posted.body.id}"][data-case-status="${status}"]`, { timeout: 10_000 });
      };
      await step('dispatch', 'dispatched');
      await step('accept', 'accepted');
      await step('resolve', 'resolved');
      // Merging a resolved case is not legal: the button is not offered; reopening is.
      expect(await panel.locator('[data-transition="merge"]').count()).toBe(0);
      await step('evaluate', 'evaluated', async () => {
        await panel.locator('select[name="satisfaction"]').selectOption('satisfied');
      });
      await step('close', 'closed');
      const detail = (await api('GET', `/api/cases/${posted.body.id}`, undefined, TEST_TOKENS.officer)).body;
      expect(detail.case.status).toBe('closed');
      expect(detail.events.map((e: { action: string | null }) => e.action).filter(Boolean)).toEqual(['dispatch', 'accept', 'resolve', 'evaluate', 'close']);
      expect(await panel.locator('.events li').count()).toBe(detail.events.length);

      // A stale version: someone else moved the case; the console says why it refused.
      const other = await api('POST', '/api/cases', sampleCase({ externalId: 'console-stale' }), TEST_TOKENS.intake);
      await page.fill('[data-search]', other.body.id);
      await page.press('[data-search]', 'Enter');
      const second = page.locator(`[data-case-id="${other.body.id}"]`);
      await second.waitFor({ timeout: 10_000 });
      expect((await api('POST', `/api/cases/${other.body.id}/transitions`, { action: 'dispatch' }, TEST_TOKENS.officer)).status).toBe(200);
      await second.locator('[data-transition="escalate"]').click();
      await second.locator('[data-submit]').click();
      await page.waitForSelector('[data-error]', { timeout: 10_000 });
      expect(await page.textContent('[data-error]')).toMatch(/version/);
      expect(errors.filter((e) => !e.includes('409'))).toEqual([]); // the browser logs the refused request itself
    });

    it('[CON4] a community order on the console: a department reports in, the order is settled', { timeout: 60_000 }, async () => {
      const { page, errors } = await openPage('/console', TEST_TOKENS.officer);
      const community = (await api('GET', '/api/config', undefined, TEST_TOKENS.officer)).body.jurisdiction.communities[0];
      const issued = await api(
        'POST',
        '/api/orders',
        { communityCode: community.code, title: '小区停车收费纠纷', summons: [{ department: 'housing', arriveWithinMinutes: 30, rank: 'section' }, { department: 'market_regulation', arriveWithinMinutes: 60, rank: 'staff' }] },
        TEST_TOKENS.officer,
      );
      expect(issued.status).toBe(201);
      const order = page.locator(`[data-order-id="${issued.body.id}"]`);
      await order.waitFor({ timeout: 20_000 }); // the next refresh at the latest
      expect(await order.locator('[data-summons="housing"]').getAttribute('data-state')).toBe('pending');
      await order.locator('[data-summons="housing"] [data-action="arrive"]').click();
      await page.waitForSelector(`[data-order-id="${issued.body.id}"] [data-summons="housing"][data-state="on_time"]`, { timeout: 10_000 });
      const read = (await api('GET', `/api/orders/${issued.body.id}`, undefined, TEST_TOKENS.officer)).body;
      expect(read.summonses.find((x: { department: string }) => x.department === 'housing')).toMatchObject({ state: 'on_time', arrivedRank: 'section' });
      await order.locator('input[name="note"]').fill('物业与业主代表达成一致');
      await order.locator('[data-action="settle"]').click();
      await order.waitFor({ state: 'detached', timeout: 10_000 });
      expect((await api('GET', `/api/orders/${issued.body.id}`, undefined, TEST_TOKENS.officer)).body.resolution).toBe('物业与业主代表达成一致');
      expect(errors).toEqual([]);
    });

    it('[CON5] an unsatisfied return visit entered on the console hands the case to the department head', { timeout: 60_000 }, async () => {
      const { page, errors } = await openPage('/console', TEST_TOKENS.officer);
      const posted = await api('POST', '/api/cases', sampleCase({ externalId: 'console-revisit' }), TEST_TOKENS.intake);
      for (const action of ['dispatch', 'accept', 'resolve']) expect((await api('POST', `/api/cases/${posted.body.id}/transitions`, { action }, TEST_TOKENS.officer)).status).toBe(200);
      await page.fill('[data-search]', posted.body.id);
      await page.press('[data-search]', 'Enter');
      const panel = page.locator(`[data-case-id="${posted.body.id}"]`);
      await panel.waitFor({ timeout: 10_000 });
      await panel.locator('[data-transition="evaluate"]').click();
      await panel.locator('select[name="satisfaction"]').selectOption('unsatisfied');
      await panel.locator('[data-submit]').click();
      await page.waitForSelector(`[data-case-id="${posted.body.id}"][data-case-status="reopened"]`, { timeout: 10_000 });
      expect(await panel.locator('[data-rehandled]').textContent()).toContain('一把手重办 1 次');
      await page.locator('select[data-filter="rehandled"]').selectOption('true');
      await page.waitForSelector(`[data-case-row="${posted.body.id}"] [data-rehandled]`, { timeout: 10_000 });
      await page.screenshot({ path: join(artifactsDir(), 'console-orders-rehandled.png') });
      expect(errors).toEqual([]);
    });

    it('[CON3] a wall token sees the console read-only and cannot act', { timeout: 60_000 }, async () => {
      const { page, errors } = await openPage('/console', TEST_TOKENS.wall);
      await page.waitForSelector('[data-readonly]', { timeout: 10_000 });
      await page.waitForSelector('[data-alert-id]', { timeout: 10_000 });
      expect(await page.locator('[data-action="ack"]').count()).toBe(0);
      const anyCase = (await api('GET', '/api/cases?limit=1', undefined, TEST_TOKENS.officer)).body.cases[0];
      await page.fill('[data-search]', anyCase.id);
      await page.press('[data-search]', 'Enter');
      await page.locator(`[data-case-id="${anyCase.id}"]`).waitFor({ timeout: 10_000 });
      expect(await page.locator('[data-transition]').count()).toBe(0);
      expect(await page.textContent(`[data-case-id="${anyCase.id}"]`)).not.toContain('13812345678'); // masked for a wall
      // The server refuses whatever the page shows: the wall's own session cookie cannot act.
      const refused = await page.evaluate(async (id) => {
        const res = await fetch(`/api/cases/${id}/transitions`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{"action":"escalate"}' });
        const ack = await fetch('/api/alerts/AL1/ack', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' });
        return [res.status, ack.status];
      }, anyCase.id);
      expect(refused).toEqual([403, 403]);
      expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
    });

    it('[CON6][SCOPE2] a street-bound officer\'s console lists only its street and cannot act outside it', { timeout: 60_000 }, async () => {
      const [here, there] = ['440311001', '440311002'];
      const post = async (tag: string, communityCode: string) => {
        const res = await api('POST', '/api/cases', sampleCase({ externalId: `con4-${tag}`, title: `街道范围${tag}`, location: { communityCode } }), TEST_TOKENS.intake);
        expect(res.status).toBe(201);
        return res.body.id as string;
      };
      const mine = await post('mine', '440311001001');
      const theirs = await post('theirs', '440311002001');
      const made = await api('POST', '/api/tokens', { role: 'officer', label: '光明街道值班员', streets: [here] });
      expect(made.status).toBe(201);
      const { page, errors } = await openPage('/console', made.body.token);
      await page.locator(`[data-case-row="${mine}"]`).waitFor({ timeout: 10_000 });
      const rows = await page.locator('[data-case-row]').evaluateAll((items) => items.map((item) => item.getAttribute('data-case-row')));
      expect(rows).not.toContain(theirs);
      const streetsShown = await Promise.all(
        rows.map(async (id) => (await api('GET', `/api/cases/${id}`, undefined, TEST_TOKENS.officer)).body.case.streetCode as string),
      );
      expect(new Set(streetsShown)).toEqual(new Set([here]));
      expect(await page.textContent('.who')).toContain('限 光明街道');
      await page.screenshot({ path: join(artifactsDir(), 'console-street-scoped.png') });
      // The server refuses what the page does not offer: another street's case, read or moved.
      const refused = await page.evaluate(async (id) => {
        const read = await fetch(`/api/cases/${id}`, { credentials: 'same-origin' });
        const act = await fetch(`/api/cases/${id}/transitions`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{"action":"escalate"}' });
        return [read.status, act.status];
      }, theirs);
      expect(refused).toEqual([403, 403]);
      expect((await api('GET', `/api/cases/${theirs}`, undefined, TEST_TOKENS.officer)).body.case.version).toBe(1);
      expect(there).not.toBe(here);
      expect(errors.filter((e) => !e.includes('403'))).toEqual([]);
    });

    it('[GLA1] the glance on a 390×844 phone: the API\'s numbers, no sideways scrolling, a street alone on a tap', { timeout: 60_000 }, async () => {
      const { page, errors } = await openPage('/glance', TEST_TOKENS.wall, { width: 390, height: 844 });
      const expected = (street?: string) => expectedTiles(async (query) => (await api('GET', `/api/stats/summary?${query}`, undefined, TEST_TOKENS.wall)).body as Summary, street);
      const shown = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-kpi]')].map((e) => [e.getAttribute('data-kpi'), e.textContent])));
      const agree = async (street?: string) => {
        let want = await expected(street);
        for (let i = 0; i < 50 && JSON.stringify(await shown()) !== JSON.stringify(want); i++) {
          await page.waitForTimeout(200);
          want = await expected(street);
        }
        expect(await shown()).toEqual(want);
      };
      await agree();
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: join(artifactsDir(), 'glance-390x844.png'), fullPage: true });

      const link = page.locator('[data-street-link]').first();
      const street = await link.getAttribute('data-street-link');
      await link.click();
      await page.waitForSelector(`[data-glance][data-street="${street}"]`, { timeout: 10_000 });
      await page.waitForSelector('[data-connection="live"]', { timeout: 10_000 });
      await agree(street!);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(errors).toEqual([]);
    });
  });
}
