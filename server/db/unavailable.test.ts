/**
 * Which database errors mean "not now" (503 with Retry-After) and which mean "not this" (RULES
 * FLT3), and the log line of a database error without drizzle's SQL and parameters.
 */
import { describe, expect, it } from 'vitest';
import { DatabaseBusyError, describeDatabaseError, isDatabaseUnavailable } from './unavailable.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
/** As drizzle wraps a driver's error. */
const wrapped = (cause: Error) => new Error('Failed query: insert into "cases" ("phone") values ($1)\nparams: 13812345678', { cause });

describe('database unavailability', () => {
  it('[FLT3] connection loss, shutdown, start-up, timeouts and a full writer queue are "not now"', () => {
    for (const error of [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006', 'connection failure'),
      pgError('57014', 'canceling statement due to statement timeout'),
      pgError('55P03', 'canceling statement due to lock timeout'),
      pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      pgError('55000', 'database "x" is not currently accepting connections'),
      new Error('the PGlite worker exited (code 1)'),
      new DatabaseBusyError('the server has 5000 writes waiting'),
    ]) {
      expect(isDatabaseUnavailable(error), error.message).toBe(true);
      expect(isDatabaseUnavailable(wrapped(error)), `wrapped: ${error.message}`).toBe(true);
    }
  });

  it('[FLT3] errors in what was asked are not', () => {
    for (const error of [
      pgError('23505', 'duplicate key value violates unique constraint "cases_pkey"'),
      pgError('22P02', 'invalid input syntax for type uuid'),
      pgError('42P01', 'relation "nope" does not exist'),
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    ]) {
      expect(isDatabaseUnavailable(wrapped(error)), error.message).toBe(false);
    }
    expect(isDatabaseUnavailable('a string')).toBe(false);
  });

  it('[FLT3] a log line names the driver\'s code and message, never the SQL or its parameters', () => {
    const line = describeDatabaseError(wrapped(pgError('23505', 'duplicate key value violates unique constraint "cases_pkey"')));
    expect(line).toBe('23505: duplicate key value violates unique constraint "cases_pkey"');
    expect(describeDatabaseError(new Error('Failed query: select $1\nparams: 13812345678'))).toBe('query failed');
  });
});
