// Forensics: what happened around a run's inflection point, and incident export bundles.
import { graphql } from '../generated/index.ts';

export const ReplayWindow = graphql(`
  query ReplayWindow($runId: String!, $beforeSeconds: Int, $afterSeconds: Int) {
    replayWindow(runId: $runId, beforeSeconds: $beforeSeconds, afterSeconds: $afterSeconds) {
      runId traceId inflectionAt windowStart windowEnd truncated
      events { source timestamp stepIndex action outcome recordId }
    }
  }
`);

export const ExportBundle = graphql(`
  mutation ExportBundle($input: ExportBundleInput!) {
    exportBundle(input: $input) {
      bundleId kind contentHash bundle
      logExport { exportId scope format origin status checksum requestedBy runId incidentId correlationId deliveredAt }
    }
  }
`);

export const VerifyExportBundle = graphql(`
  query VerifyExportBundle($bundle: JSON!) {
    verifyExportBundle(bundle: $bundle) { valid expectedHash computedHash logExportFound }
  }
`);
