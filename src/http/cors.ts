// Cross-origin access (CORS_ORIGINS). By default no origin but the server's own: yoga's default
// reflected any Origin with Access-Control-Allow-Credentials: true. API keys travel in the
// Authorization header, never in a cookie, so credentials mode is never allowed. An allowed
// origin may call /graphql and /v1/traces (browser OpenTelemetry exporters send a preflight).
import type { YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<object, object>['cors']>;

/** Origins as a browser sends them: scheme://host[:port], no path. */
export const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;

export function corsFor(allowedOrigins: readonly string[]): CorsOption {
  if (allowedOrigins.length === 0) return false;
  const allowed = new Set(allowedOrigins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    return {
      origin,
      credentials: false,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'content-encoding', 'x-request-id', 'x-aos-consistency'],
      exposedHeaders: ['x-request-id', 'retry-after', 'x-aos-consistency'],
      maxAge: 600,
    };
  };
}
