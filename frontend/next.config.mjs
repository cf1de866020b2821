/** Static export: the API serves `out/` at `/` (embedded default), or any static host
 * (see vercel.json) serves it next to a separately deployed API. */
const config = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run lint` (part of `make test`) runs ESLint; the build does not repeat it.
  eslint: { ignoreDuringBuilds: true },
  env: {
    // Where the API lives when the site is hosted elsewhere; empty = same origin.
    NEXT_PUBLIC_API_BASE: process.env.NEXT_PUBLIC_API_BASE ?? "",
  },
};

export default config;
