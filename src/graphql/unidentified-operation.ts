import { GraphQLError } from 'graphql';

/** How much of a client's operation name a refusal quotes: it may be as long as the body. */
const QUOTED_NAME_CHARACTERS = 100;

/**
 * The refusal of a request whose operation cannot be picked from its document (a name it does
 * not hold, or none given for several), as Apollo words it, for HTTP and WebSocket alike.
 */
export function unidentifiedOperation(operationName: string | null | undefined): GraphQLError {
  // An empty name is a name no operation has, as graphql-js reads it: "multiple operations" is
  // untrue of a document with one, and sent the client looking for a second.
  const message =
    operationName === null || operationName === undefined ? 'Must provide operation name if query contains multiple operations.' : `Unknown operation named "${operationName.slice(0, QUOTED_NAME_CHARACTERS)}".`;
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
