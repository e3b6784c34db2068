// Imports every type file (each registers its types and fields on the builder), then builds.
import { builder } from './builder.ts';
import './types/common.ts';
import './types/trace-step.ts';
import './types/trace.ts';
import './types/viewer.ts';
import './types/audit-entry.ts';
import './types/incident.ts';
import './types/log-export.ts';
import './types/llm-run.ts';
import './types/system-record.ts';
import './types/policy-activation.ts';
import './types/metrics.ts';
import './types/replay.ts';
import './types/export-bundle.ts';

import './types/run.ts';
import './types/integrity.ts';
import './types/subscriptions.ts';
// Relations last: they extend the types above.
import './types/relations.ts';
import './types/trace-span.ts';

export const schema = builder.toSchema({ sortSchema: true });
