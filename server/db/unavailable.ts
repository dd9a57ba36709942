/**
 * Tells a database that is unavailable for a while (connection lost or refused, the server
 * shutting down or starting up, a statement or lock timeout, the PGlite worker gone) from an
 * error in what was asked. The first is answered 503 with Retry-After and tried again later; the
 * second is a bug or bad input. Also: a database error described for a log line without the SQL
 * and parameters drizzle wraps around it (parameters carry citizens' personal data).
 */

/** SQLSTATE codes and classes that mean "not now" rather than "not this". */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, a fast restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovery)
  '57014', // query_canceled (statement_timeout)
  '55P03', // lock_not_available (lock_timeout)
  '25P03', // idle_in_transaction_session_timeout
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
]);
const UNAVAILABLE_CLASSES = ['08']; // connection_exception and its kin
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres and the PGlite worker say these in words, without a code. */
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /client was closed and is not queryable/i,
  /cannot use a pool after calling end/i,
  /query read timeout/i,
  /the PGlite worker exited/i,
  /is not currently accepting connections/i, // 55000 while a database is closed to connections
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** The error and the errors it wraps (drizzle wraps the driver's error as `cause`). */
function* chain(error: unknown): Generator<Error & { code?: unknown }> {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    yield current as Error & { code?: unknown };
    current = (current as Error).cause;
  }
}

/** True when the database cannot answer just now and the same request may succeed later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of chain(error)) {
    if (link instanceof DatabaseBusyError) return true;
    const code = typeof link.code === 'string' ? link.code : '';
    if (UNAVAILABLE_STATES.has(code) || UNAVAILABLE_ERRNOS.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(link.message))) return true;
  }
  return false;
}

/** Raised at once when the writer's queue is full: the node sheds load rather than queue without end. */
export class DatabaseBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseBusyError';
  }
}

/**
 * One line for a log: the innermost error's code and message. Drizzle's own message repeats the
 * SQL and its parameters ("Failed query: … params: …"); those never reach a log.
 */
export function describeDatabaseError(error: unknown): string {
  let innermost: (Error & { code?: unknown }) | null = null;
  for (const link of chain(error)) innermost = link;
  if (!innermost) return String(error);
  const message = innermost.message.startsWith('Failed query:') ? 'query failed' : innermost.message;
  return typeof innermost.code === 'string' ? `${innermost.code}: ${message}` : message;
}

/** Seconds a client is asked to wait before trying again (Retry-After). */
export const RETRY_AFTER_SECONDS = 5;
