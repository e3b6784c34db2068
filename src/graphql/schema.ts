// Imports every type file (each registers its types and fields on the builder), then builds.
import { builder } from './builder.ts';
import './types/trace-step.ts';
import './types/trace.ts';
import './types/viewer.ts';

export const schema = builder.toSchema({ sortSchema: true });
