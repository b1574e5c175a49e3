-- certbatch order journal, schema version 1.
-- Read it with the sqlite3 tool, e.g.
--   sqlite3 certbatch.db "select batch_id,row,email,state,order_id from orders"

-- One row per run of `certbatch submit`.
CREATE TABLE IF NOT EXISTS batches (
  id           TEXT PRIMARY KEY,   -- e.g. 20261123T073310Z-3f9a
  started_at   TEXT NOT NULL,      -- RFC 3339, UTC
  finished_at  TEXT,
  command      TEXT NOT NULL,
  input        TEXT NOT NULL,      -- input file path
  input_sha256 TEXT NOT NULL,
  header       TEXT NOT NULL,      -- JSON array of the input's headers
  status       TEXT NOT NULL       -- running | finished | interrupted
);

-- One row per attempt to order a person (identity). The intent is
-- committed before the request leaves the machine; the answer after.
CREATE TABLE IF NOT EXISTS orders (
  id             INTEGER PRIMARY KEY,
  batch_id       TEXT NOT NULL REFERENCES batches(id),
  row            INTEGER NOT NULL,  -- spreadsheet row number
  identity       TEXT NOT NULL,     -- product|key:<value> or product|email:<address>
  product        TEXT NOT NULL,
  email          TEXT NOT NULL,
  common_name    TEXT NOT NULL,
  payload_sha256 TEXT NOT NULL,
  state          TEXT NOT NULL,     -- intent | ordered | rejected | failed | uncertain
  intent_at      TEXT NOT NULL,     -- RFC 3339, UTC
  completed_at   TEXT,
  order_id       INTEGER,
  request_id     INTEGER,
  request_status TEXT,
  order_status   TEXT,
  certificate_id INTEGER,
  error          TEXT,
  recovered      INTEGER NOT NULL DEFAULT 0  -- 1: found by reconciliation
);
CREATE INDEX IF NOT EXISTS orders_identity ON orders(identity, state);
CREATE INDEX IF NOT EXISTS orders_email ON orders(email);
CREATE INDEX IF NOT EXISTS orders_batch ON orders(batch_id, row);
CREATE INDEX IF NOT EXISTS orders_order_id ON orders(order_id);

-- Every row's result of a batch, so `certbatch results --batch ID` can
-- rebuild the results file after a crash.
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
