/**
 * API tokens: stored only as sha-256 hashes in the database (shared by every node), each with a
 * role and a label; the label is the actor on every event a token writes. The env tokens seed
 * them; when a role has no env token one is generated on first start and written to a file only
 * the server's user can read. Nothing here ever logs a token.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiTokens } from '../db/schema.js';
import { isRole, type Role } from './roles.js';
import type { Scope } from './scope.js';

export interface TokenIdentity {
  id: string;
  role: Role;
  label: string;
  /** The departments and streets an officer token is bound to (server/auth/scope.ts). */
  scope: Scope;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return `cp_${randomBytes(24).toString('base64url')}`;
}

/** Advisory lock key: only one node seeds tokens at a time. */
const SEED_LOCK = 7_261_002;
const SEEDED_ROLES = ['admin', 'officer', 'wall', 'intake'] as const satisfies readonly Role[];

export interface SeedResult {
  /** Tokens generated now (first start): shown once to the person at the terminal. */
  generated: Partial<Record<Role, string>>;
  tokensFile: string;
}

/**
 * Makes sure each seeded role has a token: the env one if given (replacing an older env token of
 * that role), else the generated one kept from an earlier start, else a new one written to
 * DATA_DIR/tokens.json (mode 0600).
 */
export async function seedTokens(db: Database, envTokens: Partial<Record<Role, string>>, dataDir: string): Promise<SeedResult> {
  const tokensFile = join(dataDir, 'tokens.json');
  const generated: Partial<Record<Role, string>> = {};
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
    for (const role of SEEDED_ROLES) {
      const token = envTokens[role];
      const envLabel = `${role} (env)`;
      const genLabel = `${role} (generated)`;
      if (token) {
        const hash = hashToken(token);
        const [current] = await tx.select().from(apiTokens).where(eq(apiTokens.hash, hash));
        if (current && !current.revokedAt) continue;
        await tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(eq(apiTokens.label, envLabel), isNull(apiTokens.revokedAt)));
        if (current) await tx.update(apiTokens).set({ revokedAt: null, role }).where(eq(apiTokens.id, current.id));
        else await tx.insert(apiTokens).values({ id: randomUUID(), hash, role, label: envLabel });
        continue;
      }
      const [kept] = await tx
        .select()
        .from(apiTokens)
        .where(and(eq(apiTokens.label, genLabel), isNull(apiTokens.revokedAt)));
      if (kept) continue;
      const fresh = generateToken();
      await tx.insert(apiTokens).values({ id: randomUUID(), hash: hashToken(fresh), role, label: genLabel });
      generated[role] = fresh;
    }
  });
  if (Object.keys(generated).length > 0) writeTokensFile(tokensFile, generated);
  return { generated, tokensFile };
}

function writeTokensFile(path: string, generated: Partial<Record<Role, string>>): void {
  mkdirSync(join(path, '..'), { recursive: true });
  let existing: Record<string, string> = {};
  if (existsSync(path)) {
    try {
      existing = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    } catch {
      existing = {};
    }
  }
  writeFileSync(path, `${JSON.stringify({ ...existing, ...generated }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Reads a token generated earlier for `role` from DATA_DIR/tokens.json (tools and tests use it). */
export function readGeneratedToken(dataDir: string, role: Role): string | undefined {
  const path = join(dataDir, 'tokens.json');
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>)[role];
}

/**
 * Verifies bearer tokens against the hashes in the database, with a short cache so a request
 * costs no query; a revoked token stops working within `refreshMs` on every node.
 */
export class TokenVerifier {
  private byHash = new Map<string, { identity: TokenIdentity; hash: Buffer }>();
  private byId = new Map<string, TokenIdentity>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly refreshMs = 5_000,
  ) {}

  async verify(token: string): Promise<TokenIdentity | null> {
    if (!token || token.length > 512) return null;
    const hash = hashToken(token);
    if (Date.now() - this.loadedAt > this.refreshMs) await this.refresh();
    let found = this.lookup(hash);
    // A token made on another node a moment ago: look once more, at most once a second.
    if (!found && Date.now() - this.loadedAt > 1_000) {
      await this.refresh();
      found = this.lookup(hash);
    }
    return found;
  }

  /** The identity of a live (unrevoked) token by its id: what a session stands for. */
  async identityOf(tokenId: string): Promise<TokenIdentity | null> {
    if (Date.now() - this.loadedAt > this.refreshMs) await this.refresh();
    let found = this.byId.get(tokenId);
    if (!found && Date.now() - this.loadedAt > 1_000) {
      await this.refresh();
      found = this.byId.get(tokenId);
    }
    return found ?? null;
  }

  /** Forget the cache (after this node creates or revokes a token). */
  async refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.db.select().from(apiTokens).where(isNull(apiTokens.revokedAt));
        const next = new Map<string, { identity: TokenIdentity; hash: Buffer }>();
        for (const row of rows) {
          if (!isRole(row.role)) continue;
          const scope = { departments: row.departments ?? null, streets: row.streets ?? null };
          next.set(row.hash, { identity: { id: row.id, role: row.role, label: row.label, scope }, hash: Buffer.from(row.hash, 'hex') });
        }
        this.byHash = next;
        this.byId = new Map([...next.values()].map(({ identity }) => [identity.id, identity]));
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }

  private lookup(hash: string): TokenIdentity | null {
    const found = this.byHash.get(hash);
    if (!found) return null;
    // The lookup is keyed by a hash, never the secret; confirm in constant time all the same.
    return timingSafeEqual(found.hash, Buffer.from(hash, 'hex')) ? found.identity : null;
  }
}
