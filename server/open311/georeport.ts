/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) in our terms (RULES O311-1–O311-6):
 * the services are the duty list's items (`<category>-<item>`), a posted request becomes a case on
 * the `app` channel through the one intake path, and a case reads back as a service request with
 * our status folded to open/closed (the detail in `status_notes`), the department as
 * `agency_responsible` and the resolve deadline as `expected_datetime`. Public reads are masked as a
 * wall's are. Pure: the routes (server/http/routes/open311.ts) do the I/O.
 */
import { shanghaiIso } from '../../shared/domain/calendar.js';
import { isOpen, type Status } from '../../shared/domain/case.js';
import { maskAddress, maskFreeText } from '../../shared/domain/masking.js';
import type { Taxonomy } from '../../shared/domain/taxonomy.js';
import { ReporterInput, type CaseIntake } from '../../shared/protocol/payloads.js';
import { snapCoordinate } from '../cases/case-view.js';
import type { CaseRow } from '../cases/new-case.js';
import { findPoison } from '../../shared/protocol/poison.js';

/** GeoReport v2 service list entry. */
export interface Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime' | 'batch' | 'blackbox';
  keywords: string;
  group: string;
}

/** A GeoReport v2 service request as read back. */
export interface ServiceRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** An Open311 error: `[{code, description}]` with the same HTTP status. */
export interface GeoReportError {
  code: number;
  description: string;
}

const SEPARATOR = '-';

export const serviceCode = (category: string, item: string) => `${category}${SEPARATOR}${item}`;

export function services(taxonomy: Taxonomy): Service[] {
  return taxonomy.categories.flatMap((category) =>
    category.items.map((item) => ({
      service_code: serviceCode(category.code, item.code),
      service_name: item.name,
      description: `${category.name}：${item.name}（${item.nameEn}）`,
      metadata: false,
      type: 'realtime' as const,
      keywords: [category.name, category.nameEn, item.nameEn].join(', '),
      group: category.name,
    })),
  );
}

/** The category and item a service code names, if the duty list has it. */
export function findService(taxonomy: Taxonomy, code: string): { category: string; item: string; name: string } | null {
  const at = code.indexOf(SEPARATOR);
  if (at <= 0) return null;
  const category = taxonomy.category(code.slice(0, at));
  const item = category?.items.find((i) => i.code === code.slice(at + 1));
  return category && item ? { category: category.code, item: item.code, name: item.name } : null;
}

const STATUS_NOTES: Record<Status, string> = {
  received: '已受理 received',
  dispatched: '已派单 dispatched',
  accepted: '已签收 accepted',
  in_progress: '处置中 in progress',
  resolved: '已办结 resolved',
  evaluated: '已回访评价 evaluated',
  closed: '已归档 closed',
  returned: '已退单，重新分拨中 returned',
  reopened: '一把手重办中 reopened',
  merged: '重复诉求，已合并 merged',
};

/** A case as a public GeoReport service request: no names, phones or exact addresses (DESIGN, personal data). */
/** What the public feed shows of a citizen's own words: masked (the default), or nothing. */
export type PublicDescription = 'masked' | 'none';

export function toServiceRequest(row: CaseRow, taxonomy: Taxonomy, departmentName: (code: string) => string, descriptions: PublicDescription = 'masked'): ServiceRequest {
  const status = row.status as Status;
  const known = { name: row.reporterName, address: row.address };
  const extras = (row.extras ?? {}) as { mediaUrl?: unknown };
  const updated = [row.receivedAt, row.respondedAt, row.acceptedAt, row.resolvedAt, row.evaluatedAt, row.closedAt].reduce<Date>(
    (latest, t) => (t && t > latest ? t : latest),
    row.receivedAt,
  );
  const item = row.item ? taxonomy.category(row.category)?.items.find((i) => i.code === row.item) : undefined;
  const notes = status === 'merged' && row.mergedInto ? `${STATUS_NOTES.merged} → ${row.mergedInto}` : STATUS_NOTES[status];
  return {
    service_request_id: row.id,
    status: isOpen(status) ? 'open' : 'closed',
    status_notes: notes,
    service_name: item?.name ?? taxonomy.category(row.category)?.name ?? null,
    service_code: item ? serviceCode(row.category, item.code) : null,
    description: row.description && descriptions === 'masked' ? maskFreeText(row.description, known) : null,
    agency_responsible: departmentName(row.department),
    service_notice: null,
    requested_datetime: shanghaiIso(row.receivedAt),
    updated_datetime: shanghaiIso(updated),
    expected_datetime: shanghaiIso(row.resolveBy),
    address: row.address ? maskAddress(row.address) : null,
    address_id: null,
    zipcode: null,
    lat: row.lat === null ? null : snapCoordinate(row.lat),
    long: row.lng === null ? null : snapCoordinate(row.lng),
    media_url: typeof extras.mediaUrl === 'string' ? extras.mediaUrl : null,
  };
}

/**
 * A posted request (form fields) as a case intake, or the first problem as an Open311 error. A
 * place is required as the standard says: lat and long together, or an address_string, or an
 * address_id. Everything the standard allows that we do not interpret is kept in `extras`.
 */
export function intakeFromForm(form: Record<string, string>, taxonomy: Taxonomy): { ok: true; intake: CaseIntake } | { ok: false; error: GeoReportError } {
  const bad = (description: string) => ({ ok: false as const, error: { code: 400, description } });
  const poison = findPoison(form);
  if (poison) return bad(`${poison.path}: ${poison.message}`);
  const code = form.service_code?.trim();
  if (!code) return bad('service_code: required');
  const service = findService(taxonomy, code);
  if (!service) return { ok: false, error: { code: 404, description: `service_code: no service ${code}` } };
  const lat = form.lat === undefined || form.lat === '' ? undefined : Number(form.lat);
  const lng = form.long === undefined || form.long === '' ? undefined : Number(form.long);
  if ((lat === undefined) !== (lng === undefined)) return bad('lat and long: send both or neither');
  if (lat !== undefined && (!Number.isFinite(lat) || lat < -90 || lat > 90)) return bad('lat: must be a number from -90 to 90');
  if (lng !== undefined && (!Number.isFinite(lng) || lng < -180 || lng > 180)) return bad('long: must be a number from -180 to 180');
  const address = form.address_string?.trim() || undefined;
  const addressId = form.address_id?.trim() || undefined;
  if (lat === undefined && !address && !addressId) return bad('location: send lat and long, address_string or address_id');
  const description = form.description?.trim() || undefined;
  if (description && description.length > 10_000) return bad('description: at most 10,000 characters');

  const first = form.first_name?.trim() ?? '';
  const last = form.last_name?.trim() ?? '';
  // 姓在前: a Chinese name is family name first with no space; others keep "first last".
  const name = /[\u4e00-\u9fff]/.test(first + last) ? `${last}${first}` : [first, last].filter(Boolean).join(' ');
  const reporter = ReporterInput.safeParse({
    ...(name ? { name } : {}),
    ...(form.phone?.trim() ? { phone: form.phone.trim() } : {}),
    ...(form.email?.trim() ? { email: form.email.trim() } : {}),
  });
  if (!reporter.success) {
    const issue = reporter.error.issues[0]!;
    const field = { name: 'first_name/last_name', phone: 'phone', email: 'email' }[String(issue.path[0])] ?? String(issue.path[0]);
    return bad(`${field}: ${issue.message}`);
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = /^attribute\[(.+)\]$/.exec(key);
    if (match) attributes[match[1]!] = value;
  }
  const extras: Record<string, unknown> = { source: 'open311' };
  if (form.email?.trim()) extras.email = form.email.trim();
  if (form.media_url?.trim()) extras.mediaUrl = form.media_url.trim();
  if (form.device_id?.trim()) extras.deviceId = form.device_id.trim();
  if (form.account_id?.trim()) extras.accountId = form.account_id.trim();
  if (addressId) extras.addressId = addressId;
  if (Object.keys(attributes).length > 0) extras.attributes = attributes;

  const { email: _email, ...reporterFields } = reporter.data;
  return {
    ok: true,
    intake: {
      channel: 'app',
      category: service.category,
      item: service.item,
      title: description ? `${service.name}：${description.slice(0, 60)}` : service.name,
      ...(description ? { description } : {}),
      ...(lat !== undefined || address ? { location: { ...(lat !== undefined ? { lat, lng } : {}), ...(address ? { address: address.slice(0, 500) } : {}) } } : {}),
      ...(Object.keys(reporterFields).length > 0 ? { reporter: reporterFields } : {}),
      extras,
    },
  };
}
