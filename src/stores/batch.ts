// Batch helpers for DataLoader-backed store methods: one result per key, in key order
// (Node 20 has no Map.groupBy).

export function oneByKey<K, T>(keys: readonly K[], items: readonly T[], keyOf: (item: T) => K): (T | null)[] {
  const byKey = new Map<K, T>();
  for (const item of items) byKey.set(keyOf(item), item);
  return keys.map((k) => byKey.get(k) ?? null);
}

export function manyByKey<K, T>(keys: readonly K[], items: readonly T[], keyOf: (item: T) => K): T[][] {
  const byKey = new Map<K, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = byKey.get(k);
    if (list) list.push(item);
    else byKey.set(k, [item]);
  }
  return keys.map((k) => byKey.get(k) ?? []);
}
