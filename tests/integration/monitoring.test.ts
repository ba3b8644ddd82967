/**
 * The monitoring in deploy/: the Prometheus alert rules pass `promtool check
 * rules` and their own unit tests (`promtool test rules`), the Grafana
 * dashboards are well-formed, and every metric a rule or a dashboard panel
 * queries is really exported by a running dev node and gateway (a renamed
 * metric would otherwise leave an alert that never fires and an empty panel).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGateway, type RunningGateway } from '../support/gateway.ts'
import { rpc, startDevNode, waitFor, type DevNode } from '../support/node.ts'

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url))
const RULES = join(DEPLOY, 'prometheus', 'modnet-alerts.yml')
const RULE_TESTS_DIR = join(DEPLOY, 'prometheus', 'tests')
const PROMETHEUS_CONFIG = join(DEPLOY, 'prometheus', 'prometheus.yml')
const DASHBOARDS = ['modnet-node.json', 'modnet-gateway.json'].map((name) => join(DEPLOY, 'grafana', name))
/** Blocks the node must have finalized before the scrape (every metric is registered by then). */
const FINALIZED_BLOCKS = 3

// --- promtool ------------------------------------------------------------------

/** promtool from PATH, else Debian's (scripts/setup.sh installs the `prometheus` package). */
function promtool(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'promtool'))) return join(dir, 'promtool')
  }
  if (existsSync('/usr/bin/promtool')) return '/usr/bin/promtool'
  throw new Error('promtool not found: install Debian\'s `prometheus` package (scripts/setup.sh system)')
}

/** Runs promtool; fails the test with promtool's own output when it exits non-zero. */
async function runPromtool(args: string[]): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(promtool(), args, { cwd: DEPLOY }, (error, stdout, stderr) => {
      if (error) reject(new Error(`promtool ${args.join(' ')} failed (${error.code ?? error.message}):\n${stdout}${stderr}`))
      else resolve(stdout + stderr)
    })
  })
}

function ruleTestFiles(): string[] {
  return readdirSync(RULE_TESTS_DIR).filter((name) => name.endsWith('.yml') || name.endsWith('.yaml')).sort().map((name) => join(RULE_TESTS_DIR, name))
}

// --- metric names out of PromQL -------------------------------------------------

/** PromQL words that are not metric names when they are not followed by `(`. */
const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'atan2', 'inf', 'nan'])

/**
 * The metric names a PromQL expression selects. Strings, label matchers
 * (`{…}`), ranges (`[…]`), label lists after `by`/`without`/`on`/`ignoring`/
 * `group_left`/`group_right`, Grafana variables (`$x`, `${x}`) and numbers are
 * dropped first; of the identifiers left, those followed by `(` are functions
 * or aggregations and the rest, keywords aside, are metric names.
 */
function metricNames(expr: string): Set<string> {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/\{[^}]*\}/g, ' {} ')
    .replace(/\[[^\]]*\]/g, ' [] ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
  const names = new Set<string>()
  for (const match of stripped.matchAll(/(\d[\w.]*(?:[eE][+-]?\d+)?)|([A-Za-z_:][\w:]*)/g)) {
    const word = match[2]
    if (word === undefined) continue // a number or a duration
    const next = stripped.slice(match.index + match[0].length).trimStart()[0]
    if (next === '(') continue // a function or an aggregation
    if (PROMQL_KEYWORDS.has(word.toLowerCase())) continue
    names.add(word)
  }
  return names
}

/**
 * Every `expr:` of the rule file. A small reader for the layout the file uses
 * (inline values and `|`/`>` block scalars); it checks it found one
 * expression per rule, so a layout it does not know fails instead of
 * silently checking fewer rules.
 */
function ruleExpressions(file: string): { alert: string; expr: string }[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const alerts: string[] = []
  const exprs: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const alert = /^\s*-\s+(?:alert|record):\s*(\S+)/.exec(lines[i])
    if (alert) alerts.push(alert[1])
    const match = /^(\s*)(?:-\s+)?expr:\s*(.*)$/.exec(lines[i])
    if (!match) continue
    const indent = match[1].length
    const value = match[2].trim()
    if (/^[|>][-+]?$/.test(value)) {
      const block: string[] = []
      while (i + 1 < lines.length && (lines[i + 1].trim() === '' || /^\s*/.exec(lines[i + 1])![0].length > indent)) block.push(lines[++i])
      exprs.push(block.join('\n'))
    } else {
      exprs.push(/^(["']).*\1$/.test(value) ? value.slice(1, -1) : value)
    }
  }
  assert.equal(exprs.length, alerts.length, `${file}: found ${exprs.length} expr: lines for ${alerts.length} rules`)
  return alerts.map((alert, i) => ({ alert, expr: exprs[i] }))
}

interface Panel {
  id?: number
  type?: string
  title?: string
  datasource?: { type?: string; uid?: string }
  targets?: { expr?: string }[]
  panels?: Panel[]
}

interface Dashboard {
  title: string
  uid: string
  schemaVersion: number
  __inputs?: { name: string; type: string; pluginId: string }[]
  panels: Panel[]
  templating?: { list: { name: string; query?: string | { query?: string }; definition?: string }[] }
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])])
}

/** Every query of a dashboard: panel targets and template variables (`label_values(<selector>, label)`). */
function dashboardExpressions(file: string): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard
  const found: { where: string; expr: string }[] = []
  for (const panel of allPanels(dashboard.panels)) {
    for (const target of panel.targets ?? []) if (target.expr) found.push({ where: `${dashboard.title} / ${panel.title}`, expr: target.expr })
  }
  for (const variable of dashboard.templating?.list ?? []) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query
    if (!query) continue
    const labelValues = /^\s*label_values\(\s*(.*),\s*\w+\s*\)\s*$/s.exec(query)
    found.push({ where: `${dashboard.title} / $${variable.name}`, expr: labelValues ? labelValues[1] : query })
  }
  return found
}

// --- the live /metrics pages -----------------------------------------------------

/**
 * Metric names on a Prometheus text-format page: every sample's name, and
 * every `# TYPE` family (a labelled counter with no samples yet is still
 * exported); a histogram family brings its `_bucket`/`_sum`/`_count` series.
 */
function exposedNames(page: string): Set<string> {
  const names = new Set<string>()
  for (const line of page.split('\n')) {
    const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line)
    if (type) {
      names.add(type[1])
      if (type[2] === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(type[1] + suffix)
      if (type[2] === 'summary') for (const suffix of ['_sum', '_count']) names.add(type[1] + suffix)
      continue
    }
    const sample = /^([A-Za-z_:][\w:]*)(?:\{|\s)/.exec(line)
    if (sample) names.add(sample[1])
  }
  return names
}

/** Series Prometheus makes itself for every scrape target; they are on no /metrics page. */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'])

async function scrape(url: string): Promise<string> {
  const response = await fetch(url)
  assert.equal(response.status, 200, `GET ${url}`)
  return await response.text()
}

async function finalizedNumber(node: DevNode): Promise<number> {
  const hash = (await rpc(node, 'chain_getFinalizedHead')) as string | undefined
  if (hash === undefined) return 0
  const header = (await rpc(node, 'chain_getHeader', [hash])) as { number: string }
  return Number.parseInt(header.number, 16)
}

// --- tests ---------------------------------------------------------------------------

describe('alert rules', () => {
  test('promtool check rules accepts the rule file', async () => {
    const output = await runPromtool(['check', 'rules', RULES])
    assert.match(output, /SUCCESS/)
  })

  test('promtool test rules: each alert fires in its situation and not in the healthy one', async () => {
    const files = ruleTestFiles()
    assert.ok(files.length > 0, `no rule tests in ${RULE_TESTS_DIR}`)
    await runPromtool(['test', 'rules', ...files])
  })

  test('every alert has a unit test, a severity and operator-facing annotations', () => {
    const rules = readFileSync(RULES, 'utf8')
    const tested = ruleTestFiles().map((file) => readFileSync(file, 'utf8')).join('\n')
    const alerts = ruleExpressions(RULES).map((rule) => rule.alert)
    const untested = alerts.filter((alert) => !new RegExp(`alertname:\\s*${alert}\\s*$`, 'm').test(tested))
    assert.deepEqual(untested, [], 'alerts without a promtool unit test')
    for (const block of rules.split(/\n\s*- alert: /).slice(1)) {
      const name = block.split('\n')[0].trim()
      assert.match(block, /severity: (warning|critical)\b/, `${name}: severity`)
      assert.match(block, /summary: /, `${name}: summary`)
      assert.match(block, /description: /, `${name}: description`)
    }
  })

  test('the example Prometheus config loads the rules', async () => {
    await runPromtool(['check', 'config', PROMETHEUS_CONFIG])
  })
})

describe('dashboards', () => {
  for (const file of DASHBOARDS) {
    test(`${file.split('/').pop()} is dashboard JSON with unique panel ids and a \${DS_PROMETHEUS} input`, () => {
      const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard
      assert.ok(dashboard.title && dashboard.uid, 'title and uid')
      assert.ok(dashboard.schemaVersion >= 36, `schemaVersion ${dashboard.schemaVersion}`)
      assert.deepEqual(dashboard.__inputs?.map((input) => [input.name, input.type, input.pluginId]), [['DS_PROMETHEUS', 'datasource', 'prometheus']])
      const panels = allPanels(dashboard.panels)
      const ids = panels.map((panel) => panel.id)
      assert.ok(ids.every((id) => Number.isInteger(id)), 'every panel has an id')
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i)
      assert.deepEqual(duplicates, [], 'duplicate panel ids')
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        assert.equal(panel.datasource?.uid, '${DS_PROMETHEUS}', `${panel.title}: datasource`)
        assert.ok((panel.targets ?? []).length > 0 && panel.targets!.every((t) => t.expr), `${panel.title}: queries`)
      }
    })
  }

  test('every dashboard query is valid PromQL (promtool check rules on them as recording rules)', async () => {
    // Grafana's variables, replaced by what Grafana would send.
    const queries = DASHBOARDS.flatMap(dashboardExpressions).map(({ expr }) => expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?\w+\}?/g, '.*'))
    const rules = { groups: [{ name: 'dashboard-queries', rules: queries.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] }
    const dir = mkdtempSync(join(tmpdir(), 'modnet-dashboard-queries-'))
    try {
      // JSON is YAML: promtool reads it as a rule file.
      const file = join(dir, 'queries.yml')
      writeFileSync(file, JSON.stringify(rules, null, 2))
      await runPromtool(['check', 'rules', file])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('metric names are read out of PromQL', () => {
    assert.deepEqual(
      [...metricNames('histogram_quantile(0.99, sum by (route, le) (rate(a_bucket{job=~"$job", route!~"x|y"}[$__rate_interval]))) > 1e3 and on(instance) b == 1 unless c offset 5m')].sort(),
      ['a_bucket', 'b', 'c'],
    )
    assert.deepEqual([...metricNames('max by (instance) (x{status="best"}) - ignoring(status) y')].sort(), ['x', 'y'])
  })
})

describe('every metric a rule or a dashboard queries is exported by a live node and gateway', () => {
  let node: DevNode
  let gateway: RunningGateway
  let dir: string

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'modnet-monitoring-'))
    node = await startDevNode(join(dir, 'chain'))
    gateway = await startGateway(['--data-dir', join(dir, 'gateway'), '--rpc', node.rpcUrl])
    await waitFor(async () => (await finalizedNumber(node)) >= FINALIZED_BLOCKS, 60_000)
    // The gateway reports healthy once it has seen a finalized head; give it
    // the chance (the names are checked either way).
    await waitFor(async () => (await fetch(`${gateway.url}/healthz`)).status === 200, 30_000).catch(() => {})
  })

  after(async () => {
    await gateway?.stop()
    await node?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  test('no rule or panel queries a metric that is not exported', async () => {
    const exposed = new Set([...exposedNames(await scrape(node.prometheusUrl)), ...exposedNames(await scrape(`${gateway.url}/metrics`)), ...SYNTHETIC])
    const queries = [
      ...ruleExpressions(RULES).map((rule) => ({ where: `rule ${rule.alert}`, expr: rule.expr })),
      ...DASHBOARDS.flatMap(dashboardExpressions),
    ]
    const missing = new Map<string, string[]>()
    let checked = 0
    for (const { where, expr } of queries) {
      for (const name of metricNames(expr)) {
        checked++
        if (!exposed.has(name)) missing.set(name, [...(missing.get(name) ?? []), where])
      }
    }
    assert.ok(checked > 50, `only ${checked} metric references found: is the PromQL reader broken?`)
    const report = [...missing].map(([name, where]) => `  ${name}  (${[...new Set(where)].join('; ')})`).join('\n')
    assert.equal(missing.size, 0, `metrics queried but not on the live /metrics pages:\n${report}`)
  })
})
