// What the production bundle holds in place of @apollo/utils.createhash (scripts/bundle-options.mjs).
// The package hashes with node:crypto only when `module.require` exists, which a bundled
// CommonJS module lacks, so in the bundle it fell back to sha.js: Apollo's hash of each
// request's query text (requestPipeline's document cache key) ran SHA-256 in JavaScript,
// some 0.13 M instructions a warm dashboard (callgrind). This is what it does unbundled.
const { createHash } = require('node:crypto');

exports.createHash = (kind) => createHash(kind);
