import type { CreateBackupRequest, CreateDefinitionRequest, UpdateDefinitionRequest } from '../domain/types.js';
import type { ProviderInputField } from './adapter.js';

/*
 * The fields of each write a provider may hold to its own limits (refuseInput), listed once: the
 * gateway refuses them before the reads a write makes first (mutations.ts, bulk-create.ts), and an
 * adapter before its call (Danube's), so a caller that forgot is refused in the gateway's words.
 */

/** A backup's create: the definition it runs. */
export const createBackupFields = ({ definitionName }: Pick<CreateBackupRequest, 'definitionName'>): ProviderInputField[] =>
  definitionName === null ? [] : [{ argument: 'definitionName', kind: 'DEFINITION_NAME', value: definitionName }];

/** A definition's create: its name, backup node, zpool and description. */
export const createDefinitionFields = ({ name, node, zpool, description }: Pick<CreateDefinitionRequest, 'name' | 'node' | 'zpool' | 'description'>): ProviderInputField[] => [
  { argument: 'name', kind: 'DEFINITION_NAME', value: name },
  ...(node === null ? [] : [{ argument: 'node', kind: 'BACKUP_NODE' as const, value: node }]),
  ...(zpool === null ? [] : [{ argument: 'zpool', kind: 'ZPOOL' as const, value: zpool }]),
  ...(description === null ? [] : [{ argument: 'description', kind: 'DEFINITION_DESCRIPTION' as const, value: description }]),
];

/** A definition's update: its description, where it changes. */
export const updateDefinitionFields = ({ description }: Pick<UpdateDefinitionRequest, 'description'>): ProviderInputField[] =>
  description == null ? [] : [{ argument: 'description', kind: 'DEFINITION_DESCRIPTION', value: description }];
