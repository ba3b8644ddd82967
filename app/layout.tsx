import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import './globals.css'

export const metadata: Metadata = {
  title: 'Mod-Net — trustless module registry',
  description: 'Browse and register modules; every record is proved by a light client and every document checked against its CID.',
  // Inline, so no request is made: a /favicon.ico would miss under an IPFS path gateway's /ipfs/<cid>/.
  icons: { icon: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0f766e"/><path d="M4 12V4l4 5 4-5v8" stroke="#fff" stroke-width="1.6" fill="none"/></svg>')}` },
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  )
}
