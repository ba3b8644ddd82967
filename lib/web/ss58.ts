/**
 * The chain's SS58 address format, for showing and matching addresses. The
 * web app reads it here only, so where it comes from can change in one line.
 */
import type { ModuleRegistryClient } from '../chain/client.ts'

/** undefined when the chain's properties name none (`loadAccounts` then uses 42, the generic Substrate format). */
export function ss58FormatOf(client: ModuleRegistryClient): number | undefined {
  return client.api.registry.chainSS58
}
