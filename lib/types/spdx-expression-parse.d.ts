// Minimal typings for spdx-expression-parse 5 (the package ships none).
declare module 'spdx-expression-parse' {
  interface LicenseInfo {
    license: string
    plus?: boolean
    exception?: string
  }
  interface ConjunctionInfo {
    conjunction: 'and' | 'or'
    left: LicenseInfo | ConjunctionInfo
    right: LicenseInfo | ConjunctionInfo
  }
  /** Parses an SPDX license expression; throws on an invalid one. */
  function parse(source: string): LicenseInfo | ConjunctionInfo
  export = parse
}
