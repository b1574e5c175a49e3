-- Version 2 (both backends): a person is the same person when the
-- product and either the email or the key match. Each order gets the
-- product it is (aliases share one: client_premium = client_premium_sha2)
-- and the key column's normalized value ('' without key:); the upgrade
-- fills them in from the identity column (Go: keysFromIdentity).
-- Certificates saved by `certbatch download`, and chains that came back
-- in the answer to the order itself (issued at once).
ALTER TABLE orders ADD COLUMN product_key TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN person_key TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS orders_person_email ON orders(product_key, email);
CREATE INDEX IF NOT EXISTS orders_person_key ON orders(product_key, person_key) WHERE person_key <> '';

CREATE TABLE IF NOT EXISTS downloads (
  certificate_id BIGINT NOT NULL,
  format         TEXT NOT NULL,     -- pem or p7b
  order_id       BIGINT NOT NULL,
  path           TEXT NOT NULL,     -- the file written
  sha256         TEXT NOT NULL,     -- of the file's content
  downloaded_at  TEXT NOT NULL,
  PRIMARY KEY (certificate_id, format)
);

CREATE TABLE IF NOT EXISTS certificate_chains (
  certificate_id BIGINT PRIMARY KEY,
  order_id       BIGINT NOT NULL,
  pem            TEXT NOT NULL,     -- leaf first, as the pem_all download
  received_at    TEXT NOT NULL
);
