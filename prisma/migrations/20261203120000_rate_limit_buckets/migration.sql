-- Rate limits shared by every server process of a deployment (issue 14): one token bucket per API
-- key, from which each process leases a small share at a time (src/rate-limit-buckets.ts), so the
-- limit holds across processes without a round trip per request. Cross-tenant, keyed by the public
-- key id, and read and written by the owner connection only, like api_keys: no row-level security,
-- no access for aos_app.

-- CreateTable
CREATE TABLE "rate_limit_buckets" (
    "key_id" VARCHAR(32) NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "granted" INTEGER NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("key_id")
);

REVOKE ALL ON "rate_limit_buckets" FROM aos_app;
