/**
 * TypeScript view of a Mod-Net module metadata document, version 1.
 * Kept in step with `schema/module-metadata.v1.json` (the schema is the
 * authority; tests check the enums below against it).
 */

/** Value of the `schema` property of every v1 metadata document. */
export const METADATA_SCHEMA = 'modnet/module-metadata/v1'

/** `$id` of the JSON Schema describing v1 metadata documents. */
export const METADATA_SCHEMA_ID = 'urn:modnet:schema:module-metadata:v1'

/** Largest allowed size, in bytes, of a metadata document's canonical (RFC 8785) UTF-8 encoding. */
export const MAX_METADATA_BYTES = 65536

/** Signature schemes a module key can use. */
export const SIGNATURE_TYPES = ['sr25519', 'ed25519', 'ecdsa'] as const
export type SignatureType = (typeof SIGNATURE_TYPES)[number]

/** Application protocols an endpoint may declare. */
export const ENDPOINT_PROTOCOLS = ['http', 'grpc', 'jsonrpc', 'websocket', 'graphql', 'libp2p'] as const
export type EndpointProtocol = (typeof ENDPOINT_PROTOCOLS)[number]

export interface Author {
  /** 1–128 characters. */
  name: string
  /** Email address, at most 254 characters. */
  email?: string
  /** http(s) URL, at most 2048 characters. */
  url?: string
}

export interface Artifact {
  /** File name or label, 1–128 characters. */
  name?: string
  /** IPFS CID (v0 or v1) of the content. */
  cid: string
  /** Content size in bytes: an integer from 0 to 2^53 − 1. */
  size: number
  /** RFC 6838 `type/subtype`, e.g. `application/wasm`. */
  mediaType: string
  /** SHA-256 of the content, 64 lowercase hex characters. */
  sha256: string
}

export interface Endpoint {
  /** http, https, ws or wss URL. */
  url: string
  protocol?: EndpointProtocol
  /** At most 256 characters. */
  description?: string
}

export interface MetadataSignature {
  type: SignatureType
  /** `0x` + lowercase hex: 64 bytes (sr25519, ed25519) or 65 bytes (ecdsa). */
  value: string
}

/** A dependency named by its module key, the identity on chain (`modnet resolve` follows these). */
export interface DependencyByKey {
  /** The module key, `0x` + lowercase hex: 32 bytes (sr25519, ed25519) or 33 (compressed ecdsa). */
  key: string
  /** SemVer range the dependency's metadata `version` must satisfy. */
  version?: string
  /** CID of the dependency's metadata document this module was built against (a pin). */
  cid?: string
}

export interface ModuleMetadata {
  schema: typeof METADATA_SCHEMA
  /** Lowercase module name, 1–64 characters of `a-z 0-9 . _ -`, starting and ending with a letter or digit. */
  name: string
  /** SemVer 2.0.0 version, no leading `v`. */
  version: string
  /** 1–1024 characters. */
  description: string
  /** At most 32. */
  authors?: Author[]
  /** SPDX license expression, e.g. `MIT` or `Apache-2.0 OR MIT`. */
  license?: string
  /** https, http, git+https, git+ssh or ssh URL. */
  repository?: string
  /** https, http, git+https, git+ssh or ssh URL. */
  homepage?: string
  /** At most 20 unique keywords, each 1–32 characters of `a-z 0-9 -`. */
  keywords?: string[]
  /** At most 64. */
  artifacts?: Artifact[]
  /** At most 16. */
  endpoints?: Endpoint[]
  /**
   * Module name → a SemVer range (named only: names are claims, so no
   * client can resolve it to one module) or a {@link DependencyByKey};
   * at most 128 entries.
   */
  dependencies?: Record<string, string | DependencyByKey>
  /** CID of this module's previous metadata document. */
  previous?: string
  /** RFC 3339 date-time with time zone. */
  created?: string
  signature?: MetadataSignature
  /** Extension properties: any JSON value under a key starting with `x-`. */
  [extension: `x-${string}`]: unknown
}
