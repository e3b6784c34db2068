// Row ids are UUIDs. A malformed one can match no row, and handing it to Postgres would fail the
// whole batch with a cast error, so batch methods drop it up front and answer null for it.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string) => UUID.test(id);

/** The keys a batch query should look up, and the keys its results map back to (Postgres prints UUIDs in lower case). */
export function uuidKeys(ids: readonly string[]): { lookup: string[]; keys: string[] } {
  const keys = ids.map((id) => id.toLowerCase());
  return { lookup: [...new Set(keys.filter(isUuid))], keys };
}
