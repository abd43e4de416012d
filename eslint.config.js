import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import { layersPlugin } from "./scripts/layers.rules.mjs";

export default tseslint.config(
  {
    ignores: [
      "build/",
      ".data/",
      "node_modules/",
      "test-results/",
      "playwright-report/",
      "tests/e2e/artifacts/",
      "db/migrations/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["warn", "error", "log"] }],
    },
  },
  {
    // Layers import downwards only: routes → features → platform (app/lib, app/ui, app/i18n,
    // catalogues, emails) → db; feature → feature only along scripts/layers.rules.mjs's table.
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "emails/**/*.{ts,tsx}"],
    ignores: ["**/*.test.{ts,tsx}"],
    plugins: { layers: layersPlugin },
    rules: { "layers/downward": "error" },
  },
);
