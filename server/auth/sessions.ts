/**
 * Browser sessions and one-time wall links. A page that opens with `?token=` or `?code=` gets an
 * HttpOnly cookie holding a random secret, never the token: the database keeps only its sha-256
 * hash, with the token it stands for, when it expires (30 days for walls, 12 hours for officers
 * and admins) and whether it was revoked. A session stops with its token. A wall link carries a
 * one-time code that opens one session for a wall token within minutes, so no long-lived secret
 * sits in a URL that a proxy might log.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiTokens, sessions, wallLinks } from '../db/schema.js';
import type { Role } from './roles.js';
import type { TokenIdentity, TokenVerifier } from './tokens.js';

const DAY_MS = 24 * 60 * 60_000;

/** How long a session lasts: a wall hangs for weeks; a person's console for a shift. */
export function sessionLifetimeMs(role: Role): number {
  return role === 'wall' ? 30 * DAY_MS : 12 * 60 * 60_000;
}

export const WALL_LINK_MINUTES = 15;

const hashOf = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const newSecret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

export async function openSession(db: Database, identity: TokenIdentity, origin: string): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const secret = newSecret('s_');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + sessionLifetimeMs(identity.role));
  await db.insert(sessions).values({ id, hash: hashOf(secret), tokenId: identity.id, expiresAt, origin });
  return { id, secret, expiresAt };
}

/**
 * A session in use past half its life is renewed for a whole one, so a wall that stays up (it asks
 * for its session every few hours) never finds itself logged out; one left unused still ends.
 */
export function needsRenewal(role: Role, expiresAt: Date, now = Date.now()): boolean {
  return expiresAt.getTime() - now < sessionLifetimeMs(role) / 2;
}

export async function renewSession(db: Database, id: string, role: Role): Promise<Date> {
  const expiresAt = new Date(Date.now() + sessionLifetimeMs(role));
  await db.update(sessions).set({ expiresAt }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
  return expiresAt;
}

/** Revokes a session by its id; false when there is no such session. */
export async function revokeSession(db: Database, id: string): Promise<boolean> {
  const rows = await db.update(sessions).set({ revokedAt: sql`coalesce(${sessions.revokedAt}, now())` }).where(eq(sessions.id, id)).returning({ id: sessions.id });
  return rows.length > 0;
}

/** The sessions still open (not revoked, not expired), newest first. */
export async function listSessions(db: Database) {
  return db
    .select()
    .from(sessions)
    .where(and(isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.createdAt));
}

/** A live wall token for a link: the one named, or the oldest. */
export async function liveWallToken(db: Database, tokenId?: string) {
  const walls = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.role, 'wall'), isNull(apiTokens.revokedAt)))
    .orderBy(apiTokens.createdAt);
  return walls.find((t) => tokenId === undefined || t.id === tokenId);
}

export async function createWallLink(db: Database, tokenId: string, createdBy: string, minutes = WALL_LINK_MINUTES): Promise<{ code: string; expiresAt: Date }> {
  const code = newSecret('w_');
  const expiresAt = new Date(Date.now() + minutes * 60_000);
  await db.insert(wallLinks).values({ hash: hashOf(code), tokenId, expiresAt, createdBy });
  return { code, expiresAt };
}

/** Uses a wall link's code once: the token it opens a session for, or null (unknown, used or expired). */
export async function redeemWallLink(db: Database, code: string): Promise<string | null> {
  const rows = await db
    .update(wallLinks)
    .set({ usedAt: sql`now()` })
    .where(and(eq(wallLinks.hash, hashOf(code)), isNull(wallLinks.usedAt), gt(wallLinks.expiresAt, sql`now()`)))
    .returning({ tokenId: wallLinks.tokenId });
  return rows[0]?.tokenId ?? null;
}

/**
 * Verifies session cookies against the hashes in the database, with a short cache as the token
 * verifier keeps (a revoked session stops within `refreshMs` on every node, at once on the node
 * that revoked it; one not in the cache is read by itself, so a session opened on another node a
 * moment ago works at once), and answers the identity of the session's token while that token
 * lives. Unknown cookies cost one indexed read each, and their client is slowed by the failure
 * limiter like a wrong token.
 */
export class SessionVerifier {
  private byHash = new Map<string, { id: string; tokenId: string; expiresAt: number }>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly tokens: TokenVerifier,
    private readonly refreshMs = 5_000,
  ) {}

  async verify(secret: string): Promise<(TokenIdentity & { sessionId: string; sessionExpiresAt: Date }) | null> {
    if (!secret || secret.length > 512) return null;
    const hash = hashOf(secret);
    if (Date.now() - this.loadedAt > this.refreshMs) await this.refresh();
    // A session opened a moment ago (on this node or another) is looked up by itself: one indexed read.
    const found = this.byHash.get(hash) ?? (await this.lookUp(hash));
    if (!found || found.expiresAt <= Date.now()) return null;
    const identity = await this.tokens.identityOf(found.tokenId);
    return identity ? { ...identity, sessionId: found.id, sessionExpiresAt: new Date(found.expiresAt) } : null;
  }

  private async lookUp(hash: string) {
    const [row] = await this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.hash, hash), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
    if (!row) return undefined;
    const entry = { id: row.id, tokenId: row.tokenId, expiresAt: row.expiresAt.getTime() };
    this.byHash.set(hash, entry);
    return entry;
  }

  /** After a renewal on this node: the new expiry at once. */
  renewed(secret: string, expiresAt: Date): void {
    const entry = this.byHash.get(hashOf(secret));
    if (entry) entry.expiresAt = expiresAt.getTime();
  }

  async refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await listSessions(this.db);
        this.byHash = new Map(rows.map((row) => [row.hash, { id: row.id, tokenId: row.tokenId, expiresAt: row.expiresAt.getTime() }]));
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }
}
