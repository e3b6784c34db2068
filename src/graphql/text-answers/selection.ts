// A query's selection as a tree of fields with their definitions, for documents whose whole answer
// Postgres can write (./statement.ts). Anything this does not model exactly — directives, a
// fragment on another type, two selections under one response key, a field without a SQL
// rendering — makes the document unsupported, and it runs as before (graphql-jit).
import {
  getNamedType,
  GraphQLNonNull,
  GraphQLString,
  getOperationAST,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** One selected field: its response key, definition, and (for objects) what is selected below it. */
export interface Selected {
  key: string;
  name: string;
  node: FieldNode;
  def: GraphQLField<unknown, unknown>;
  /** The object type the field is selected on. */
  parent: GraphQLObjectType;
  /** Below an object-typed field; null for a leaf. */
  children: Selected[] | null;
}

/** A document this cannot answer, whatever its variables: it is left to graphql-jit for good. */
export class Unsupported extends Error {}

/**
 * This request's variables or arguments fail a check (or need one this does not model): graphql-jit
 * answers it, with the error it has always given.
 */
export class Refused extends Error {}

export interface QueryShape {
  operation: OperationDefinitionNode;
  fields: Selected[];
}

/** The operation's root selection as a tree, or Unsupported. Only queries. */
export function selectionTree(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): QueryShape {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'query') throw new Unsupported('not a query');
  if (operation.directives?.length) throw new Unsupported('operation directives');
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return { operation, fields: collect(schema.getQueryType()!, operation.selectionSet, fragments) };
}

function collect(parent: GraphQLObjectType, set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): Selected[] {
  const out: Selected[] = [];
  const keys = new Set<string>();
  const visit = (selections: SelectionSetNode, seen: ReadonlySet<string>) => {
    for (const selection of selections.selections) {
      if (selection.directives?.length) throw new Unsupported('directives');
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        // Two selections under one key are merged by GraphQL; rare enough to leave to graphql-jit.
        if (keys.has(key)) throw new Unsupported(`two selections under ${key}`);
        keys.add(key);
        const name = selection.name.value;
        const def = name === '__typename' ? undefined : parent.getFields()[name];
        if (name !== '__typename' && !def) throw new Unsupported(`unknown field ${parent.name}.${name}`);
        const type = def && getNamedType(def.type);
        let children: Selected[] | null = null;
        if (selection.selectionSet) {
          // Interfaces and unions would need the runtime type of each item.
          if (!type || !isObjectType(type)) throw new Unsupported(`${parent.name}.${name} is not an object type`);
          children = collect(type, selection.selectionSet, fragments);
        }
        out.push({ key, name, node: selection, def: def ?? TYPENAME, parent, children });
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) throw new Unsupported('unknown fragment');
        if (fragment.typeCondition && fragment.typeCondition.name.value !== parent.name) throw new Unsupported('fragment on another type');
        if (fragment.directives?.length) throw new Unsupported('directives');
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          if (seen.has(selection.name.value)) throw new Unsupported('fragment cycle');
          visit(fragment.selectionSet, new Set([...seen, selection.name.value]));
        } else {
          visit(fragment.selectionSet, seen);
        }
      }
    }
  };
  visit(set, new Set());
  return out;
}

/** Stands in for __typename's definition, which a type's field map does not hold. */
const TYPENAME = { name: '__typename', args: [], type: new GraphQLNonNull(GraphQLString), extensions: {} } as unknown as GraphQLField<unknown, unknown>;
