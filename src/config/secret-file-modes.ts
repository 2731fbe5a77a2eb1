import { isAbsolute, relative, resolve } from 'node:path';

/**
 * Secret files (`NAME_FILE`) that users other than the gateway's may read. Warned of, as ssh does of a private
 * key, but never refused: Docker and Kubernetes mount secrets 0644 by default (Kubernetes'
 * `defaultMode: 0644`), and the container's only user is the gateway's.
 */

const GROUP_READ = 0o040;
const OTHER_READ = 0o004;

/**
 * Whether a user other than the gateway's may read the file: others may, or its group may and the
 * gateway's process is not in that group. A group of the gateway's own is a choice, not a slip: a
 * Kubernetes Secret volume with an fsGroup is group-readable whatever its mode says
 * (deploy/k8s/deployment.yaml's 0440), and `chmod 640` with the service's group is how one shares
 * a file with a service alone.
 */
export function readableBeyondGateway(mode: number, fileGroup: number, gatewayGroups: readonly number[]): boolean {
  if ((mode & OTHER_READ) !== 0) return true;
  return (mode & GROUP_READ) !== 0 && !gatewayGroups.includes(fileGroup);
}

/**
 * Whether the file lies in systemd's `$CREDENTIALS_DIRECTORY`: systemd copies each `LoadCredential=`
 * there for this unit alone and grants its user read by an ACL, so `stat` shows the ACL's mask in
 * the group bits (0440, group root) though no other user can reach the file. Warning of it would
 * have greeted every start of deploy/systemd's unit.
 */
export function inServiceCredentials(file: string, credentialsDirectory: string | undefined): boolean {
  if (credentialsDirectory === undefined || credentialsDirectory === '' || !isAbsolute(credentialsDirectory)) return false;
  const within = relative(resolve(credentialsDirectory), resolve(file));
  return within !== '' && !within.startsWith('..') && !isAbsolute(within);
}

/** The process's groups, primary and supplementary (none off POSIX, where modes say little). */
const gatewayGroups = (): number[] => [...(process.getgid ? [process.getgid()] : []), ...(process.getgroups ? process.getgroups() : [])];

export interface LooseSecretFile {
  /** `DASHBOARD_KEY_FILE`. */
  variable: string;
  /** The path as problems show it: absolute as it is, relative not quoted (it may be the secret). */
  shown: string;
  /** The permission bits, `0644`. */
  mode: string;
}

/** Read this start; drained by the one who warns. By variable: REDIS_URL_FILE is read by the start and by --check-config's env checks alike. */
const loose = new Map<string, LooseSecretFile>();

/** Notes a secret file just read, if its mode lets a user other than the gateway's read it. */
export function noteSecretFileMode(variable: string, file: string, shown: string, stat: { mode: number; gid: number }, credentialsDirectory: string | undefined): void {
  const { mode } = stat;
  if (!readableBeyondGateway(mode, stat.gid, gatewayGroups()) || inServiceCredentials(file, credentialsDirectory)) return;
  loose.set(variable, { variable, shown, mode: `0${(mode & 0o777).toString(8).padStart(3, '0')}` });
}

/** The loose files read since the last call, once each. */
export function takeLooseSecretFiles(): LooseSecretFile[] {
  const found = [...loose.values()];
  loose.clear();
  return found;
}

/** One line naming the variable, the file and its mode, never what it holds. */
export const looseSecretFileWarning = (file: LooseSecretFile): string =>
  `${file.variable} (${file.shown}) is readable by users other than the gateway's (mode ${file.mode}): chmod 600 it (or 640 with a group the gateway runs in), as ssh asks of a key; read anyway (a container's mounted secrets are often 0644)`;
