// Export bundles of an incident (evidence, SOC2, executive debrief), recorded as log exports, and
// their verification.
import { badInput } from '../../errors.ts';
import { verifyBundle, type BundleKind } from '../../domain/bundles.ts';
import type { ExportedBundle } from '../../stores/bundles.ts';
import { builder } from '../builder.ts';
import { label, text, uuid } from '../validators.ts';
import { LogExportRef } from './log-export.ts';

export const ExportBundleKindEnum = builder.enumType('ExportBundleKind', {
  values: {
    EVIDENCE: { value: 'evidence', description: 'Incident, run, trace summary and steps, totals, policy context and ledger entries.' },
    SOC2: { value: 'soc2', description: 'The evidence bundle with SOC2 CC7.2–CC7.4 control mappings and an attestation, review PENDING.' },
    EXECUTIVE_DEBRIEF: { value: 'executive_debrief', description: 'A short summary for management: risk level, detection delay, cost; no trace steps.' },
  } as const satisfies Record<string, { value: BundleKind; description: string }>,
});

const ExportBundlePayloadRef = builder.objectRef<ExportedBundle>('ExportBundlePayload').implement({
  fields: (t) => ({
    bundle: t.field({
      type: 'JSON',
      description: 'The whole bundle document (snake_case keys). Hand it back to verifyExportBundle to check it.',
      resolve: (e) => e.bundle,
    }),
    bundleId: t.string({ resolve: (e) => e.bundle.bundle_id }),
    kind: t.field({ type: ExportBundleKindEnum, resolve: (e) => e.bundle.bundle_type }),
    contentHash: t.string({
      description: 'SHA-256 hex of the canonical JSON of the bundle without its content_hash field: it covers every other field.',
      resolve: (e) => e.bundle.content_hash,
    }),
    logExport: t.field({ type: LogExportRef, description: 'The COMPLETED export that records this bundle; checksum sha256:<contentHash>.', resolve: (e) => e.logExport }),
  }),
});

const ExportBundleInput = builder.inputType('ExportBundleInput', {
  fields: (t) => ({
    incidentId: t.string({ required: true, validate: uuid() }),
    kind: t.field({ type: ExportBundleKindEnum, required: true }),
    includeRawSteps: t.boolean({ defaultValue: true, description: 'Evidence and SOC2: include every step of the trace (totals are always included).' }),
    exportReason: t.string({ validate: text(2000), description: 'Redacted before it enters the bundle.' }),
    preparedFor: t.string({ validate: label(200), description: 'Redacted before it enters the bundle.' }),
  }),
});

builder.mutationField('exportBundle', (t) =>
  t.field({
    type: ExportBundlePayloadRef,
    description:
      "Assembles a bundle of an incident of the caller's tenant and records it as a log export (scope COMPLIANCE, " +
      'format JSON, origin SYSTEM, requested by the API key). An unknown incident and an incident of another tenant are the same NOT_FOUND, ' +
      'and write nothing. If assembly fails, the export is recorded as FAILED.',
    args: { input: t.arg({ type: ExportBundleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.stores.bundles.export(
        ctx.tenantId,
        {
          incidentId: input.incidentId,
          kind: input.kind,
          includeRawSteps: input.includeRawSteps ?? true,
          exportReason: input.exportReason ?? undefined,
          preparedFor: input.preparedFor ?? undefined,
        },
        ctx.principal.keyId,
      ),
  }),
);

type Verification = { valid: boolean; expectedHash: string | null; computedHash: string; logExportFound: boolean };

const BundleVerificationRef = builder.objectRef<Verification>('BundleVerification').implement({
  fields: (t) => ({
    valid: t.exposeBoolean('valid', { description: 'The stated content_hash equals the hash recomputed over the document.' }),
    expectedHash: t.exposeString('expectedHash', { nullable: true, description: 'The content_hash the bundle states; null when it states none.' }),
    computedHash: t.exposeString('computedHash'),
    logExportFound: t.exposeBoolean('logExportFound', {
      description: "A COMPLETED log export of the caller's tenant records this exact document (checksum sha256:<computedHash>).",
    }),
  }),
});

builder.queryField('verifyExportBundle', (t) =>
  t.field({
    type: BundleVerificationRef,
    description: 'Recomputes the content hash of a bundle handed back by its holder; any edited field makes it invalid.',
    args: { bundle: t.arg({ type: 'JSON', required: true }) },
    resolve: async (_root, { bundle }, ctx) => {
      if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) throw badInput('bundle must be a JSON object', 'bundle');
      const doc = bundle as Record<string, unknown>;
      const check = verifyBundle(doc);
      const exportId = typeof doc.log_export_id === 'string' ? doc.log_export_id : null;
      const logExportFound = await ctx.stores.bundles.completedExportExists(ctx.tenantId, `sha256:${check.computedHash}`, exportId);
      return { ...check, logExportFound };
    },
  }),
);
