-- certbatch order journal, schema version 2 (PRAGMA user_version = 2,
-- PRAGMA application_id = 1128420419, "CBTC").
--
-- Read it with the sqlite3 tool, for example:
--   sqlite3 certbatch.db "select batch_id,row,email,state,order_id from orders"
--   sqlite3 certbatch.db "select * from orders where state in ('intent','uncertain')"
--
-- Times are UTC text of fixed width, 2026-11-23T07:33:10.123456789Z, so
-- they sort and compare as text. IDs that are not known are NULL in
-- orders and '' in rows.

-- One row per run of `certbatch submit`.
CREATE TABLE IF NOT EXISTS batches (
  id           TEXT PRIMARY KEY,   -- e.g. 20261123T073310Z-3f9a
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  command      TEXT NOT NULL,
  input        TEXT NOT NULL,      -- input file path
  input_sha256 TEXT NOT NULL,
  header       TEXT NOT NULL,      -- JSON array of the input's headers
  status       TEXT NOT NULL       -- running | finished | interrupted
);

-- One row per attempt to order a person (identity). The intent is
-- committed before the request leaves the machine; the answer after.
-- An identity with an 'ordered' row is never ordered again; one whose
-- newest attempt is 'intent' or 'uncertain' is checked against DigiCert
-- first; 'rejected' and 'failed' attempts created nothing.
CREATE TABLE IF NOT EXISTS orders (
  id             INTEGER PRIMARY KEY,
  batch_id       TEXT NOT NULL REFERENCES batches(id),
  row            INTEGER NOT NULL,  -- spreadsheet row number
  identity       TEXT NOT NULL,     -- product|key:<value> or product|email:<address> (for people to read)
  product        TEXT NOT NULL,     -- the product ID ordered
  product_key    TEXT NOT NULL DEFAULT '',  -- the product it is (aliases share one: client_premium = client_premium_sha2)
  person_key     TEXT NOT NULL DEFAULT '',  -- the key column's value, normalized ('' without key:)
  email          TEXT NOT NULL,     -- primary email, trimmed and lowercased
  common_name    TEXT NOT NULL,
  payload_sha256 TEXT NOT NULL,     -- hash of the request body sent
  state          TEXT NOT NULL,     -- intent | ordered | rejected | failed | uncertain
  intent_at      TEXT NOT NULL,     -- when the intent was recorded (before sending)
  completed_at   TEXT,              -- when the answer was recorded
  order_id       INTEGER,
  request_id     INTEGER,
  request_status TEXT,
  order_status   TEXT,
  certificate_id INTEGER,
  error          TEXT,
  recovered      INTEGER NOT NULL DEFAULT 0  -- 1: found at DigiCert by reconciliation
);
CREATE INDEX IF NOT EXISTS orders_identity ON orders(identity, state);
CREATE INDEX IF NOT EXISTS orders_email ON orders(email COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS orders_batch ON orders(batch_id, row);
CREATE INDEX IF NOT EXISTS orders_order_id ON orders(order_id);
-- A person is the same person when the product and either the email or
-- the key match (version 2).
CREATE INDEX IF NOT EXISTS orders_person_email ON orders(product_key, email);
CREATE INDEX IF NOT EXISTS orders_person_key ON orders(product_key, person_key) WHERE person_key <> '';

-- Every row's result of a batch, so `certbatch results --batch ID` can
-- rebuild the results file after a crash. `certbatch prune` deletes the
-- rows of old batches (they hold personal data); orders stay.
CREATE TABLE IF NOT EXISTS rows (
  batch_id       TEXT NOT NULL REFERENCES batches(id),
  row            INTEGER NOT NULL,
  cells          TEXT NOT NULL,     -- JSON array of the input cells
  product        TEXT NOT NULL,
  outcome        TEXT NOT NULL,
  order_id       TEXT NOT NULL,
  request_id     TEXT NOT NULL,
  request_status TEXT NOT NULL,
  order_status   TEXT NOT NULL,
  certificate_id TEXT NOT NULL,
  error          TEXT NOT NULL,
  PRIMARY KEY (batch_id, row)
);

-- Certificates downloaded into files (`certbatch download`), version 2.
CREATE TABLE IF NOT EXISTS downloads (
  certificate_id INTEGER NOT NULL,
  format         TEXT NOT NULL,     -- pem or p7b
  order_id       INTEGER NOT NULL,
  path           TEXT NOT NULL,     -- the file written
  sha256         TEXT NOT NULL,     -- of the file's content
  downloaded_at  TEXT NOT NULL,
  PRIMARY KEY (certificate_id, format)
);

-- Certificates that came back in the answer to the order itself (issued
-- at once): `certbatch download` writes them without another request.
-- Created on first use in journals made before this table existed.
CREATE TABLE IF NOT EXISTS certificate_chains (
  certificate_id INTEGER PRIMARY KEY,
  order_id       INTEGER NOT NULL,
  pem            TEXT NOT NULL,     -- leaf first, as the pem_all download
  received_at    TEXT NOT NULL
);
