export type StepLevel = 'INFO' | 'WARN' | 'ERROR';

// Reference §2.9: unknown statuses are informational rather than rejected, because the level is
// derived for display and must never block ingestion.
export function statusToLevel(status: unknown): StepLevel {
  const s = String(status).toLowerCase().trim();
  if (s === 'failure' || s === 'error') return 'ERROR';
  if (s === 'retry' || s === 'retrying') return 'WARN';
  return 'INFO';
}
