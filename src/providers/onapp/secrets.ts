import type { SecretSet } from '../../upstream/secrets.js';
import { hiddenFields } from '../raw.js';
import type { OnappConfig } from './config.js';

/** The Basic header OnApp gets on every request: `Basic base64(user:apiKey)`. */
export const basicAuthorization = (auth: OnappConfig['auth']): string => `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;

/**
 * OnApp's secret material: the API key, and the `user:key` pair, which goes
 * out base64-encoded in the Basic header.
 */
export function declareOnappSecrets(secrets: SecretSet, auth: OnappConfig['auth']): void {
  secrets.add(auth.password);
  secrets.add(`${auth.username}:${auth.password}`, { base64: true, pieces: false });
  // The Basic header is `Basic ` and the pair's base64: covered by the pair's base64 form.
}

/** OnApp backup fields a client never sees: the storage target's iSCSI name and file locations. */
export const ONAPP_RAW_HIDDEN = hiddenFields(['iqn', 'file_name', 'backup_server_address', 'url']);
