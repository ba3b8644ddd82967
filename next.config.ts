import type { NextConfig } from 'next'

/**
 * A static export that works from any base path (a plain static host, or an
 * IPFS gateway at /ipfs/<cid>/): relative asset URLs, trailing-slash routes,
 * no server routes, no image optimisation server.
 */
const config: NextConfig = {
  output: 'export',
  assetPrefix: './',
  trailingSlash: true,
  images: { unoptimized: true },
  typescript: { tsconfigPath: 'tsconfig.web.json' },
  turbopack: { root: import.meta.dirname },
}

export default config
