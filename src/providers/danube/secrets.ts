import type { SecretSet } from '../../upstream/secrets.js';
import { hiddenFields } from '../raw.js';
import type { DanubeConfig } from './config.js';

/**
 * Danube's secret material: the API key (ES-API-KEY header) or the login
 * password. Login tokens are registered by the client as it obtains them.
 */
export function declareDanubeSecrets(secrets: SecretSet, auth: DanubeConfig['auth']): void {
  secrets.add(auth.apiKey);
  secrets.add(auth.password);
}

/**
 * Backup fields a client never sees: the ZFS pool holding the data (the node is shown, as `region`),
 * and `file_path`, where on the backup node the backup lies (providers.md's backup fields; the pool
 * and the VM's uuid in it), an internal storage location as the pool is. The simulator never sent
 * it, and a Danube that does had it shown in every backup's `raw`.
 */
export const DANUBE_RAW_HIDDEN = hiddenFields(['zpool', 'file_path', 'url']);
