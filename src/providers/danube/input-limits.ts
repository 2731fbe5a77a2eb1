import { GatewayError } from '../../domain/errors.js';
import type { ProviderInputField } from '../adapter.js';

/**
 * A backup definition's name: esdc-ce's BackupDefineSerializer (`RegexField(..., max_length=8)`),
 * as the simulator refuses it ("Ensure this value has at most 8 characters"); the API docs give no
 * length. A backup is made by naming its definition, so a longer definitionName names none.
 */
const LONGEST_DEFINITION_NAME = 8;
/** The same field's pattern (its RegexField's): a name made otherwise names no definition either. */
const DEFINITION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The same serializer's `zpool = CharField(max_length=64)` and `desc = SafeCharField(max_length=128)`, on a create and an update. */
/*
 * Whitespace around a value counts here as esdc-ce counts it: every character, spaces before and
 * after too. DRF 3's CharField trims them before `max_length` (`trim_whitespace=True`, its
 * documented default), but esdc-ce's serializers are its own copy of DRF 2's fields (api/fields.py,
 * "Copied+modified from rest_framework.fields"), whose CharField, RegexField and SafeCharField hand
 * the value to Django's MaxLengthValidator as sent: a description of 128 characters and a trailing
 * space is 129 to it. Per field: a name, a node and a zpool the gateway trims before it checks and
 * sends them (checkName, input-checks.ts), so Danube counts what is counted here (it would refuse
 * them untrimmed anyway: a name's pattern takes no space, and a node and a zpool are looked up as
 * sent, Node by `hostname` and NodeStorage by `zpool`); a description goes as given, and is counted
 * whole here as there. Read from esdc-ce's source, not tried against a live esdc-ce; the simulator
 * refuses alike (simulator.ts, DEFINITION_FIELD_LIMITS).
 */
const LONGEST_ZPOOL = 64;
const LONGEST_DESCRIPTION = 128;

/** A DNS label (RFC 1035): no host, a backup node among them, has a longer one. */
const LONGEST_LABEL = 63;

/**
 * A node's hostname: the docs give Danube's hostname rule as 4 to 128 (esdc-ce's VmDefineSerializer,
 * docs/providers.md); the simulator's path pattern takes up to 253 and its nodes are whatever its
 * VMs name. The two disagree: both are coded, the stricter 128 refusing here, and the 253 of any
 * hostname (client.ts) still guarding paths. Only a node is held to it, never a VM's listed hostname,
 * which must keep reading however it was named (danube-overlong-hostname.test.ts).
 */
const LONGEST_NODE_HOSTNAME = 128;

/** Refuses input Danube refuses whatever the VM, naming the field and the limit, never quoting the value. */
export function refuseDanubeInput(provider: string, fields: readonly ProviderInputField[]): void {
  const refuse = (argument: string, message: string): GatewayError => new GatewayError('BAD_USER_INPUT', `${argument} ${message}`, { provider, fields: [argument] });
  for (const { argument, kind, value } of fields) {
    if (kind === 'DEFINITION_NAME') {
      // Characters as esdc-ce counts them (code points): five emoji are five, over no limit, and refused for what they are.
      if ([...value].length > LONGEST_DEFINITION_NAME) throw refuse(argument, `must be at most ${LONGEST_DEFINITION_NAME} characters: Danube's limit for a backup definition's name`);
      if (!DEFINITION_NAME.test(value)) throw refuse(argument, "must be letters, digits, '.', '_' and '-', the first a letter or digit: Danube's rule for a backup definition's name");
    }
    if (kind === 'ZPOOL' && [...value].length > LONGEST_ZPOOL) throw refuse(argument, `must be at most ${LONGEST_ZPOOL} characters: Danube's limit for a backup's zpool`);
    if (kind === 'DEFINITION_DESCRIPTION' && [...value].length > LONGEST_DESCRIPTION) {
      throw refuse(argument, `must be at most ${LONGEST_DESCRIPTION} characters: Danube's limit for a backup definition's description`);
    }
    if (kind === 'BACKUP_NODE') {
      if (value.split('.').some((label) => label.length > LONGEST_LABEL)) {
        throw refuse(argument, `must be a hostname whose labels are at most ${LONGEST_LABEL} characters: Danube's backup node is a host`);
      }
      if (value.length > LONGEST_NODE_HOSTNAME) throw refuse(argument, `must be a hostname of at most ${LONGEST_NODE_HOSTNAME} characters: Danube's limit for a hostname`);
    }
  }
}
