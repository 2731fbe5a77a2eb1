// What the production bundle holds in place of fast-json-stringify (scripts/bundle-options.mjs).
// graphql-jit requires it when loaded, but calls it only for `customJSONSerializer: true`,
// which the gateway never passes (src/graphql/jit-executor.ts): answers go out through
// Apollo's JSON.stringify. Loading it ran ajv, ajv-formats and fast-uri at start, for
// ~1.3 MiB of heap no request used.
module.exports = function fastJsonStringifyNotBundled() {
  throw new Error('fast-json-stringify is not in the bundle: graphql-jit was asked for customJSONSerializer (see scripts/bundle-options.mjs)');
};
