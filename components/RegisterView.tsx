'use client'
/**
 * Register or update a module: metadata built in a form and validated as you
 * type, its CID computed here, uploaded through the gateway (whose CID must
 * match), then the extrinsic signed by the chosen account, with progress.
 */
import { useMemo, type FormEvent } from 'react'
import { u8aToHex } from '@polkadot/util'
import { decodeAddress } from '@polkadot/util-crypto'
import { useAccountChoice } from '../hooks/useAccountChoice.ts'
import { useAccounts } from '../hooks/useAccounts.ts'
import { valueOf } from '../hooks/useAsync.ts'
import { useMetadataForm } from '../hooks/useMetadataForm.ts'
import { useKnownNames } from '../hooks/useKnownNames.ts'
import { useModule, verifiedMetadata } from '../hooks/useModule.ts'
import { lookAlikes } from '../lib/types/names.ts'
import { useRegistration } from '../hooks/useRegistration.ts'
import { signingNote } from '../lib/web/wallet.ts'
import type { ViewProps } from './App.tsx'
import { AccountSelect } from './register/AccountSelect.tsx'
import { DocumentPreview } from './register/DocumentPreview.tsx'
import { LookAlikeNames } from './register/LookAlikeNames.tsx'
import { MetadataFields } from './register/MetadataFields.tsx'
import { RegisterProgress } from './register/RegisterProgress.tsx'
import { SigningNote } from './register/SigningNote.tsx'
import { ErrorText } from './ui/Alert.tsx'
import { Button } from './ui/Button.tsx'
import { PageHeading } from './ui/PageHeading.tsx'
import { Panel } from './ui/Panel.tsx'

export function RegisterView({ query }: ViewProps) {
  const updateKey = query.get('key') || undefined
  const accounts = useAccounts()
  const current = useModule(updateKey)
  const form = useMetadataForm(verifiedMetadata(valueOf(current)))
  // The owner is preselected when this browser holds its key.
  const choice = useAccountChoice(valueOf(accounts), valueOf(current)?.record?.owner)
  const { registration, register } = useRegistration()
  const names = valueOf(useKnownNames())
  // The module is its key: the one being updated, or the account's own.
  const moduleKey = updateKey ?? (choice.account === undefined ? undefined : u8aToHex(decodeAddress(choice.account.address)))
  const alikes = useMemo(() => (names === undefined || typeof form.doc.name !== 'string' || form.doc.name === '' ? [] : lookAlikes(form.doc.name, names.known, moduleKey)),
    [names, form.doc.name, moduleKey])
  const note = useMemo(() => signingNote(moduleKey, choice.account), [moduleKey, choice.account])
  const busy = registration.state === 'working'

  function submit(event: FormEvent) {
    event.preventDefault()
    form.touchAll()
    if (form.valid && choice.account !== undefined) register(form.doc, choice.account, updateKey)
  }

  return (
    <section aria-labelledby="register-title" className="grid gap-8 lg:grid-cols-[1fr_22rem]">
      <Panel as="form" padding="wide" onSubmit={submit} noValidate className="space-y-5">
        <PageHeading id="register-title" title={updateKey ? 'Update module' : 'Register a module'}
          description={updateKey ? <>New version of <code className="break-all">{updateKey}</code>; it links to the current one as <code>previous</code>.</> : 'The module key is the signing account\'s own public key.'} />
        <AccountSelect accounts={accounts} choice={choice} />
        <SigningNote note={note} />
        <MetadataFields form={form} />
        <LookAlikeNames alikes={alikes} />
        {form.otherIssues && <ErrorText className="block text-sm">{form.otherIssues.join('; ')}</ErrorText>}
        {current.state === 'error' && <ErrorText className="block text-sm">Cannot read the module to update: {current.error}</ErrorText>}
        <Button type="submit" variant="primary" size="lg" disabled={busy || choice.account === undefined}>
          {busy ? 'Working…' : updateKey ? 'Sign and update' : 'Sign and register'}
        </Button>
      </Panel>

      <aside aria-labelledby="progress-title" className="space-y-4">
        <RegisterProgress registration={registration} />
        <DocumentPreview doc={form.doc} />
      </aside>
    </section>
  )
}
