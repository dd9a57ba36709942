/**
 * The privacy canary (RULES PRIV1): personal data planted everywhere a citizen's or an officer's
 * words go in (the intake's title, description, address and reporter, a dispatch note, a community
 * order's title and its settlement) never reaches anything a wall or the public can read: the REST
 * API with a wall token, every stream frame for a minute (alerts and their re-announcements
 * included), Open311 in JSON and XML, the reports in every format, and the wall's page in
 * Chromium. The same data is there for an officer, where an officer should see it.
 */
import { rmSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../shared/domain/calendar.js';
import type { Node } from './boot.js';
import { bootTestNode } from './testing/test-node.js';
import { OrderWriter } from './orders/order-writer.js';
import { periodContaining } from './reports/periods.js';
import { buildClient, collectErrors, findChromium, recordTraffic, waitForLive } from './testing/browser.js';
import { createTestDatabase, type TestDatabase } from './testing/databases.js';
import { connectStream, type StreamClient } from './testing/stream-client.js';
import { TEST_TOKENS } from './testing/test-app.js';

/** How long the stream is listened to (the issue asks for a minute; CANARY_STREAM_MS to shorten it by hand). */
const LISTEN_MS = Number(process.env.CANARY_STREAM_MS ?? 60_000);

const REPORTER = '欧阳明月';
const NEIGHBOUR = '戴梓萱';
const PHONE = '13987650123';
const PHONE_FULL_WIDTH = '１３６５５５４４３２１';
const ID_NUMBER = '440306199203154518';
const EMAIL = 'canary.qiu@example.org';
const HOME = '华夏路88号7栋1903';

/** What must never show, in any digit form: the hidden parts of each canary. */
const CANARIES: Record<string, string> = {
  "the reporter's given name": '明月',
  "a third person's given name": '梓萱',
  'the phone': '1398765',
  'the full-width phone': '1365554',
  'the ID number': '19920315',
  'the e-mail': 'canary.qiu',
  'the house number': '88号',
  'the building and room': '7栋1903',
};

/** Which canaries `text` holds, after NFKC (full-width digits as ASCII) and without spaces or dashes between digits. */
function leaks(text: string): string[] {
  const plain = text.normalize('NFKC');
  const joined = plain.replace(/(?<=\d)[\s-]+(?=\d)/g, '');
  return Object.entries(CANARIES)
    .filter(([, canary]) => plain.includes(canary) || joined.includes(canary))
    .map(([what]) => what);
}

const found = findChromium();

describe('privacy canary', () => {
  let testDb: TestDatabase;
  let node: Node;
  let clientDir = '';
  let browser: Browser | undefined;
  const streams: StreamClient[] = [];
  /** Every frame each stream client received, by who listened. */
  const frames = new Map<string, string[]>();
  /** Everything the wall's page showed, sampled while listening. */
  const wallDom: string[] = [];
  let caseId = '';
  let orderId = '';

  const call = async (method: string, path: string, body?: unknown, token: string | null = TEST_TOKENS.wall) => {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const text = async (path: string, token: string | null = TEST_TOKENS.wall) => {
    const res = await call('GET', path, undefined, token);
    if (!res.type.includes('spreadsheet')) return res.bytes.toString('utf8');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join('\n');
  };
  const listen = async (who: string, token: string, auth: Record<string, unknown> = {}) => {
    const client = await connectStream(node.url, { auth: { token, ...auth } });
    streams.push(client);
    const seen: string[] = [];
    frames.set(who, seen);
    if (client.state) seen.push(JSON.stringify(client.received));
    client.socket.onAny((event: string, ...args: unknown[]) => seen.push(JSON.stringify([event, args])));
    return client;
  };

  beforeAll(async () => {
    clientDir = found.path ? buildClient() : '';
    testDb = await createTestDatabase('pglite');
    node = await bootTestNode(testDb, {
      CLIENT_DIR: clientDir || undefined,
      FRAME_MS: '150',
      REANNOUNCE_SECONDS: '3',
      RISK_DELTA_SECONDS: '1',
    });

    // Listeners first, so that every frame about the planted data is heard as it happens.
    await listen('wall', TEST_TOKENS.wall);
    await listen("a street's wall", TEST_TOKENS.wall, { street: '440311001' });
    await listen('officer', TEST_TOKENS.officer);
    let page;
    if (found.path) {
      browser = await chromium.launch({ executablePath: found.path, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] });
      page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      collectErrors(page);
      const traffic = recordTraffic(page);
      await page.goto(`${node.url}/?token=${TEST_TOKENS.wall}`);
      await waitForLive(page, { traffic, serverOutput: () => '' });
    }

    // The planting: a red wage case (so alerts name it), a dispatch note, an order and its settlement.
    const intake = await call(
      'POST',
      '/api/cases',
      {
        channel: 'hotline_12345',
        category: 'labour_wages',
        peopleInvolved: 60,
        title: `${REPORTER}反映邻居${NEIGHBOUR}拖欠工资`,
        description: `住${HOME}，电话${PHONE}，另一号码${PHONE_FULL_WIDTH}，身份证${ID_NUMBER}，邮箱${EMAIL}，邻居${NEIGHBOUR}也在场`,
        location: { communityCode: '440311001001', address: `光明区${HOME}` },
        reporter: { name: REPORTER, phone: PHONE },
      },
      TEST_TOKENS.intake,
    );
    expect(intake.status, intake.bytes.toString()).toBe(201);
    caseId = JSON.parse(intake.bytes.toString()).id;
    const dispatched = await call('POST', `/api/cases/${caseId}/transitions`, { action: 'dispatch', department: 'human_resources', note: `已电话联系${NEIGHBOUR}（${PHONE}），约定到${HOME}上门` }, TEST_TOKENS.officer);
    expect(dispatched.status, dispatched.bytes.toString()).toBe(200);
    // An order issued an hour ago, so its summons is already late (the order monitor raises order_late).
    const orders = new OrderWriter({ db: node.database.db, config: node.config });
    const issued = await orders.issue(
      {
        communityCode: '440311001001',
        caseId,
        title: `${NEIGHBOUR}与${REPORTER}漏水纠纷（${HOME}，${PHONE_FULL_WIDTH}）`,
        summons: [{ department: 'housing', arriveWithinMinutes: 30, rank: 'section' }],
      },
      { label: '光明社区', role: 'officer', origin: 'test' },
      { past: { at: new Date(Date.now() - 60 * 60_000) } },
    );
    expect(issued.status).toBe(201);
    orderId = 'record' in issued ? issued.record.order.id : '';
    const settled = await call('POST', `/api/orders/${orderId}/resolve`, { note: `已化解：${NEIGHBOUR}赔偿${REPORTER}，联系${EMAIL}，身份证${ID_NUMBER}` }, TEST_TOKENS.officer);
    expect(settled.status, settled.bytes.toString()).toBe(200);

    // A minute of the stream (re-announcements every 3 s), sampling the wall's page as it goes.
    const until = Date.now() + LISTEN_MS;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      if (page) wallDom.push(await page.evaluate(() => `${document.documentElement.outerHTML}\n${document.body.innerText}`));
    }
  }, LISTEN_MS + 180_000);

  afterAll(async () => {
    for (const client of streams) client.close();
    await browser?.close();
    await node?.close();
    await testDb?.destroy();
    if (clientDir) rmSync(clientDir, { recursive: true, force: true });
  });

  it('[PRIV1] the planted data reached the officer, and the stream carried the case, its alerts and its order', () => {
    const officer = frames.get('officer')!.join('\n');
    expect(leaks(officer)).toContain("the reporter's given name");
    const wall = frames.get('wall')!.join('\n');
    expect(wall).toContain(caseId);
    expect(wall).toContain('"order_late"');
    expect(wall).toContain(orderId);
    const reannounced = frames.get('wall')!.filter((f) => f.startsWith('["alert"') && /"reannounced":[1-9]/.test(f));
    expect(reannounced.length, 'critical alerts announced again while nobody acknowledged them').toBeGreaterThan(0);
  });

  it('[PRIV1] no stream frame for a wall holds any of it, in a minute of listening', () => {
    for (const who of ['wall', "a street's wall"]) expect(leaks(frames.get(who)!.join('\n')), who).toEqual([]);
  });

  it('[PRIV1] the REST API with a wall token holds none of it; with an officer token the case and the order do', async () => {
    const paths = [
      '/api/cases?limit=200',
      `/api/cases/${caseId}`,
      `/api/cases?q=${encodeURIComponent('拖欠工资')}`,
      '/api/alerts?state=all&limit=200',
      '/api/alerts/red-list',
      '/api/orders?state=all&limit=100',
      `/api/orders/${orderId}`,
      '/api/stats/summary',
      '/api/risk/map',
      '/api/service-network',
      '/api/session',
    ];
    for (const path of paths) expect(leaks(await text(path)), path).toEqual([]);
    expect(await text(`/api/cases/${caseId}`)).toContain(caseId);
    const asOfficer = leaks(await text(`/api/cases/${caseId}`, TEST_TOKENS.officer));
    expect(asOfficer).toEqual(expect.arrayContaining(Object.keys(CANARIES)));
    expect(leaks(await text(`/api/orders/${orderId}`, TEST_TOKENS.officer))).toEqual(expect.arrayContaining(["a third person's given name", 'the e-mail']));
  });

  it('[PRIV1] the reports of the periods that hold it, in every format, hold none of it for a wall', async () => {
    const today = shanghaiDate(new Date());
    for (const kind of ['weekly', 'monthly', 'quarterly'] as const) {
      const period = periodContaining(kind, today).label;
      for (const format of ['json', 'csv', 'xlsx']) {
        const path = `/api/reports/${kind}.${format}?period=${period}`;
        const body = await text(path);
        expect(body.length, path).toBeGreaterThan(0);
        expect(leaks(body), path).toEqual([]);
      }
    }
  });

  it('[PRIV1] Open311, read by anyone, holds none of it in JSON or XML', async () => {
    for (const path of ['/open311/v2/requests.json', '/open311/v2/requests.xml', `/open311/v2/requests/${caseId}.json`, `/open311/v2/requests/${caseId}.xml`, '/open311/v2/services.json']) {
      const body = await text(path, null);
      expect(leaks(body), path).toEqual([]);
    }
    expect(await text(`/open311/v2/requests/${caseId}.json`, null)).toContain(caseId);
  });

  it.skipIf(!found.path)('[PRIV1] the wall\'s page in Chromium shows none of it, the whole minute', () => {
    expect(wallDom.length).toBeGreaterThan(3);
    expect(wallDom.some((dom) => dom.includes('拖欠工资')), 'the wall shows the planted case (its masked title)').toBe(true);
    for (const dom of wallDom) expect(leaks(dom)).toEqual([]);
  });
});

// The masked forms a reader sees are ours, not the canaries: a sanity check that `leaks` is not blind.
it('[PRIV1] the leak finder sees every canary in any digit form', () => {
  expect(leaks(`${REPORTER} ${NEIGHBOUR} ${PHONE.replace(/(\d{3})(\d{4})/, '$1-$2-')} ${PHONE_FULL_WIDTH} ${ID_NUMBER} ${EMAIL} ${HOME}`)).toEqual(Object.keys(CANARIES));
  expect(leaks('欧*** 戴** 139****0123 136****4321 440***********4518 c***@example.org 华夏路**号*栋****')).toEqual([]);
});
