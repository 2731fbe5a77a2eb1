// Forked by peak-rss.test.ts: reports its own peak RSS as bench/peak-rss.ts reads it, and its RSS now.
import { peakRssBytes } from '../../bench/peak-rss.js';

process.send?.({ peakBytes: peakRssBytes(), rssBytes: process.memoryUsage.rss() }, () => process.exit(0));
