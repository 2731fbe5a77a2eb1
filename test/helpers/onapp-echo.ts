import type { FaultMode, FaultSettings } from '../../src/simulator/faults.js';
import { type Harness, startHarness, withAccountCopy } from './harness.js';

const LIST = '{ instances(first: 500) { edges { node { id } } providerErrors { provider { id } code message } } }';

export interface ProviderErrorRow {
  provider: { id: string };
  code: string;
  message: string;
}

interface ListAnswer {
  instances: { providerErrors: ProviderErrorRow[] };
}

/** The simulator's OnApp account, and each further one a copy of it under its own password. */
export interface EchoAccount {
  readonly id: string;
  readonly password: string;
}

/** One list read behind an OnApp stand-in quoting what it was sent: its text as answered, and each account's provider error. */
export interface EchoedList {
  readonly harness: Harness;
  readonly text: string;
  readonly errors: ProviderErrorRow[];
}

/**
 * A gateway over the OnApp simulator with `fault` set (the 'echo' fault, behind escapes or not),
 * its own account first in `accounts` and the rest copies of it signing in with their password,
 * after one list read by every account. The caller closes `harness`.
 */
export async function listBehindEcho(accounts: readonly EchoAccount[], fault: FaultMode | FaultSettings): Promise<EchoedList> {
  const harness = await startHarness({
    kinds: ['onapp'],
    configure: accounts.slice(1).map(({ id, password }) => withAccountCopy('onapp', (original) => ({ id, auth: { ...(original.auth as object), password } }))),
  });
  await harness.simulator('onapp').server.setFault(fault);
  const list = await harness.gql<ListAnswer>(LIST);
  return { harness, text: list.text, errors: list.data!.instances.providerErrors };
}
