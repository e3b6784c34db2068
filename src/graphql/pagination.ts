// The one home of cursors, sort inputs and page sizes (DESIGN D5). Lists are keyset-paginated over
// (sort value, id): a cursor is opaque base64url JSON naming the sort it belongs to, and its
// values are checked against the sort column's type, so a cursor from another sort, or a forged
// one, is BAD_USER_INPUT rather than a wrong page or a database error.
import type { EnumRef } from '@pothos/core';
import { z } from 'zod';
import { badInput } from '../errors.ts';
import { isUuid } from '../stores/ids.ts';
import type { Page, PageResult, SortDirection } from '../stores/keyset.ts';
import { builder, type Types } from './builder.ts';
import { SortDirectionEnum } from './types/common.ts';

export const DEFAULT_PAGE_SIZE = 50;

type ConnectionArgs = {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
};

const CursorSchema = z.object({ s: z.string(), v: z.union([z.string(), z.number()]), id: z.string().max(200) });

export function encodeCursor(sort: string, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort, v: value, id })).toString('base64url');
}

function decodeCursor(cursor: string, sort: string, arg: 'after' | 'before'): { value: string | number; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(`${arg}: not a cursor of this API`, arg);
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success) throw badInput(`${arg}: not a cursor of this API`, arg);
  if (result.data.s !== sort) throw badInput(`${arg}: this cursor belongs to sort ${result.data.s}, not ${sort}`, arg);
  return { value: result.data.v, id: result.data.id };
}

/**
 * Connection arguments → a keyset page for a store. `first` and `last` are capped at `maxSize`;
 * a missing size means DEFAULT_PAGE_SIZE (or maxSize, when smaller).
 */
export function pageFromArgs(
  args: ConnectionArgs,
  sort: { key: string; direction: SortDirection },
  maxSize: number,
): Page {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badInput('pass first or last, not both', 'first');
  for (const [name, size] of [['first', first], ['last', last]] as const) {
    if (size != null && (size < 0 || size > maxSize)) throw badInput(`${name} must be between 0 and ${maxSize}`, name);
  }
  const backward = last != null || (before != null && first == null);
  const size = (backward ? last : first) ?? Math.min(DEFAULT_PAGE_SIZE, maxSize);
  return {
    size,
    backward,
    direction: sort.direction,
    sortKey: sort.key,
    after: after ? decodeCursor(after, sort.key, 'after') : undefined,
    before: before ? decodeCursor(before, sort.key, 'before') : undefined,
  };
}

/** A store's page → a Relay connection; `totalCount` runs its query only if the field is selected. */
export function toConnection<T>(
  result: PageResult<T>,
  page: Page,
  cursorOf: (item: T) => { value: string | number; id: string },
  count: () => Promise<number>,
) {
  // Cursors are encoded only when selected: a page of traces with their steps is ~1,000 edges.
  const edges = result.items.map((node) => ({
    node,
    get cursor() {
      const c = cursorOf(node);
      return encodeCursor(page.sortKey, c.value, c.id);
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backward ? page.before !== undefined : result.hasMore,
      hasPreviousPage: page.backward ? result.hasMore : page.after !== undefined,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: count,
  };
}

/** The reference's HTTP cap for its logs lists (§3.5); traces allow more (1,000). */
export const MAX_LIST_PAGE = 100;

export type Sort<F extends string> = { field: F; direction: SortDirection };
export type ListPage<F extends string> = Page & { sortKey: F };

/** `<name> { field: <enum>! = <defaultField>, direction: SortDirection! = DESC }` */
export function sortInput<F extends string>(name: string, fieldEnum: EnumRef<Types, F, F>, defaultField: F) {
  return builder.inputType(name, {
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true, defaultValue: defaultField }),
      direction: t.field({ type: SortDirectionEnum, required: true, defaultValue: 'desc' }),
    }),
  });
}

const isoInstant = z.iso.datetime();
const digits = /^[0-9]{1,19}$/;

/**
 * Connection arguments and a sort → the store's page. Cursor ids must be UUIDs (every record
 * table's id) and cursor values ISO instants, or digits for the fields listed in `integerFields`.
 */
export function listPage<F extends string>(
  args: ConnectionArgs,
  sort: Sort<F> | null | undefined,
  fallback: Sort<F>,
  { maxSize = MAX_LIST_PAGE, integerFields = [] }: { maxSize?: number; integerFields?: readonly F[] } = {},
): ListPage<F> {
  const { field, direction } = sort ?? fallback;
  const page = pageFromArgs(args, { key: field, direction }, maxSize);
  const integer = integerFields.includes(field);
  for (const arg of ['after', 'before'] as const) {
    const cursor = page[arg];
    if (!cursor) continue;
    const value = String(cursor.value);
    const valueOk = integer ? digits.test(value) : isoInstant.safeParse(value).success;
    if (!valueOk || !isUuid(cursor.id)) throw badInput(`${arg}: not a cursor of this list`, arg);
  }
  return { ...page, sortKey: field };
}

/** An item's cursor: its sort value (ISO text for a timestamp, digits for a bigint) and its id. */
export function cursorAt<T extends { id: string }>(field: keyof T & string) {
  return (item: T) => {
    const value = item[field];
    return { value: value instanceof Date ? value.toISOString() : String(value), id: item.id };
  };
}
