'use client'
/**
 * Which account signs: the one the user picked, else the owner's when this
 * browser holds it, else the first. Deriving it (rather than setting it when
 * the accounts arrive) means a late load never overrides the user's pick.
 */
import { useState } from 'react'
import type { WalletAccount } from '../lib/web/wallet.ts'

export interface AccountChoice {
  index: number
  account: WalletAccount | undefined
  choose(index: number): void
}

export function useAccountChoice(accounts: WalletAccount[] | undefined, owner: string | undefined): AccountChoice {
  const [chosen, choose] = useState<number>()
  const ownerIndex = accounts?.findIndex((account) => account.address === owner) ?? -1
  const index = chosen ?? (ownerIndex >= 0 ? ownerIndex : 0)
  return { index, account: accounts?.[index], choose }
}
