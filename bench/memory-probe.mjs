// Loaded (--import, with --expose-gc) into a compiled gateway under a memory
// bench: answers {type: 'memory'} over IPC with its RSS and heap after a full GC,
// the figure that shows what it holds rather than what it has not yet collected.
process.channel?.unref();
process.on('message', (message) => {
  if (message?.type !== 'memory') return;
  globalThis.gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.send?.({ type: 'memory', rssBytes: rss, heapUsedBytes: heapUsed, heapTotalBytes: heapTotal, externalBytes: external, arrayBuffersBytes: arrayBuffers });
});
