/**
 * Readiness (RULES FLT3): a node more than 5 s behind the log head, or waiting on a missing seq,
 * or not serving, is not ready; one that caught up is. The clock is injected; the log head is a
 * real database's.
 */
import { expect, it } from 'vitest';
import type { Actor } from './cases/case-writer.js';
import type { LogGap } from './live/log-follower.js';
import { createReadiness } from './readiness.js';
import { describeEachDatabase } from './testing/databases.js';
import { sampleCase } from './testing/test-app.js';
import { useWriterDatabase } from './testing/writer-database.js';

const actor: Actor = { label: 'readiness test', role: 'intake', origin: 'test' };

describeEachDatabase('readiness', (kind) => {
  const db = useWriterDatabase(kind);

  it('[FLT3] ready when caught up; not when the head seen 5 s ago is still ahead, nor on a gap, nor when not serving', async () => {
    const answers = await Promise.all([1, 2, 3].map((i) => db.writer.intake(sampleCase({ externalId: `ready-${i}`, location: undefined }) as never, actor)));
    const head = Math.max(...answers.map((a) => ('row' in a ? a.row.lastSeq : 0)));
    let clock = 1_000_000;
    let folded = 0;
    let gap: LogGap | null = null;
    let serving = true;
    const check = createReadiness({ db: db.handle.db, serving: () => serving, folded: () => folded, gap: () => gap, now: () => clock });

    expect(await check()).toMatchObject({ ready: true, detail: { head, folded: 0, behind: head } }); // behind, but not for 5 s yet
    clock += 3_000;
    expect((await check()).ready).toBe(true);
    clock += 2_500;
    const late = await check();
    expect(late).toMatchObject({ ready: false, detail: { behind: head } });
    expect(String(late.detail.reason)).toContain('behind the log');

    folded = head;
    expect(await check()).toMatchObject({ ready: true, detail: { behind: 0 } });
    gap = { seq: head + 1, since: clock };
    expect(String((await check()).detail.reason)).toContain(`missing seq ${head + 1}`);
    gap = null;
    serving = false;
    expect(await check()).toMatchObject({ ready: false, detail: { reason: 'starting or stopping' } });
  });
});
