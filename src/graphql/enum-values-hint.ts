import { isEnumType, type GraphQLSchema } from 'graphql';

/** How graphql-js ends a refusal of an enum value: in the document, and in a variable. */
const ENDINGS = [
  { before: ' does not exist in "', after: '" enum.' },
  { before: '; Expected type ', after: '.' },
] as const;

/**
 * graphql-js suggests an enum value only when it is a few letters from one: `MON` for
 * `MONDAY` read `Value "MON" does not exist in "Weekday" enum.` and nothing more (a variable,
 * `Expected type ProviderKind.`), so the caller had to find the docs pane. Where the schema may
 * be shown (introspection on), the values are added. Read from the message's end: it quotes
 * what the client sent.
 */
export function withEnumValues(schema: GraphQLSchema): (message: string) => string {
  return (message) => {
    for (const { before, after } of ENDINGS) {
      if (!message.endsWith(after)) continue;
      const start = message.lastIndexOf(before);
      if (start < 0) continue;
      const type = schema.getType(message.slice(start + before.length, -after.length));
      if (isEnumType(type)) return `${message} ${type.name} is one of ${type.getValues().map((value) => value.name).join(', ')}.`;
    }
    return message;
  };
}
