-- API-key rotation (issue 11): `keys rotate` creates a new key with the same tenant and scopes
-- and gives the old one an expiry (its grace period); authentication refuses it from then on.
-- Generated with npm run db:diff from the schema before and after.

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);
