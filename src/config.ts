// The only reader of process.env: parsed once at start, validated, passed down (B23: there is no
// fallback DSN and no default credential anywhere; without DATABASE_URL we use the embedded database).
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AOS_DATA_DIR: z.string().min(1).default('.aos-data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  TRACE_STALE_AFTER_SECONDS: seconds(3600),
  TRACE_REAPER_INTERVAL_SECONDS: seconds(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AOS_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  dbPoolSize: number;
  traceStaleAfterSeconds: number;
  reaperIntervalSeconds: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** auto: seed the demo tenant on the embedded database only. */
  demo: 'auto' | 'on' | 'off';
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.AOS_DATA_DIR,
    host: e.HOST,
    port: e.PORT,
    dbPoolSize: e.DB_POOL_SIZE,
    traceStaleAfterSeconds: e.TRACE_STALE_AFTER_SECONDS,
    reaperIntervalSeconds: e.TRACE_REAPER_INTERVAL_SECONDS,
    logLevel: e.LOG_LEVEL,
    demo: e.AOS_DEMO,
  };
}
