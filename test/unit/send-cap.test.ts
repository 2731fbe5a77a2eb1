import { describe, expect, it } from 'vitest';
import { pastSendCap } from '../../src/server/send-cap.js';

const CAP = 1_000;

describe('the WebSocket send cap', () => {
  it('closes a connection whose small messages pile up past the cap', () => {
    // 1,000 queued, the largest of them 100 bytes, then 100 more: 1,000 counted, at the cap.
    expect(pastSendCap(1_000, 100, 100, CAP)).toBe(false);
    expect(pastSendCap(1_001, 100, 100, CAP)).toBe(true);
    expect(pastSendCap(1_001, 10, 10, CAP)).toBe(true);
  });

  it('does not count the largest message still being written: a reading client on a slow link is not closed for what follows one large answer', () => {
    // 10,000 bytes of one answer on their way, then a 50-byte update: 50 counted.
    expect(pastSendCap(10_000, 50, 10_000, CAP)).toBe(false);
    // That answer plus 1,001 bytes of others behind it: past the cap.
    expect(pastSendCap(11_001, 50, 10_000, CAP)).toBe(true);
  });

  it('lets one message larger than the cap go out whole on a connection with nothing queued, and not a second one behind it', () => {
    expect(pastSendCap(0, 5_000, 0, CAP)).toBe(false);
    expect(pastSendCap(5_000, 5_000, 5_000, CAP)).toBe(true);
  });
});
