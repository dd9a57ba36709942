/**
 * The order monitor: every few seconds, by the database's clock, it raises an `order_late` alert for
 * each summoned department not arrived by its deadline (RULES ORD5). The alert is the deadline
 * crossing in the log, so the execution rate stays a pure function of the log; its key makes it
 * once-only however many nodes run a monitor.
 */
import type { Actor, AlertRow } from '../cases/case-writer.js';
import { startPeriodic, type Periodic } from '../live/periodic.js';
import type { OrderWriter } from './order-writer.js';

const ACTOR: Actor = { label: 'order monitor', role: 'admin', origin: 'monitor' };

export function createOrderMonitor(deps: { orders: OrderWriter; intervalMs?: number; log?: (line: string) => void }): Periodic<AlertRow[]> {
  return startPeriodic(() => deps.orders.raiseLate(ACTOR), { intervalMs: deps.intervalMs ?? 5_000, name: 'order monitor', log: deps.log });
}
