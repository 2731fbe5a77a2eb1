/**
 * Whether one more message of `size` bytes would leave a WebSocket connection
 * past its cap of bytes queued unsent (`limits.maxWsBufferedBytes`). What is
 * counted is what would be queued (`queued` plus `size`) less the largest
 * message among those still being written and this one: an answer larger
 * than the cap, on a slow link, is queued past the cap by itself while the
 * client reads it, and any message behind it (a subscription's update, a
 * second operation's answer) closed a client that was reading all along.
 * So a connection holds at most the cap plus one message.
 */
export function pastSendCap(queued: number, size: number, largestInFlight: number, cap: number): boolean {
  return queued + size - Math.max(size, largestInFlight) > cap;
}
