/** The gateway's Prometheus metrics (GET /metrics). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'modnet_gateway_' })
  return {
    registry,
    requests: new Counter({ name: 'modnet_gateway_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'] as const, registers: [registry] }),
    latency: new Histogram({ name: 'modnet_gateway_request_duration_seconds', help: 'HTTP request latency by route', labelNames: ['route'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    uploads: new Counter({ name: 'modnet_gateway_uploads_total', help: 'Metadata uploads by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    rateLimited: new Counter({ name: 'modnet_gateway_rate_limited_total', help: 'Requests refused with 429, by route', labelNames: ['route'] as const, registers: [registry] }),
    pins: new Gauge({ name: 'modnet_gateway_pins', help: 'Pins kept by the gateway, by state', labelNames: ['state'] as const, registers: [registry] }),
    pinsExpired: new Counter({ name: 'modnet_gateway_pins_expired_total', help: 'Provisional pins dropped because no registration named them in time', registers: [registry] }),
    chainFinalized: new Gauge({ name: 'modnet_gateway_chain_finalized_block', help: 'Last finalized block the gateway has seen', registers: [registry] }),
    chainEvents: new Counter({ name: 'modnet_gateway_chain_events_total', help: 'Registry events seen in finalized blocks, by type', labelNames: ['type'] as const, registers: [registry] }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
