// Shared by the append-only record stores: a retried write must repeat its content exactly.
import { canonicalJson } from '../domain/canonical-json.ts';

/**
 * The keys of `sent` whose values differ from `stored`, compared as canonical JSON so dates,
 * bigints and JSON payloads compare by value. An empty list means the write is a safe replay.
 * `inputNames` renames stored fields to the input fields clients sent (costMicrocents → costCents).
 */
export function differingFields<T extends object>(stored: T, sent: Partial<T>, inputNames: Partial<Record<keyof T, string>> = {}): string[] {
  return (Object.keys(sent) as (keyof T)[])
    .filter((k) => canonicalJson(stored[k]) !== canonicalJson(sent[k]))
    .map((k) => inputNames[k] ?? String(k));
}
