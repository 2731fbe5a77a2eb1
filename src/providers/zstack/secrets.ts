import { sha512Hex, type SecretSet } from '../../upstream/secrets.js';
import { hiddenFields } from '../raw.js';
import type { ZstackConfig } from './config.js';

/**
 * ZStack's secret material: the password and the hex SHA-512 that
 * `logInByAccount` sends (ZStack has been seen to quote it back, even as an
 * error code), or a fixed session id. Sessions from a login are registered
 * by the client as it obtains them.
 */
export function declareZstackSecrets(secrets: SecretSet, auth: ZstackConfig['auth']): void {
  secrets.add(auth.sessionId);
  if (auth.password !== undefined) {
    secrets.add(auth.password);
    secrets.add(sha512Hex(auth.password));
  }
}

/** Volume backup fields a client never sees: where the image store keeps the data. */
export const ZSTACK_RAW_HIDDEN = hiddenFields(['installPath', 'url', 'backupStorageUrl', 'mountPath']);
