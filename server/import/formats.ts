/**
 * The 311 sources the importer reads (issue 7; RULES IMP1): New York (the Open Data export and the
 * SODA API's lower-case names), Los Angeles MyLA311, Boston 311 and Open311 GeoReport v2 JSON. Each
 * format names where a record keeps its id, times, status, type, agency, channel and place, and in
 * which zone its clock times are. `readRecords` turns a file into source records and judges each:
 * a record with impossible data (no or unreadable creation time, closed without a time, closed
 * before it was created, created in the future) is kept with the reason, to be reported, never
 * dropped in silence.
 */
import { parse } from 'csv-parse/sync';
import { parseSourceTime } from './zoned-time.js';

export const FORMATS = ['nyc311', 'la311', 'boston311', 'open311'] as const;
export type Format = (typeof FORMATS)[number];

/** One record as the source has it, read and judged. */
export interface SourceRecord {
  /** 1-based record number in the file (a CSV's header is not counted). */
  index: number;
  externalId: string;
  createdAt: Date | null;
  /** Set only when the source says the record is closed. */
  closedAt: Date | null;
  closed: boolean;
  status: string;
  type: string;
  agency: string;
  channel: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  description: string | null;
  /** Why the record cannot be imported as it stands (null: it can). */
  impossible: string | null;
}

type Row = Record<string, unknown>;

interface FormatSpec {
  zone: string;
  json: boolean;
  closedStatuses: readonly string[];
  id: (r: Row) => string;
  created: (r: Row) => string;
  /** The close time of a record the source says is closed. */
  closedTime: (r: Row) => string;
  status: (r: Row) => string;
  type: (r: Row) => string;
  agency: (r: Row) => string;
  channel: (r: Row) => string;
  lat: (r: Row) => string;
  lng: (r: Row) => string;
  address: (r: Row) => string;
  description: (r: Row) => string;
}

/** The first non-empty of some fields, as text. */
const pick =
  (...names: string[]) =>
  (r: Row): string => {
    for (const name of names) {
      const value = r[name];
      if (value !== undefined && value !== null && String(value).trim() !== '') return String(value).trim();
    }
    return '';
  };

const joined =
  (...names: string[]) =>
  (r: Row): string =>
    names.map((n) => pick(n)(r)).filter(Boolean).join('：');

export const SPECS: Record<Format, FormatSpec> = {
  nyc311: {
    zone: 'America/New_York',
    json: false,
    closedStatuses: ['Closed'],
    id: pick('Unique Key', 'unique_key'),
    created: pick('Created Date', 'created_date'),
    // The SODA extract has no closed_date: its last resolution update is when it closed.
    closedTime: pick('Closed Date', 'closed_date', 'Resolution Action Updated Date', 'resolution_action_updated_date'),
    status: pick('Status', 'status'),
    type: pick('Complaint Type', 'complaint_type'),
    agency: pick('Agency', 'agency'),
    channel: pick('Open Data Channel Type', 'open_data_channel_type'),
    lat: pick('Latitude', 'latitude'),
    lng: pick('Longitude', 'longitude'),
    address: pick('Incident Address', 'incident_address'),
    description: joined('Descriptor', 'descriptor'),
  },
  la311: {
    zone: 'America/Los_Angeles',
    json: false,
    closedStatuses: ['Closed', 'Cancelled'],
    id: pick('srnumber', 'SRNumber'),
    created: pick('createddate', 'CreatedDate'),
    // A few closed records carry no closeddate; their last update is when they closed.
    closedTime: pick('closeddate', 'ClosedDate', 'updateddate', 'UpdatedDate'),
    status: pick('status', 'Status'),
    type: pick('requesttype', 'RequestType'),
    agency: pick('owner', 'Owner'),
    channel: pick('requestsource', 'RequestSource'),
    lat: pick('latitude', 'Latitude'),
    lng: pick('longitude', 'Longitude'),
    address: pick('address', 'Address'),
    description: joined('requesttype', 'actiontaken'),
  },
  boston311: {
    zone: 'America/New_York',
    json: false,
    closedStatuses: ['Closed'],
    id: pick('case_enquiry_id'),
    created: pick('open_dt'),
    closedTime: pick('closed_dt'),
    status: pick('case_status'),
    type: pick('type'),
    agency: pick('department'),
    channel: pick('source'),
    lat: pick('latitude'),
    lng: pick('longitude'),
    address: pick('location'),
    description: pick('case_title'),
  },
  open311: {
    // GeoReport times carry an offset; exports without one (as San Francisco's) are Pacific.
    zone: 'America/Los_Angeles',
    json: true,
    closedStatuses: ['closed', 'Closed'],
    id: pick('service_request_id'),
    created: pick('requested_datetime'),
    closedTime: pick('updated_datetime'),
    status: pick('status'),
    type: pick('service_name', 'service_code'),
    agency: pick('agency_responsible'),
    channel: () => 'open311',
    lat: pick('lat'),
    lng: pick('long'),
    address: pick('address'),
    description: pick('description'),
  },
};

/** A coordinate pair if both are numbers in range and not the (0, 0) placeholder. */
function coordinates(lat: string, lng: string): { lat: number; lng: number } | null {
  const la = Number(lat);
  const ln = Number(lng);
  if (!lat || !lng || !Number.isFinite(la) || !Number.isFinite(ln)) return null;
  if (Math.abs(la) > 90 || Math.abs(ln) > 180 || (la === 0 && ln === 0)) return null;
  return { lat: la, lng: ln };
}

/** Reads a file's text as records of `format`, each judged (see the module comment). */
export function readRecords(format: Format, text: string, now: Date): SourceRecord[] {
  const spec = SPECS[format];
  const rows: Row[] = spec.json ? readJson(text) : (parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Row[]);
  return rows.map((row, i) => {
    const createdText = spec.created(row);
    const createdAt = parseSourceTime(createdText, spec.zone);
    const status = spec.status(row);
    const closed = spec.closedStatuses.includes(status);
    const closedText = closed ? spec.closedTime(row) : '';
    const closedAt = closed ? parseSourceTime(closedText, spec.zone) : null;
    const place = coordinates(spec.lat(row), spec.lng(row));
    let impossible: string | null = null;
    if (!spec.id(row)) impossible = 'no record id';
    else if (!createdText) impossible = 'no creation time';
    else if (!createdAt) impossible = `creation time "${createdText}" is not a time`;
    else if (createdAt.getTime() > now.getTime() + 5 * 60_000) impossible = `created in the future (${createdText})`;
    else if (closed && !closedText) impossible = `status ${status} without a closed time`;
    else if (closed && !closedAt) impossible = `closed time "${closedText}" is not a time`;
    else if (closed && closedAt! < createdAt) impossible = `closed (${closedText}) before it was created (${createdText})`;
    return {
      index: i + 1,
      externalId: spec.id(row),
      createdAt,
      closedAt: impossible ? null : closedAt,
      closed,
      status,
      type: spec.type(row),
      agency: spec.agency(row),
      channel: spec.channel(row),
      lat: place?.lat ?? null,
      lng: place?.lng ?? null,
      address: spec.address(row) || null,
      description: spec.description(row) || null,
      impossible,
    };
  });
}

function readJson(text: string): Row[] {
  const data = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  const list = Array.isArray(data) ? data : (data as { service_requests?: unknown }).service_requests;
  if (!Array.isArray(list)) throw new Error('an Open311 file is a JSON array of service requests (or {"service_requests": [...]})');
  return list as Row[];
}
