import { describe, expect, it } from 'vitest';
import { ConnectionLedger } from '../../src/server/connection-ledger.js';

describe('ConnectionLedger: which connections may close without losing an answer', () => {
  it('takes a new connection for idle, and one whose request arrived for busy until its answer is delivered', () => {
    const ledger = new ConnectionLedger<string>();
    ledger.opened('a');
    expect(ledger.idle()).toEqual(['a']);
    ledger.answerOwed('a');
    expect(ledger.idle()).toEqual([]);
    ledger.answerDelivered('a');
    expect(ledger.idle()).toEqual(['a']);
  });

  it('keeps a connection with pipelined requests busy until every answer is delivered', () => {
    const ledger = new ConnectionLedger<string>();
    ledger.opened('a');
    ledger.answerOwed('a');
    ledger.answerOwed('a');
    ledger.answerDelivered('a');
    expect(ledger.idle()).toEqual([]);
    ledger.answerDelivered('a');
    expect(ledger.idle()).toEqual(['a']);
  });

  it('does not let a delivery owe less than nothing: the next request still makes it busy', () => {
    const ledger = new ConnectionLedger<string>();
    ledger.opened('a');
    ledger.answerDelivered('a');
    ledger.answerOwed('a');
    expect(ledger.idle()).toEqual([]);
  });

  it('lists only the idle ones among several, in the order they opened', () => {
    const ledger = new ConnectionLedger<string>();
    for (const connection of ['a', 'b', 'c']) ledger.opened(connection);
    ledger.answerOwed('b');
    expect(ledger.idle()).toEqual(['a', 'c']);
  });

  it('forgets a closed connection and one handed over to another protocol', () => {
    const ledger = new ConnectionLedger<string>();
    ledger.opened('closed');
    ledger.opened('upgraded');
    ledger.closed('closed');
    ledger.handedOver('upgraded');
    expect(ledger.idle()).toEqual([]);
    expect(ledger.size).toBe(0);
  });

  it('ignores events for a connection it does not know (closed already, or never opened)', () => {
    const ledger = new ConnectionLedger<string>();
    ledger.answerOwed('gone');
    ledger.answerDelivered('gone');
    expect(ledger.idle()).toEqual([]);
    expect(ledger.size).toBe(0);
  });
});
