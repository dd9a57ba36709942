/**
 * Implicit idempotency windows (RULES O311-7): an answer stored under another of the request's
 * keys counts (the previous 10-minute window), and a stored answer older than `withinMs` (by the
 * database's clock) no longer does.
 */
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.js';
import { sampleCase } from '../testing/test-app.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import type { Actor } from './case-writer.js';

const actor: Actor = { label: 'window test', role: 'intake', origin: 'test' };
const body = (title: string) => sampleCase({ title, location: undefined }) as never;

describeEachDatabase('idempotency windows', (kind) => {
  const db = useWriterDatabase(kind);

  it('[O311-7] an answer under an earlier window\'s key counts; one older than withinMs does not', async () => {
    const first = await db.writer.intake(body('窗口一'), actor, { idempotency: { key: 'win:a:1', requestHash: 'h1' } });
    const retried = await db.writer.intake(body('窗口一'), actor, { idempotency: { key: 'win:a:2', requestHash: 'h1', alsoKeys: ['win:a:1'], withinMs: 600_000 } });
    expect('row' in first && 'row' in retried && retried.row.id === first.row.id).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 20));
    const expired = await db.writer.intake(body('窗口一'), actor, { idempotency: { key: 'win:a:3', requestHash: 'h1', alsoKeys: ['win:a:1', 'win:a:2'], withinMs: 5 } });
    expect(expired.status).toBe(201);
    expect('row' in expired && 'row' in first && expired.row.id !== first.row.id).toBe(true);
  });
});
