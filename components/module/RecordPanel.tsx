/** The on-chain record as the light client proved it. */
import type { ModuleRecord } from '../../lib/types/chain.ts'
import { KeyValue, KeyValueList } from '../ui/KeyValue.tsx'
import { Panel, PanelTitle } from '../ui/Panel.tsx'

export function RecordPanel({ record }: { record: ModuleRecord }) {
  return (
    <Panel>
      <PanelTitle id="record-title">On-chain record</PanelTitle>
      <KeyValueList>
        <KeyValue label="Key"><code className="break-all" data-testid="record-key">{record.key}</code></KeyValue>
        <KeyValue label="Owner"><code className="break-all" data-testid="record-owner">{record.owner}</code></KeyValue>
        <KeyValue label="Metadata CID"><code className="break-all" data-testid="record-cid">{record.cid}</code></KeyValue>
        <KeyValue label="Revision"><span data-testid="record-revision">{record.revision}</span></KeyValue>
        <KeyValue label="Registered">block #{record.registeredAt}</KeyValue>
        <KeyValue label="Updated">block #{record.updatedAt}</KeyValue>
        <KeyValue label="Deposit">{formatUnits(record.deposit)} MODNET</KeyValue>
      </KeyValueList>
    </Panel>
  )
}

/** A balance in the chain's smallest unit (12 decimals) as a decimal string. */
function formatUnits(value: bigint, decimals = 12): string {
  const whole = value / 10n ** BigInt(decimals)
  const fraction = (value % 10n ** BigInt(decimals)).toString().padStart(decimals, '0').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole.toString()
}
