/**
 * An OnApp id as it may go into a URL path: an integer as OnApp writes it, with no leading zero (18
 * digits at most). OnApp (Rails) reads `0481` as 481, so an id a client re-encoded with a zero in
 * front named a listed VM under another id: a delete by it was sent, and its reads were cached and
 * forgotten under another key than the VM's own.
 */
export const ONAPP_ID = /^(?:0|[1-9]\d{0,17})$/;
