/**
 * What a submission went through, step by step, and how it ended: a link to
 * the module, or the chain's error in words. Its title (`progress-title`)
 * labels the aside around it.
 */
import type { Registration } from '../../hooks/useRegistration.ts'
import { SiteLink, viewHref } from '../SiteLink.tsx'
import { Alert } from '../ui/Alert.tsx'
import { Panel, PanelTitle } from '../ui/Panel.tsx'

const ICON = { done: '✓', failed: '✕', active: '…' }

export function RegisterProgress({ registration }: { registration: Registration }) {
  const steps = registration.state === 'idle' ? [] : registration.steps
  return (
    <Panel>
      <PanelTitle id="progress-title">Progress</PanelTitle>
      {steps.length === 0 && <p className="text-sm text-slate-500">Nothing submitted yet.</p>}
      <ol className="space-y-2 text-sm" data-testid="progress">
        {steps.map((step, i) => (
          <li key={i} data-state={step.state} className="flex gap-2">
            <span aria-hidden="true">{ICON[step.state]}</span>
            <span className={`break-all ${step.state === 'failed' ? 'text-rose-700 dark:text-rose-400' : ''}`}>{step.label}</span>
          </li>
        ))}
      </ol>
      {registration.state === 'failed' && <Alert tone="error" data-testid="register-error" className="mt-3 break-all">{registration.error}</Alert>}
      {registration.state === 'done' && (
        <Alert tone="success" data-testid="register-done" className="mt-3">
          Module {registration.result.action} in block #{registration.result.blockNumber}.{' '}
          <span data-testid="register-signature">{registration.result.unsignedReason === undefined ? 'The metadata is signed by the module key.' : `The metadata is not signed by the module key: ${registration.result.unsignedReason}.`}</span>{' '}
          <SiteLink href={viewHref('module', { key: registration.result.key })} className="font-medium underline">Open it</SiteLink>
        </Alert>
      )}
    </Panel>
  )
}
