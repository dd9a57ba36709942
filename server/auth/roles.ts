/**
 * Who may do what: role × permission, the one table the server consults (and the tests walk in
 * full). Routes name a permission; nothing else in the code checks a role by name.
 */

export const ROLES = ['admin', 'officer', 'wall', 'intake', 'importer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  /** Submit new cases (HTTP intake, batches, Open311 posts). */
  'cases:create': ['admin', 'intake', 'importer'],
  /** Submit a case together with its past transitions (imports of closed records). */
  'cases:import-history': ['admin', 'importer'],
  /** Read cases and their history (walls read them masked). */
  'cases:read': ['admin', 'officer', 'wall'],
  /** Move a case through its lifecycle (an importer replaying a file resolves cases as their time comes). */
  'cases:transition': ['admin', 'officer', 'importer'],
  /** Read alerts (walls read their texts masked). */
  'alerts:read': ['admin', 'officer', 'wall'],
  /** Acknowledge an alert. */
  'alerts:ack': ['admin', 'officer'],
  /** Issue community orders (社区发令) and record arrivals and settlements. */
  'orders:write': ['admin', 'officer'],
  /** Read community orders. */
  'orders:read': ['admin', 'officer', 'wall'],
  /** Read the figures. */
  'stats:read': ['admin', 'officer', 'wall'],
  /** Read the district's configuration (jurisdiction, duty list, deadlines, risk). */
  'config:read': ['admin', 'officer', 'wall', 'intake', 'importer'],
  /** See names, phone numbers and exact addresses unmasked. */
  'personal-data:read': ['admin', 'officer'],
  /** Read the audit log (who read personal data; tokens, sessions and wall links made or revoked). */
  'audit:read': ['admin'],
  /** Create, list and revoke tokens. */
  'tokens:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
