/** The module's verification marks: record (light client), metadata bytes (hash), schema, signature by the module key. */
import type { ModuleRecord } from '../../lib/types/chain.ts'
import { shortHex, type ModuleDetails } from '../../lib/web/modules.ts'
import { PanelSection } from '../ui/Panel.tsx'
import { VerificationItem, type Mark } from './VerificationItem.tsx'

export function VerificationPanel({ record, details }: { record: ModuleRecord; details: ModuleDetails }) {
  const { at, metadata, signature } = details
  const metadataMark: Mark = metadata?.state === 'failed' ? 'fail' : 'ok'
  const schemaMark: Mark = metadata?.state === 'verified' ? 'ok' : metadata?.state === 'invalid' ? 'warn' : 'fail'
  const signatureMark: Mark = signature?.status === 'valid' ? 'ok' : signature?.status === 'invalid' ? 'fail' : 'warn'
  // Schema and signature are about bytes we have: skipped when the bytes failed their hash.
  const haveBytes = metadata?.state !== 'failed'
  return (
    <PanelSection id="verification" title="Verification" titleClassName="mb-4">
      <ul className="space-y-4">
        <VerificationItem testId="verify-record" mark="ok" title="On-chain record"
          detail={`Storage proof checked by the smoldot light client against finalized block #${at.blockNumber} (${shortHex(at.blockHash, 8)}).`} />
        <VerificationItem testId="verify-metadata" mark={metadataMark} title="Metadata bytes"
          detail={metadata?.state === 'failed' ? `Not shown: ${metadata.error}` : `Hash matches the registered CID ${record.cid}.`} />
        {haveBytes && <VerificationItem testId="verify-schema" mark={schemaMark} title="Schema"
          detail={metadata?.state === 'verified' ? 'Valid modnet/module-metadata/v1 document.' : `Does not match the schema: ${metadata?.state === 'invalid' ? metadata.problems.join('; ') : ''}`} />}
        {haveBytes && <VerificationItem testId="verify-signature" mark={signatureMark} title="Signature by the module key"
          detail={signature?.status === 'valid' ? 'Valid: the module key signed this document.' : signature?.status === 'absent' ? 'Absent: the document is not signed.' : `Invalid: ${signature?.reason ?? 'does not verify'}.`} />}
      </ul>
    </PanelSection>
  )
}
