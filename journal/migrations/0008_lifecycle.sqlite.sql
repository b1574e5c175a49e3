-- Version 8: what happens to an order after it is placed. Renewals (a new
-- order linked to the order it renews) and actions on an order (approve,
-- reject, revoke), each journaled before its request leaves the machine
-- and answered after, like an order.

-- One row per order attempt that renews an order.
CREATE TABLE IF NOT EXISTS renewals (
  entry_id   INTEGER PRIMARY KEY REFERENCES orders(id), -- the renewal's order attempt
  renewal_of INTEGER NOT NULL,                           -- the order it renews
  valid_till TEXT NOT NULL DEFAULT ''                    -- that order's expiry when planned (yyyy-mm-dd)
);
CREATE INDEX IF NOT EXISTS renewals_of ON renewals(renewal_of);

-- One row per approve, reject or revoke attempt.
CREATE TABLE IF NOT EXISTS order_actions (
  id           INTEGER PRIMARY KEY,
  batch_id     TEXT NOT NULL DEFAULT '',  -- the run that acted ('' when none)
  order_id     INTEGER NOT NULL,
  kind         TEXT NOT NULL,             -- approve | reject | revoke
  who          TEXT NOT NULL DEFAULT '',  -- the person (email or key), for people to read
  reason       TEXT NOT NULL DEFAULT '',  -- revoke: the revocation reason
  comment      TEXT NOT NULL DEFAULT '',  -- sent with the request
  state        TEXT NOT NULL,             -- intent | done | requested | failed | uncertain
  request_id   INTEGER,                   -- approve/reject: the request processed; revoke: the request created
  intent_at    TEXT NOT NULL,
  completed_at TEXT,
  error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS order_actions_order ON order_actions(order_id, kind);
