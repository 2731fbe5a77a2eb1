import { type DocumentNode, GraphQLError, Kind } from 'graphql';

/** How much of a client's operation name a refusal quotes: it may be as long as the body. */
const QUOTED_NAME_CHARACTERS = 100;
/** How many of a document's operation names a refusal lists: a document may hold thousands. */
const LISTED_NAMES = 5;

/**
 * The refusal of a request whose operation cannot be picked from its document (a name it does
 * not hold, or none given for several), as Apollo words it, for HTTP and WebSocket alike.
 */
export function unidentifiedOperation(operationName: string | null | undefined, document: DocumentNode): GraphQLError {
  // An empty name is a name no operation has, as graphql-js reads it: "multiple operations" is
  // untrue of a document with one, and sent the client looking for a second.
  const message =
    operationName === null || operationName === undefined ? missingNameMessage(document) : `Unknown operation named "${operationName.slice(0, QUOTED_NAME_CHARACTERS)}".`;
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * graphql-js's words alone met a newcomer who pasted a README block holding two operations
 * (`MakeBackup` and `FollowOperation`) into one curl: they name no field to send and no
 * operation to pick. The names come from the client's own document, so they leak nothing.
 */
function missingNameMessage(document: DocumentNode): string {
  const names = document.definitions.flatMap((definition) => (definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : []));
  const listed = names.slice(0, LISTED_NAMES).map((name) => name.slice(0, QUOTED_NAME_CHARACTERS));
  const more = names.length > LISTED_NAMES ? `, and ${names.length - LISTED_NAMES} more` : '';
  return (
    `Must provide operation name if query contains multiple operations: this one holds ${listed.join(', ')}${more}. ` +
    `Send "operationName" beside "query" naming the one to run (e.g. {"query": "...", "operationName": "${listed[0] ?? ''}"}), or send that operation alone.`
  );
}
