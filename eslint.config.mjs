// Module boundaries are enforced here, not by convention (DESIGN.md B3), plus security lint.
import js from "@eslint/js";
import noUnsanitized from "eslint-plugin-no-unsanitized";
import security from "eslint-plugin-security";
import globals from "globals";
import tseslint from "typescript-eslint";

const NODE_ONLY = ["@/lib/db", "@/lib/ops/*", "@/lib/db/*", "@/lib/env", "@/lib/auth/*", "@/lib/services/*", "@/lib/realtime/server/*", "@/lib/logger", "@/lib/generated/*", "@prisma/*"];
const BROWSER_ONLY = ["@/lib/realtime/client/*", "@/lib/stores/*", "@/hooks/*", "@/components/*"];

const restrict = (groups) => ["error", { patterns: groups.map(([group, message, options]) => ({ group, message, ...options })) }];
// Values from the contract's schema modules bring zod and every payload schema into the page's JavaScript.
const PROTOCOL_SCHEMAS = ["@/lib/realtime/protocol", "@/lib/realtime/*-protocol"];

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "dist/", "lib/generated/", "test-results/", "playwright-report/", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  security.configs.recommended,
  noUnsanitized.configs.recommended,
  { languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Object keys here are our own literals or validated ids, never user-chosen property paths.
      "security/detect-object-injection": "off",
      "no-restricted-syntax": ["error", { selector: "ImportDeclaration[source.value='server-only']", message: "server-only throws under plain Node (server.ts); see DESIGN.md." }],
    },
  },
  {
    files: ["lib/realtime/client/**", "lib/stores/**", "hooks/**", "components/**"],
    rules: {
      "no-restricted-imports": restrict([
        [NODE_ONLY, "Node-only module: not in browser code."],
        [PROTOCOL_SCHEMAS, "Types only from the protocol here: take constants from @/lib/realtime/protocol-constants (zod stays off the pages).", { allowTypeImports: true }],
      ]),
    },
  },
  {
    // Tests run in Node: they may check the UI against the schemas themselves.
    files: ["lib/realtime/client/**/*.test.ts", "lib/stores/**/*.test.ts", "hooks/**/*.test.ts", "components/**/*.test.ts"],
    rules: { "no-restricted-imports": restrict([[NODE_ONLY, "Node-only module: not in browser code."]]) },
  },
  {
    files: ["server.ts", "lib/ops/**", "lib/services/**", "lib/realtime/server/**", "lib/auth/**", "lib/db.ts", "lib/db/**", "app/**/route.ts"],
    rules: { "no-restricted-imports": restrict([[BROWSER_ONLY, "Browser-only module: not in server code."]]) },
  },
  {
    files: ["lib/realtime/protocol.ts"],
    rules: { "no-restricted-imports": restrict([[["@/*", "node:*", "socket.io", "socket.io-client", "@prisma/*"], "protocol.ts is zod + types only."]]) },
  },
  {
    files: ["lib/realtime/server/registry.ts"],
    rules: { "no-restricted-imports": restrict([[["socket.io", "./io", "./handlers/*"], "registry.ts is types-only: it is bundled into Next's route handlers."]]) },
  },
  {
    files: ["components/ui/**"],
    rules: { "no-restricted-imports": restrict([[["@/lib/stores/*", "@/hooks/*", "@/lib/realtime/*"], "UI primitives take props only."]]) },
  },
  {
    // Paths here come from validated configuration or the repo layout, never from a request.
    files: ["**/*.test.ts", "test/**", "e2e/**", "scripts/**", "bench/**", "lib/db.ts", "lib/db/**", "lib/auth/secret.ts", "*.config.ts"],
    rules: { "security/detect-non-literal-fs-filename": "off", "security/detect-child-process": "off" },
  },
);
