// What a resolver's field selection asks for, so a loader can leave out columns nobody selected.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * True when any of `names` is selected anywhere below the field being resolved, through inline
 * fragments and fragment spreads. Conservative by design: a name at any depth counts, so a column
 * is only left out when it certainly is not needed.
 */
export function selectsAnyField(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const selected = selectedFieldNames(info);
  for (const name of names) if (selected.has(name)) return true;
  return false;
}

// Per field node of a parsed document (yoga caches documents, so these live as long as it does).
const namesByFieldNode = new WeakMap<object, ReadonlySet<string>>();

/**
 * Every field name selected anywhere below the field being resolved, through inline fragments
 * and fragment spreads (conservative, as selectsAnyField). Computed once per field of a cached
 * document: a page of traces resolves its steps field once per trace.
 */
export function selectedFieldNames(info: GraphQLResolveInfo): ReadonlySet<string> {
  const node = info.fieldNodes[0]!;
  const cached = info.fieldNodes.length === 1 ? namesByFieldNode.get(node) : undefined;
  if (cached) return cached;
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        names.add(selection.name.value);
        visit(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const fieldNode of info.fieldNodes) visit(fieldNode.selectionSet);
  if (info.fieldNodes.length === 1) namesByFieldNode.set(node, names);
  return names;
}
