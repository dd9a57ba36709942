/**
 * A token's scope: the departments and streets an officer may see and act for. An unscoped token
 * (both null) keeps district-wide rights. A scoped one reaches a case only when the case is in
 * every dimension it names: handled by (or with) one of its departments, and in one of its
 * streets. Alerts and community orders follow their cases, streets and summoned departments.
 * The figures (counts and rates, no personal data) stay district-wide for every reader.
 */
import { and, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { alerts, cases, communityOrders, orderSummonses } from '../db/schema.js';

export interface Scope {
  /** Departments whose cases the token reaches; null: any. */
  departments: readonly string[] | null;
  /** Streets whose cases the token reaches; null: the whole district. */
  streets: readonly string[] | null;
}

export const WHOLE_DISTRICT: Scope = { departments: null, streets: null };

export const isScoped = (scope: Scope) => scope.departments !== null || scope.streets !== null;

/** "departments 城管局, streets 光明街道": how a refusal names the scope. */
export function describeScope(scope: Scope): string {
  const parts = [];
  if (scope.departments) parts.push(`departments ${scope.departments.join(', ')}`);
  if (scope.streets) parts.push(`streets ${scope.streets.join(', ')}`);
  return parts.join('; ') || 'the whole district';
}

export function caseInScope(scope: Scope, row: { department: string | null; coDepartments?: readonly string[] | null; streetCode: string | null }): boolean {
  if (scope.streets && !(row.streetCode && scope.streets.includes(row.streetCode))) return false;
  if (scope.departments) {
    const handlers = [row.department, ...(row.coDepartments ?? [])];
    if (!handlers.some((d) => d !== null && scope.departments!.includes(d))) return false;
  }
  return true;
}

/** The cases table's rows in scope, as a WHERE condition (undefined: all of them). */
export function casesInScope(scope: Scope): SQL | undefined {
  const conditions: SQL[] = [];
  if (scope.streets) conditions.push(inArray(cases.streetCode, [...scope.streets]));
  if (scope.departments) {
    const departments = sql.param([...scope.departments]);
    conditions.push(or(inArray(cases.department, [...scope.departments]), sql`${cases.coDepartments} ?| ${departments}::text[]`)!);
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/**
 * The alerts table's rows in scope: in one of its streets, and (for departments) about a case one
 * of its departments handles or a summons of one of them (`order_late|<order>|<department>`).
 */
export function alertsInScope(scope: Scope): SQL | undefined {
  const conditions: SQL[] = [];
  if (scope.streets) conditions.push(inArray(alerts.street, [...scope.streets]));
  if (scope.departments) {
    const departments = [...scope.departments];
    const theirCases = sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(${alerts.caseIds}, jsonb_build_array(${alerts.caseId}))) AS named(id)
      JOIN ${cases} c ON c.id = named.id
      WHERE c.department = ANY(${sql.param(departments)}::text[]) OR c.co_departments ?| ${sql.param(departments)}::text[])`;
    const theirSummons = or(...departments.map((d) => sql`${alerts.kind} = 'order_late' AND ${alerts.key} LIKE ${'%|' + d}`))!;
    conditions.push(or(theirCases, theirSummons)!);
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** A community order in scope: in one of its streets, and summoning one of its departments. */
export function orderInScope(scope: Scope, order: { streetCode: string | null; departments: readonly string[] }): boolean {
  if (scope.streets && !(order.streetCode && scope.streets.includes(order.streetCode))) return false;
  if (scope.departments && !order.departments.some((d) => scope.departments!.includes(d))) return false;
  return true;
}


/** The community orders table's rows in scope, as a WHERE condition (undefined: all of them). */
export function ordersInScope(scope: Scope): SQL | undefined {
  const conditions: SQL[] = [];
  if (scope.streets) conditions.push(inArray(communityOrders.streetCode, [...scope.streets]));
  if (scope.departments) {
    conditions.push(sql`EXISTS (SELECT 1 FROM ${orderSummonses} s WHERE s.order_id = ${communityOrders.id} AND s.department = ANY(${sql.param([...scope.departments])}::text[]))`);
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** Whether a case exists outside the scope (a missing case is the writer's 404 to give). */
export async function caseOutOfScope(db: Database, scope: Scope, id: string): Promise<boolean> {
  if (!isScoped(scope)) return false;
  const [row] = await db.select({ department: cases.department, coDepartments: cases.coDepartments, streetCode: cases.streetCode }).from(cases).where(sql`${cases.id} = ${id}`);
  return row !== undefined && !caseInScope(scope, row);
}

/** Whether an alert exists outside the scope. */
export async function alertOutOfScope(db: Database, scope: Scope, id: string): Promise<boolean> {
  if (!isScoped(scope)) return false;
  const [row] = await db.select({ inScope: sql<boolean>`${alertsInScope(scope) ?? sql`true`}` }).from(alerts).where(sql`${alerts.id} = ${id}`);
  return row !== undefined && !row.inScope;
}
