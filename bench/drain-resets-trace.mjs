// Loaded (--import) into a compiled gateway by bench/drain-resets.ts: notes each HTTP connection
// the process accepts (by the client's port), how many requests it read on it, and when the
// listener closed, and writes them to DRAIN_RESETS_TRACE as it exits. A client's port missing
// here was never accepted by the process: the kernel's accept queue reset it.
import http from 'node:http';
import { writeFileSync } from 'node:fs';

const accepted = {};
let listenerClosedAt = null;
const close = http.Server.prototype.close;
http.Server.prototype.close = function (...args) {
  if (listenerClosedAt === null && this.listening) listenerClosedAt = Date.now();
  return close.apply(this, args);
};
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'connection') accepted[args[0].remotePort] = { acceptedAt: Date.now(), requests: 0 };
  else if (event === 'request') {
    const seen = accepted[args[0].socket.remotePort];
    if (seen) seen.requests += 1;
  }
  return emit.call(this, event, ...args);
};
process.on('exit', () => writeFileSync(process.env.DRAIN_RESETS_TRACE, JSON.stringify({ listenerClosedAt, accepted })));
