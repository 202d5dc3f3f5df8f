import { defineConfig } from "prisma/config";

// The CLI is only used for `prisma generate` (see scripts/prisma-generate.mjs); migrations are
// created and applied through the WASM schema engine (scripts/db.ts), which needs no download.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
