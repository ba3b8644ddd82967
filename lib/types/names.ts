/**
 * Look-alike module names. A name is a claim in metadata, not unique on
 * chain: the module key is the identity. So where a name is shown or chosen,
 * names that could be taken for it are pointed out: the same name under
 * another key, a confusable spelling, or a near miss.
 *
 * Names are `a-z 0-9 . _ -` (the schema), so Unicode confusables cannot occur
 * in a valid name; the confusables left are the ASCII ones: `0`/`o`,
 * `1`/`l`/`i`, `5`/`s`, `2`/`z`, `8`/`b`, `rn`/`m`, `vv`/`w`, `cl`/`d`, and
 * the separators `.`, `_`, `-` for one another.
 */

export interface NamedModule {
  name: string
  key: string
}

export interface LookAlike extends NamedModule {
  /** `same-name`: identical; `confusable`: the same once confusable characters are folded; `near`: within the edit distance. */
  why: 'same-name' | 'confusable' | 'near'
  /** Edits (insert, delete, substitute, swap neighbours) between the folded names. */
  distance: number
}

const SEQUENCES: [RegExp, string][] = [[/rn/g, 'm'], [/vv/g, 'w'], [/cl/g, 'd']]
const CHARACTERS: Record<string, string> = { 0: 'o', 1: 'l', i: 'l', 5: 's', 2: 'z', 8: 'b', _: '-', '.': '-' }

/** The name with confusable spellings folded to one form (`rn` → `m`, `0` → `o`, `_` → `-`…). */
export function nameSkeleton(name: string): string {
  // Characters first, so `c1i`, `cl1` and `cli` all become `cll`, then `dl`.
  let folded = [...name.toLowerCase()].map((c) => CHARACTERS[c] ?? c).join('')
  for (const [sequence, replacement] of SEQUENCES) folded = folded.replace(sequence, replacement)
  return folded.replace(/-+/g, '-')
}

/** How many edits a name of this length may be from another and still be a near miss. */
function nearLimit(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0
}

/** Optimal-string-alignment distance, stopping early once it exceeds `limit` (then `limit + 1`). */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before = new Array<number>(b.length + 1).fill(0)
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1)
      current.push(value)
      best = Math.min(best, value)
    }
    if (best > limit) return limit + 1
    before = previous
    previous = current
  }
  return previous[b.length]!
}

/**
 * The modules in `known` whose names could be taken for `name`, other than
 * the module `key` itself: closest first.
 */
export function lookAlikes(name: string, known: Iterable<NamedModule>, key?: string): LookAlike[] {
  const skeleton = nameSkeleton(name)
  const limit = nearLimit(skeleton.length)
  const found: LookAlike[] = []
  for (const other of known) {
    if (key !== undefined && other.key.toLowerCase() === key.toLowerCase()) continue
    if (other.name === name) {
      found.push({ ...other, why: 'same-name', distance: 0 })
      continue
    }
    const otherSkeleton = nameSkeleton(other.name)
    const distance = otherSkeleton === skeleton ? 0 : editDistance(skeleton, otherSkeleton, limit)
    if (distance === 0) found.push({ ...other, why: 'confusable', distance })
    else if (distance <= limit) found.push({ ...other, why: 'near', distance })
  }
  const order = { 'same-name': 0, confusable: 1, near: 2 }
  return found.sort((a, b) => order[a.why] - order[b.why] || a.distance - b.distance || a.name.localeCompare(b.name))
}

/** One line about a look-alike, for people. */
export function describeLookAlike(alike: LookAlike): string {
  const what = alike.why === 'same-name' ? 'the same name' : alike.why === 'confusable' ? 'a name that reads the same' : `a name ${alike.distance} edit${alike.distance === 1 ? '' : 's'} away`
  return `"${alike.name}" (module ${alike.key}) has ${what}`
}
