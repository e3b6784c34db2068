// `aos import`: a JSON Lines export back into the same tenant id, in another database (backup and
// restore), all or nothing, every column as exported. Renaming is refused: a trace's root hash and
// every audit-ledger entry hash cover the tenant id, so records moved to another id would no longer
// verify, and recomputing them would forge evidence.
import { badInput, notFound } from '../errors.ts';
import type { Stores } from '../stores/index.ts';
import type { ImportCounts, ImportRecord } from '../stores/transfer.ts';
import { openExportFile } from './transfer-file.ts';

export type ImportOptions = {
  tenantId: string;
  file: string;
  onProgress?: ((state: { bytes: number; size: number; records: number }) => void) | undefined;
  /** Records per insert (default 500). */
  batchSize?: number | undefined;
};

export type ImportReport = { counts: ImportCounts; inserted: number; skipped: number };

export async function importFile(stores: Stores, options: ImportOptions): Promise<ImportReport> {
  const file = await openExportFile(options.file);
  try {
    if (file.header.tenantId !== options.tenantId) {
      throw badInput(
        `the file holds tenant ${file.header.tenantId}'s records, not ${options.tenantId}'s: import it into tenant ${file.header.tenantId} ` +
          '(root hashes and audit-ledger hashes include the tenant id, so records cannot change tenant)',
        'tenant',
      );
    }
    const [tenant] = await stores.tenants.byIds([options.tenantId]);
    if (!tenant) throw notFound(`tenant ${options.tenantId} (create it first: npm run aos -- tenants create --id ${options.tenantId} --name …)`);

    let records = 0;
    async function* withProgress(): AsyncGenerator<ImportRecord> {
      for await (const record of file.records) {
        records += 1;
        options.onProgress?.({ bytes: file.bytesRead(), size: file.size, records });
        yield record;
      }
    }
    const counts = await stores.transfer.importRecords(options.tenantId, withProgress(), options.batchSize);
    const totals = Object.values(counts);
    return { counts, inserted: totals.reduce((n, c) => n + c.inserted, 0), skipped: totals.reduce((n, c) => n + c.skipped, 0) };
  } finally {
    file.close();
  }
}
