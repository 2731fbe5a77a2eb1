import type { SecretSet } from '../../upstream/secrets.js';
import { hiddenFields } from '../raw.js';
import type { ZomroConfig } from './config.js';

/**
 * Zomro's secret material: the session token (`auth=`) or the password and
 * the `authinfo=user:password` pair, all sent in the form body, which
 * BILLmanager quotes back in `tparams` and in some error messages.
 */
export function declareZomroSecrets(secrets: SecretSet, auth: ZomroConfig['auth']): void {
  secrets.add(auth.token);
  secrets.add(auth.password);
  if (auth.password) secrets.add(`${auth.username ?? ''}:${auth.password}`, { pieces: false });
}

/** Fields of a BILLmanager record a client never sees: credentials and request echoes. */
export const ZOMRO_RAW_HIDDEN = hiddenFields(['tparams', 'download_url', 'url']);
