// ESLint (flat config): the recommended JavaScript and TypeScript rules plus the Rules of
// Hooks. `npm run lint` fails on any warning, so exhaustive-deps is enforced too; a
// deliberate exception is disabled on its line with the reason beside it.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/", "out/", "node_modules/", "next-env.d.ts", "src/api/schema.d.ts",
              // Copied from spessasynth_lib at build time (npm run copy-worklet).
              "public/audio/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Build configuration runs in Node.
  { files: ["*.mjs"], languageOptions: { globals: { process: "readonly" } } },
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_",
                                                       varsIgnorePattern: "^_",
                                                       ignoreRestSiblings: true }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
);
