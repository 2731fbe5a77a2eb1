/** The per-instance lists a query can ask for; adapters may prefetch them in bulk. */
export const INSTANCE_LIST_KINDS = ['backups', 'schedules', 'definitions'] as const;
export type InstanceListKind = (typeof INSTANCE_LIST_KINDS)[number];
