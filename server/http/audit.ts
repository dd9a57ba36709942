/**
 * audit(db, c, entry): records in the audit log (server/audit/audit-log.ts) what the caller of a
 * request did, naming it as its events do: its token's label and role, and its address.
 */
import type { Context } from 'hono';
import { recordAudit, type AuditEntry } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import { clientAddress, type AppEnv } from './auth.js';

export async function audit(db: Database, c: Context<AppEnv>, entry: AuditEntry): Promise<void> {
  const identity = c.get('identity');
  await recordAudit(db, { actor: identity.label, role: identity.role, tokenId: identity.id, origin: clientAddress(c) }, entry);
}
