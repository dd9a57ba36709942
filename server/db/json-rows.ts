/**
 * Rows as one JSON parameter. Writing a batch as `jsonb_populate_recordset(null::table, $1)` costs
 * one parameter and one parse inside Postgres instead of tens of thousands of bound values built
 * in JavaScript: on PGlite it is about four times faster per case than a multi-row VALUES insert.
 * These helpers translate between drizzle's camelCase rows and the table's column names.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

interface ColumnInfo {
  property: string;
  column: string;
  isTime: boolean;
}

const cache = new WeakMap<PgTable, ColumnInfo[]>();

function columnsOf(table: PgTable): ColumnInfo[] {
  let info = cache.get(table);
  if (!info) {
    info = Object.entries(getTableColumns(table)).map(([property, column]) => ({
      property,
      column: column.name,
      isTime: column.columnType === 'PgTimestamp',
    }));
    cache.set(table, info);
  }
  return info;
}

/** A drizzle row → a JSON object keyed by column name (every column present, nulls included). */
export function toColumnJson(table: PgTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { property, column } of columnsOf(table)) {
    const value = row[property];
    out[column] = value instanceof Date ? value.toISOString() : (value ?? null);
  }
  return out;
}

/** A row read back as JSON (`row_to_json`) → a drizzle row with Dates. */
export function fromColumnJson<T>(table: PgTable, json: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const { property, column, isTime } of columnsOf(table)) {
    const value = json[column];
    out[property] = isTime && typeof value === 'string' ? new Date(value) : (value ?? null);
  }
  return out as T;
}

/** A JSON value as one jsonb parameter. */
export function jsonbParam(value: unknown): SQL {
  return sql`${JSON.stringify(value)}::jsonb`;
}

/** `INSERT INTO table SELECT * FROM jsonb_populate_recordset(null::table, $rows)`. */
export function insertFromJson(table: PgTable, rows: readonly Record<string, unknown>[]): SQL {
  const name = sql.identifier(getTableName(table));
  const json = jsonbParam(rows.map((row) => toColumnJson(table, row)));
  return sql`INSERT INTO ${name} SELECT * FROM jsonb_populate_recordset(null::${name}, ${json})`;
}

/** Replaces whole rows by primary key `id` from one JSON parameter. */
export function updateFromJson(table: PgTable, rows: readonly Record<string, unknown>[], key = 'id'): SQL {
  const name = sql.identifier(getTableName(table));
  const assignments = sql.join(
    columnsOf(table)
      .filter((c) => c.column !== key)
      .map((c) => sql`${sql.identifier(c.column)} = src.${sql.identifier(c.column)}`),
    sql`, `,
  );
  const json = jsonbParam(rows.map((row) => toColumnJson(table, row)));
  return sql`UPDATE ${name} AS dst SET ${assignments}
    FROM jsonb_populate_recordset(null::${name}, ${json}) AS src
    WHERE dst.${sql.identifier(key)} = src.${sql.identifier(key)}`;
}
