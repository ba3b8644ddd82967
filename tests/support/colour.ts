/**
 * Colours as the browser paints them. Chromium's computed styles keep the
 * colour space the CSS used (Tailwind 4 writes lab() and oklch()), so a
 * computed value is painted on a 1x1 canvas and the pixel read back as sRGB.
 */
import type { Page } from 'playwright-core'

export type Rgba = [number, number, number, number]

/** The painted background and text colour of the first element matching `selector`. */
export async function paintedColours(page: Page, selector: string): Promise<{ background: Rgba; text: Rgba; css: { background: string; text: string } }> {
  return await page.$eval(selector, (element) => {
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = 1
    const context = canvas.getContext('2d', { willReadFrequently: true })!
    const paint = (css: string): [number, number, number, number] => {
      // A colour the canvas cannot parse leaves fillStyle transparent: alpha 0, not a plausible colour.
      context.clearRect(0, 0, 1, 1)
      context.fillStyle = 'transparent'
      context.fillStyle = css
      context.fillRect(0, 0, 1, 1)
      const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data
      return [r, g, b, a]
    }
    const style = getComputedStyle(element)
    return { background: paint(style.backgroundColor), text: paint(style.color), css: { background: style.backgroundColor, text: style.color } }
  })
}

/** WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: Rgba): number {
  const linear = (channel: number) => {
    const c = channel / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
export function contrast(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light + 0.05) / (dark + 0.05)
}
