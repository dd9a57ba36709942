/**
 * How a case row is shown to a reader: ISO times, grouped fields, and personal data masked for
 * anyone without the right to see it (walls, public reads). Masking happens here, on the server,
 * before anything leaves; the client never sees the clear values.
 */
import { maskAddress, maskFreeText, maskName, maskPhone } from '../../shared/domain/masking.js';
import type { CaseBrief, CaseEventView, CaseReceipt, CaseView } from '../../shared/protocol/payloads.js';
import type { caseEvents } from '../db/schema.js';
import type { CaseRow } from './new-case.js';

/** Map points shown to walls snap to about 100 m (0.001° of latitude ≈ 111 m). */
export function snapCoordinate(value: number): number {
  return Math.round(value * 1000) / 1000;
}

const iso = (at: Date | null): string | null => (at ? at.toISOString() : null);

export function toCaseView(row: CaseRow, options: { masked: boolean }): CaseView {
  const masked = options.masked;
  const known = { name: row.reporterName, address: row.address };
  const text = (value: string | null) => (value && masked ? maskFreeText(value, known) : value);
  return {
    id: row.id,
    seq: row.lastSeq,
    version: row.version,
    status: row.status as CaseView['status'],
    channel: row.channel as CaseView['channel'],
    externalId: row.externalId,
    category: row.category,
    item: row.item,
    title: text(row.title) ?? '',
    description: text(row.description),
    tier: row.tier as CaseView['tier'],
    urgency: row.urgency as CaseView['urgency'],
    riskGrade: row.riskGrade as CaseView['riskGrade'],
    riskReasons: row.riskReasons,
    department: row.department,
    routedBy: row.routedBy,
    coDepartments: row.coDepartments,
    escalationLevel: row.escalationLevel as CaseView['escalationLevel'],
    streetCode: row.streetCode,
    communityCode: row.communityCode,
    outOfArea: row.outOfArea,
    location: {
      lat: row.lat === null ? null : masked ? snapCoordinate(row.lat) : row.lat,
      lng: row.lng === null ? null : masked ? snapCoordinate(row.lng) : row.lng,
      address: row.address && masked ? maskAddress(row.address) : row.address,
      gridCode: row.gridCode,
    },
    reporter: {
      name: row.reporterName && masked ? maskName(row.reporterName) : row.reporterName,
      phone: row.reporterPhone && masked ? maskPhone(row.reporterPhone) : row.reporterPhone,
    },
    peopleInvolved: row.peopleInvolved,
    amountCny: row.amountCny,
    receivedAt: row.receivedAt.toISOString(),
    deadlines: {
      respondBy: row.respondBy.toISOString(),
      acceptBy: row.acceptBy.toISOString(),
      resolveBy: row.resolveBy.toISOString(),
    },
    respondedAt: iso(row.respondedAt),
    acceptedAt: iso(row.acceptedAt),
    resolvedAt: iso(row.resolvedAt),
    evaluatedAt: iso(row.evaluatedAt),
    closedAt: iso(row.closedAt),
    closeReason: row.closeReason,
    satisfaction: row.satisfaction as CaseView['satisfaction'],
    mergedInto: row.mergedInto,
    returnCount: row.returnCount,
    reopenCount: row.reopenCount,
    demo: row.demo,
    masked,
  };
}

/** A case in brief for the stream's newest cases (masked as `toCaseView` masks). */
export function toCaseBrief(row: CaseRow, options: { masked: boolean }): CaseBrief {
  const v = toCaseView(row, options);
  return {
    id: v.id,
    seq: v.seq,
    status: v.status,
    channel: v.channel,
    category: v.category,
    title: v.title,
    tier: v.tier,
    riskGrade: v.riskGrade,
    department: v.department,
    streetCode: v.streetCode,
    communityCode: v.communityCode,
    outOfArea: v.outOfArea,
    location: v.location,
    receivedAt: v.receivedAt,
    demo: v.demo,
    masked: v.masked,
  };
}

/** The short answer per item of a batch: what the intake decided, no personal data. */
export function toReceipt(row: CaseRow): CaseReceipt {
  return {
    id: row.id,
    seq: row.lastSeq,
    status: row.status as CaseReceipt['status'],
    tier: row.tier as CaseReceipt['tier'],
    riskGrade: row.riskGrade as CaseReceipt['riskGrade'],
    department: row.department,
    streetCode: row.streetCode,
    communityCode: row.communityCode,
    outOfArea: row.outOfArea,
    deadlines: {
      respondBy: row.respondBy.toISOString(),
      acceptBy: row.acceptBy.toISOString(),
      resolveBy: row.resolveBy.toISOString(),
    },
  };
}

type EventRecord = typeof caseEvents.$inferSelect;

/** Personal fields inside an event's data (a created case carries the whole row). */
const PERSONAL_EVENT_FIELDS = ['reporterName', 'reporterPhone', 'address', 'lat', 'lng', 'extras', 'title', 'description'] as const;

export function toEventView(event: EventRecord, options: { masked: boolean }): CaseEventView {
  let data = event.data;
  const known = { name: data.reporterName as string | undefined, address: data.address as string | undefined };
  if (options.masked) {
    data = { ...data };
    for (const field of PERSONAL_EVENT_FIELDS) {
      const value = data[field];
      if (value === undefined || value === null) continue;
      if (field === 'reporterName') data[field] = maskName(String(value));
      else if (field === 'reporterPhone') data[field] = maskPhone(String(value));
      else if (field === 'address') data[field] = maskAddress(String(value));
      else if (field === 'lat' || field === 'lng') data[field] = snapCoordinate(Number(value));
      else if (field === 'extras') delete data[field];
      else data[field] = maskFreeText(String(value), known);
    }
    delete data.intakeHash; // a hash over the intake, phone included: guessable from a few candidates
  }
  return {
    seq: event.seq,
    type: event.type,
    action: event.action,
    at: event.at.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    actor: event.actor,
    // Where an actor came from is its channel for a masked reader ("http"), never its address.
    origin: options.masked && event.origin ? event.origin.split(':')[0]! : event.origin,
    note: event.note && options.masked ? maskFreeText(event.note, known) : event.note,
    data,
  };
}
