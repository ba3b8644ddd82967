/**
 * Schema migrations, in order: migration N takes `user_version` N to N + 1.
 * Never edit a released migration; add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: pins, module revisions, the event index and the follower's cursor.
  `
  -- Every CID the gateway keeps, and why. provisional_until: an upload nobody
  -- has registered yet (ms since epoch); registered: some retained module
  -- revision names it. status: whether the IPFS backend holds it pinned.
  CREATE TABLE pins (
    cid TEXT PRIMARY KEY,
    provisional_until INTEGER,
    registered INTEGER NOT NULL DEFAULT 0 CHECK (registered IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('pinned', 'pending', 'unavailable')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    CHECK (provisional_until IS NOT NULL OR registered = 1)
  ) STRICT;
  CREATE INDEX pins_due ON pins (status, next_attempt_at);
  CREATE INDEX pins_provisional ON pins (provisional_until) WHERE provisional_until IS NOT NULL;

  -- Modules the chain has named; removed_at (ms) once ModuleRemoved is final.
  CREATE TABLE modules (
    key TEXT PRIMARY KEY,
    removed_at INTEGER
  ) STRICT;
  CREATE INDEX modules_removed ON modules (removed_at) WHERE removed_at IS NOT NULL;

  -- Every CID a module pointed at, newest by block_number (the retention policy prunes old ones).
  -- source: 'event' (a finalized event), 'state' (the module's current record)
  -- or 'call' (a call in a block whose state the node had pruned: outcome unchecked).
  CREATE TABLE revisions (
    key TEXT NOT NULL REFERENCES modules (key) ON DELETE CASCADE,
    cid TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('event', 'state', 'call')),
    PRIMARY KEY (key, cid)
  ) STRICT;
  CREATE INDEX revisions_cid ON revisions (cid);
  CREATE INDEX revisions_by_key ON revisions (key, block_number);

  -- Registry events by module: hints for the audit trail (a light client checks each).
  CREATE TABLE events (
    block_hash TEXT NOT NULL,
    position INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    PRIMARY KEY (block_hash, position)
  ) STRICT;
  CREATE INDEX events_by_key ON events (key, block_number);

  -- Facts about the followed chain, e.g. its genesis hash.
  CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  -- The last finalized block whose registry changes are all stored (one row).
  CREATE TABLE cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL
  ) STRICT;
  `,
  // 2: each indexed event's full data (JSON of lib/types/chain.ts's RegistryEvent),
  // so a client can replay a key's events against its on-chain history
  // commitment after the node pruned the blocks. NULL for rows stored before.
  `
  ALTER TABLE events ADD COLUMN event TEXT;
  `,
]
