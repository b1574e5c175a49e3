-- Version 3 (both backends): the account check's cache of order info,
-- until now created on first use, and the journal's own facts.
--
-- account_orders: what order info said about orders of the account that
-- certbatch did not place (or does not remember placing): the account
-- check reads each such order once, ever.
CREATE TABLE IF NOT EXISTS account_orders (
  order_id    BIGINT PRIMARY KEY,
  product_key TEXT NOT NULL,  -- the product it is (aliases share one)
  emails      TEXT NOT NULL,  -- normalized, separated by newlines ('' when order info names none)
  checked_at  TEXT NOT NULL
);

-- journal_meta: facts about the journal itself; 'endpoint' names the
-- CertCentral endpoint a shared journal is for, so production and
-- sandbox orders never meet in one database.
CREATE TABLE IF NOT EXISTS journal_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Journals of version 2 made before certificate_chains was part of the
-- schema created it on first use: it is created here if missing.
CREATE TABLE IF NOT EXISTS certificate_chains (
  certificate_id BIGINT PRIMARY KEY,
  order_id       BIGINT NOT NULL,
  pem            TEXT NOT NULL,     -- leaf first, as the pem_all download
  received_at    TEXT NOT NULL
);
