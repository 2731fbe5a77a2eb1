import { describe, expect, it } from 'vitest';
import { clientKeyOf } from '../../src/server/client-address.js';
import { ConnectionShare, UnsentAnswerBytes } from '../../src/server/unsent-answers.js';

describe('UnsentAnswerBytes: answers not yet taken, per address', () => {
  it('lets an address holding nothing send one answer larger than the limit, then refuses it more until it reads', () => {
    const ledger = new UnsentAnswerBytes(1_000);
    expect(ledger.take('192.0.2.1', 5_000)).toBeNull();
    expect(ledger.take('192.0.2.1', 1)).toBe('address');
    expect(ledger.take('192.0.2.2', 10)).toBeNull();
    ledger.release('192.0.2.1', 5_000);
    expect(ledger.bytes('192.0.2.1')).toBe(0);
    expect(ledger.take('192.0.2.1', 600)).toBeNull();
    expect(ledger.take('192.0.2.1', 400)).toBeNull();
    expect(ledger.take('192.0.2.1', 1)).toBe('address');
  });

  it("counts an IPv6 /64 together, 16 addresses' worth: a fresh address per answer does not get a fresh limit", () => {
    const ledger = new UnsentAnswerBytes(1_000);
    for (let host = 1; host <= 16; host += 1) expect(ledger.take(clientKeyOf(`2001:db8:1:2::${host}`), 1_000)).toBeNull();
    expect(ledger.take(clientKeyOf('2001:db8:1:2::99'), 1)).toBe('subnet');
    expect(ledger.bytes('2001:db8:1:2::/64')).toBe(16_000);
  });

  it('gives back what a closed connection still counted, once, whatever its writes call back later', () => {
    const ledger = new UnsentAnswerBytes(1_000);
    const share = new ConnectionShare(ledger, '192.0.2.1');
    expect(share.take(300)).toBeNull();
    expect(share.take(300)).toBeNull();
    share.sent(300);
    share.close();
    share.sent(300);
    expect(ledger.bytes('192.0.2.1')).toBe(0);
  });

  it("counts a connection's messages until each is sent, refuses one past the limit in words, and touches nothing once closed", () => {
    const ledger = new UnsentAnswerBytes(1_000);
    const other = new ConnectionShare(ledger, '192.0.2.1');
    const share = new ConnectionShare(ledger, '192.0.2.1');
    expect(other.take(100)).toBeNull();
    expect(share.take(300)).toBeNull();
    expect(share.take(300)).toBeNull();
    expect(ledger.bytes('192.0.2.1')).toBe(700);
    expect(share.take(400)).toBe(
      'this address has answers of more than 1000 bytes it has not taken (limits.maxUnsentAnswerBytesPerAddress): read them, then ask again',
    );
    share.sent(300);
    expect(ledger.bytes('192.0.2.1')).toBe(400);
    share.close();
    expect(ledger.bytes('192.0.2.1')).toBe(100);
    // Late callbacks and messages of the closed connection leave the other connection's count alone.
    share.sent(300);
    share.close();
    expect(share.take(50)).toBeNull();
    expect(ledger.bytes('192.0.2.1')).toBe(100);
  });
});
