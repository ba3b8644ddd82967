'use client'
/** Actions on a module page, signed by a wallet account (the owner's, or an offer's recipient's, preselected when this browser holds it): offer it to another account or remove it; accept or decline an offer. */
import { useState } from 'react'
import { useAccountChoice } from '../../hooks/useAccountChoice.ts'
import { useAccounts } from '../../hooks/useAccounts.ts'
import { valueOf } from '../../hooks/useAsync.ts'
import { useOwnerActions } from '../../hooks/useOwnerActions.ts'
import type { ModuleRecord, TransferOffer } from '../../lib/types/chain.ts'
import { Alert } from '../ui/Alert.tsx'
import { Button } from '../ui/Button.tsx'
import { LabeledControl, Select, TextInput } from '../ui/FormControls.tsx'
import { PanelSection } from '../ui/Panel.tsx'

export function ModuleActions({ record, offer, onChanged }: { record: ModuleRecord; offer: TransferOffer | undefined; onChanged: () => void }) {
  const loaded = useAccounts()
  const accounts = valueOf(loaded) ?? []
  const holdsRecipient = offer !== undefined && accounts.some((a) => a.address === offer.to)
  const { index, account, choose } = useAccountChoice(accounts, holdsRecipient ? offer.to : record.owner)
  const { status, transfer, accept, cancel, remove } = useOwnerActions(record.key, onChanged)
  const isRecipient = offer !== undefined && account?.address === offer.to
  const [recipient, setRecipient] = useState('')
  const busy = status.state === 'working'
  const error = status.state === 'error' ? status.error : loaded.state === 'error' ? loaded.error : undefined

  function confirmRemove() {
    if (account !== undefined && window.confirm('Remove this module from the registry? Its deposit is released to the owner.')) remove(account)
  }

  return (
    <PanelSection id="actions" title="Owner actions">
      <div className="grid gap-4 md:grid-cols-[1fr_1fr_auto] md:items-end">
        <LabeledControl label="Sign as">
          <Select data-testid="actions-account" value={index} onChange={(e) => choose(Number(e.target.value))}>
            {accounts.length === 0 && <option>No wallet accounts</option>}
            {accounts.map((a, i) => <option key={a.address} value={i}>{a.name}{a.address === record.owner ? ' (owner)' : a.address === offer?.to ? ' (offered to)' : ''}</option>)}
          </Select>
        </LabeledControl>
        <LabeledControl label="Offer to (address)">
          <TextInput value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder="5…" />
        </LabeledControl>
        <div className="flex gap-2">
          <Button disabled={busy || recipient.trim() === ''} size="md" onClick={() => { if (account !== undefined) transfer(account, recipient) }}>Offer</Button>
          <Button variant="danger" size="md" disabled={busy} onClick={confirmRemove}>Remove</Button>
        </div>
      </div>
      {offer !== undefined && (
        <div className="mt-3 flex flex-wrap items-center gap-2 text-sm" data-testid="offer-actions">
          {isRecipient && <Button variant="primary" size="md" disabled={busy} onClick={() => { if (account !== undefined) accept(account) }}>Accept the transfer</Button>}
          <Button variant="secondary" size="md" disabled={busy} onClick={() => { if (account !== undefined) cancel(account) }}>{isRecipient ? 'Decline' : 'Withdraw the offer'}</Button>
        </div>
      )}
      {(status.state === 'working' || status.state === 'done') && <p role="status" data-testid="actions-status" className="mt-3 text-sm">{status.state === 'working' ? status.stage : status.message}</p>}
      {error && <Alert tone="error" data-testid="actions-error" className="mt-3 break-all">{error}</Alert>}
    </PanelSection>
  )
}
