// Prisma CLI configuration. Only `prisma generate` is used here: migrations are applied by our own
// runner (src/db/migrate.ts) because Prisma's native schema engine cannot be downloaded on our
// machines (see README, "Migrations").
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
