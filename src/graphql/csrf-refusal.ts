/**
 * Apollo Server's CSRF prevention refuses a request that a page of another site could send
 * without a preflight: no content-type, or a form's or text/plain, and no preflight header.
 * Its own words ("blocked as a potential Cross-Site Request Forgery ... x-apollo-operation-name")
 * met a newcomer's first `curl -d '{"query":...}'`, which forgot the content-type, and a bare
 * `curl /graphql`, and named an Apollo header they had never heard of. These say what to send,
 * and the header that gets the GraphiQL page without a browser (Accept: text/html).
 */
const APOLLO_CSRF_MESSAGE_START = 'This operation has been blocked as a potential Cross-Site Request Forgery';

export const CSRF_REFUSAL_MESSAGE =
  'refused as a possible cross-site request: send a POST with the header content-type: application/json ' +
  "(curl: -H 'content-type: application/json'), or a GET query with the header apollo-require-preflight: true; " +
  "a browser opening /graphql gets GraphiQL (from a shell: curl -H 'accept: text/html')";

export const isCsrfRefusal = (message: string): boolean => message.startsWith(APOLLO_CSRF_MESSAGE_START);
