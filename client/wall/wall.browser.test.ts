/**
 * The wall in a real browser (playwright-core driving Debian's Chromium) against a real server
 * process: at 3840×2160 and 1920×1080 the KPI tiles reach the API's numbers after cases are
 * posted, the map canvas and the charts render, the page fits the screen without scrollbars and
 * the console stays clean. Screenshots go to test-artifacts/. (WALL1–WALL3 in RULES.md.)
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../shared/protocol/payloads.js';
import { createTestDatabase, type TestDatabase } from '../../server/testing/databases.js';
import { artifactsDir, buildClient, collectErrors, findChromium, recordTraffic, waitForLive, waitForPaintedCharts } from '../../server/testing/browser.js';
import type { RiskMap } from '../../shared/protocol/risk-map.js';
import { freePort, startServerProcess, type ServerProcess } from '../../server/testing/server-process.js';
import { sampleCase, TEST_TOKENS } from '../../server/testing/test-app.js';
import { expectedTiles } from '../../server/testing/kpi-tiles.js';
import { formatFigure } from './format.js';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';

const browserFound = findChromium();
if (browserFound.path === null) {
  describe('the wall in a browser', () => it.skip(browserFound.reason, () => undefined));
} else {
  const executablePath = browserFound.path;
  describe('the wall in a browser', () => {
    let testDb: TestDatabase;
    let server: ServerProcess;
    /** The client built for this suite alone (server/testing/browser.ts buildClient). */
    let clientDir = '';
    let browser: Browser;
    let posted = 0;

    const api = async (method: string, path: string, body?: unknown, role: keyof typeof TEST_TOKENS = 'wall', url = server.url) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKENS[role]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await res.json()) as any;
    };
    const post = async (n: number, url = server.url) => {
      const cases = Array.from({ length: n }, () => sampleCase({ externalId: `wall-${posted++}`, peopleInvolved: posted % 9 === 0 ? 50 : 1 }));
      await api('POST', '/api/cases/batch', { cases }, 'intake', url);
    };
    const tokenEnv = { ADMIN_TOKEN: TEST_TOKENS.admin, WALL_TOKEN: TEST_TOKENS.wall, INTAKE_TOKEN: TEST_TOKENS.intake };
    /** The tiles' text, and the API's summary written the same way, polled until they agree. */
    const tilesReachApi = async (page: Page, url = server.url) => {
      const expected = () => expectedTiles(async (query) => (await api('GET', `/api/stats/summary?${query}`, undefined, 'wall', url)) as Summary, undefined, { details: true });
      const shown = () =>
        page.evaluate(() =>
          Object.fromEntries([
            ...[...document.querySelectorAll('[data-kpi]')].map((e) => [e.getAttribute('data-kpi'), e.textContent]),
            ...[...document.querySelectorAll('[data-kpi-detail]')].map((e) => [`${e.getAttribute('data-kpi-detail')}.detail`, e.textContent]),
          ]),
        );
      let want = await expected();
      for (let i = 0; i < 50 && JSON.stringify(await shown()) !== JSON.stringify(want); i++) {
        await page.waitForTimeout(200);
        want = await expected();
      }
      expect(await shown()).toEqual(want);
      return want;
    };

    beforeAll(async () => {
      clientDir = buildClient();
      testDb = await createTestDatabase('pglite');
      server = await startServerProcess({ DATA_DIR: testDb.dataDir, DATABASE_URL: '', RISK_DELTA_SECONDS: '1', CLIENT_DIR: clientDir, ...tokenEnv });
      browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await testDb?.destroy();
      if (clientDir) rmSync(clientDir, { recursive: true, force: true });
    });

    for (const [width, height] of [
      [3840, 2160],
      [1920, 1080],
    ] as const) {
      it(`[WALL1][WALL2][WALL3] at ${width}×${height}: tiles reach the API, map and charts render, it fits, no console errors`, { timeout: 90_000 }, async () => {
        const page = await browser.newPage({ viewport: { width, height } });
        const errors = collectErrors(page);
        const riskAnswers: number[] = [];
        page.on('response', (r) => void (r.url().endsWith('/api/risk/map') && riskAnswers.push(r.status())));
        const traffic = recordTraffic(page);
        await page.goto(`${server.url}/?token=${TEST_TOKENS.wall}`);
        await waitForLive(page, { traffic, serverOutput: server.output });
        expect(page.url()).not.toContain('token='); // swapped for the session cookie

        await post(40);
        // A community order answered on time after the wall opened: the execution tile and the
        // small line under it must both follow the stream.
        const order = await api('POST', '/api/orders', { communityCode: GUANGMING.communities[0]!.code, title: '漏水纠纷', summons: [{ department: 'housing', arriveWithinMinutes: 30, rank: 'section' }] }, 'admin');
        expect(order.id, JSON.stringify(order)).toBeTruthy();
        await api('POST', `/api/orders/${order.id}/arrivals`, { department: 'housing', rank: 'section' }, 'admin');
        await post(25);
        const want = await tilesReachApi(page);
        expect(Number(want.received)).toBeGreaterThanOrEqual(65);
        expect(want['executionRate.detail']).toMatch(/应到 [1-9]/);

        await page.waitForSelector('.maplibregl-canvas', { timeout: 20_000 });
        // ECharts creates its canvas on the first paint (an animation frame): on a loaded machine
        // that can come after the tiles, so wait for it rather than count at once.
        for (const chart of ['hourly', 'channels', 'categories']) {
          await page.waitForSelector(`[data-chart="${chart}"] canvas`, { timeout: 20_000 });
        }
        const fits = await page.evaluate(() => ({
          width: document.documentElement.scrollWidth <= window.innerWidth,
          height: document.documentElement.scrollHeight <= window.innerHeight,
        }));
        expect(fits).toEqual({ width: true, height: true });

        // The map marks red cases (every ninth posted involves 50 people) with pulsing markers; the
        // boards have rows; no list shows a half-cut line.
        await page.waitForSelector('.pulse', { timeout: 10_000 });
        expect(await page.locator('[data-board="departments"] tbody tr').count()).toBeGreaterThan(0);
        expect(await page.locator('[data-board="streets"] tbody tr').count()).toBeGreaterThan(0);
        const clipped = await page.evaluate(() =>
          [...document.querySelectorAll('.feed, .board-body')].filter((box) => {
            const bottom = box.getBoundingClientRect().bottom;
            return [...box.querySelectorAll('li, tr')].some((row) => row.getBoundingClientRect().bottom > bottom + 1);
          }).length,
        );
        expect(clipped).toBe(0);

        // The communities' risk layer is loaded, with its legend.
        expect(riskAnswers).toContain(200);
        expect(await page.locator('[data-risk-legend] span').count()).toBe(4);

        // Sound stays off, and says so, until someone clicks the wall.
        expect(await page.getAttribute('[data-sound]', 'data-sound')).toBe('off');
        await page.click('[data-sound]');
        await page.waitForSelector('[data-sound="on"]', { timeout: 5_000 });
        await waitForPaintedCharts(page);
        await page.screenshot({ path: join(artifactsDir(), `wall-${width}x${height}.png`) });
        expect(errors).toEqual([]);
        await page.close();
      });
    }

    it('[WALL4] ?lang=en speaks English, ?kiosk=1 hides the cursor, and the wall stays clean', { timeout: 60_000 }, async () => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const errors = collectErrors(page);
      const traffic = recordTraffic(page);
      await page.goto(`${server.url}/?token=${TEST_TOKENS.wall}&lang=en&kiosk=1`);
      await waitForLive(page, { traffic, serverOutput: server.output });
      await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('Guangming District'), undefined, { timeout: 10_000 });
      expect(await page.locator('.kpi .label').first().textContent()).toBe('Received today');
      expect(await page.textContent('[data-connection]')).toContain('Live');
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('.wall')!).cursor)).toBe('none');
      expect(await page.textContent('[data-sound]')).toBe('Sound off');
      await page.waitForSelector('[data-chart="hourly"] canvas', { timeout: 20_000 });
      await page.screenshot({ path: join(artifactsDir(), 'wall-en-kiosk-1920x1080.png') });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('[SES5] a one-time wall link opens the wall live; the code leaves the address bar, the cookie is out of the page\'s reach, and the link works once', { timeout: 60_000 }, async () => {
      const link = await api('POST', '/api/wall-links', {}, 'admin');
      expect(link.url).toMatch(/\?code=/);
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      const errors = collectErrors(page);
      const traffic = recordTraffic(page);
      await page.goto(`${server.url}/?code=${link.code}`);
      await waitForLive(page, { traffic, serverOutput: server.output });
      expect(page.url()).not.toContain('code=');
      expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'cp_session', httpOnly: true, sameSite: 'Strict' });
      expect(cookie!.value).not.toContain(TEST_TOKENS.wall);
      // The same link in another browser opens nothing.
      const again = await browser.newContext();
      const refused = await again.request.post(`${server.url}/api/session`, { data: { code: link.code } });
      expect(refused.status()).toBe(401);
      await again.close();
      expect(errors).toEqual([]);
      await context.close();
    });

    it('[WALL7] the risk layer: communities and hexagons from the API, kept current by the stream; the service circles and their share', { timeout: 60_000 }, async () => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const errors = collectErrors(page);
      const traffic = recordTraffic(page);
      await page.goto(`${server.url}/?token=${TEST_TOKENS.wall}`);
      await waitForLive(page, { traffic, serverOutput: server.output });
      const held = (name: string) => page.evaluate((key) => document.querySelector<HTMLElement>('.map-panel .maplibregl-map')?.dataset[key] ?? null, name);
      const until = async (check: () => Promise<boolean>, what: string) => {
        for (let i = 0; i < 100 && !(await check()); i++) await page.waitForTimeout(200);
        expect(await check(), what).toBe(true);
      };
      const riskMap = async () => (await api('GET', '/api/risk/map')) as RiskMap;
      const cells = async () => (await riskMap()).features.filter((f) => f.properties.layer === 'cell').length;
      await until(async () => (await held('riskCommunities')) === '31', 'the 31 communities are on the map');
      await until(async () => (await held('riskCells')) === String(await cells()), 'the map holds the API\'s hexagons');

      // The service halls and the share of today's cases within their circles, as the API says (no case posted since the wall loaded them).
      const network = await api('GET', '/api/service-network');
      await until(async () => (await held('serviceSites')) === String(network.sites.length), 'the service sites are on the map');
      expect(network.sites.length).toBe(1 + 6 + 31);
      expect(await page.textContent('[data-service-share]')).toBe(`500米服务圈 · 今日圈内 ${formatFigure(network.today.share, 'rate')}`);

      // A red case at a spot no other case uses: its hexagon arrives by the stream, not by a reload.
      const before = Number(await held('riskCells'));
      await api('POST', '/api/cases', sampleCase({ externalId: 'wall-risk-spot', peopleInvolved: 80, category: 'labour_wages', location: { lat: 22.7931, lng: 113.8952 } }), 'intake');
      await until(async () => Number(await held('riskCells')) === before + 1, 'the new hexagon reached the wall');
      expect(Number(await held('riskCells'))).toBe(await cells());

      await page.screenshot({ path: join(artifactsDir(), 'wall-risk-1920x1080.png') });
      expect(errors).toEqual([]);
      await page.close();
    });

    it('[WALL5] the server dies (kill -9): the wall says since when it is stale, reconnects by itself and catches up', { timeout: 120_000 }, async () => {
      const ownDb = await createTestDatabase('pglite');
      const port = await freePort();
      const env = { DATA_DIR: ownDb.dataDir, DATABASE_URL: '', PORT: String(port), CLIENT_DIR: clientDir, ...tokenEnv };
      let node = await startServerProcess(env);
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const errors = collectErrors(page);
      try {
        const traffic = recordTraffic(page);
        await page.goto(`${node.url}/?token=${TEST_TOKENS.wall}`);
        await waitForLive(page, { traffic, serverOutput: node.output });
        await post(20, node.url);
        await tilesReachApi(page, node.url);
        expect(errors).toEqual([]); // a clean wall before the fault

        await node.kill9();
        await page.waitForSelector('[data-connection="stale"]', { timeout: 15_000 });
        expect(await page.textContent('[data-connection]')).toMatch(/数据停在 \d\d:\d\d:\d\d/);
        expect(await page.evaluate(() => getComputedStyle(document.querySelector('.kpis')!).opacity)).toBe('0.45'); // dimmed
        await page.screenshot({ path: join(artifactsDir(), 'wall-stale-1920x1080.png') });

        node = await startServerProcess(env);
        await post(15, node.url);
        await waitForLive(page, { traffic, serverOutput: node.output });
        const want = await tilesReachApi(page, node.url);
        expect(Number(want.received)).toBe(35);
        // While the server was gone the browser reported the refused connections. Anything else
        // said then is kept in test-artifacts (a library may say more about a server that vanished
        // mid-request); after the wall is back, nothing at all.
        const duringOutage = errors.splice(0).filter((e) => !/WebSocket connection|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e));
        writeFileSync(join(artifactsDir(), 'wall-outage-console.txt'), duringOutage.join('\n---\n'));
        await post(5, node.url);
        expect(Number((await tilesReachApi(page, node.url)).received)).toBe(40);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
        await node.stop();
        await ownDb.destroy();
      }
    });
  });
}
