-- Version 5 (both backends): the key pairs certbatch generated (the key
-- method generate): never the key itself, only where its encrypted file
-- is, the public key's fingerprint, whose key it is and what became of it.
CREATE TABLE IF NOT EXISTS generated_keys (
  id           TEXT PRIMARY KEY,   -- random; the file is <id>.age in the key folder
  product_key  TEXT NOT NULL,      -- the person: product (aliases share one),
  email        TEXT NOT NULL,      --   primary email (normalized)
  person_key   TEXT NOT NULL DEFAULT '',  -- and key column ('' without key:)
  algorithm    TEXT NOT NULL,      -- ecdsa-p256 | ecdsa-p384 | rsa-3072
  fingerprint  TEXT NOT NULL,      -- SHA-256 of the public key (SubjectPublicKeyInfo), hex
  path         TEXT NOT NULL,      -- the age-encrypted key file
  recipients   TEXT NOT NULL,      -- age recipients it is encrypted to (public keys)
  csr          TEXT NOT NULL,      -- its certificate signing request (PEM; public), sent again by a retry
  entry_id     BIGINT,             -- orders.id of the attempt that sent its CSR (NULL: not sent yet)
  state        TEXT NOT NULL,      -- waiting | handing | delivered
  created_at   TEXT NOT NULL,
  p12_path     TEXT NOT NULL DEFAULT '',  -- the PKCS #12 handed over (handing, delivered)
  p12_sha256   TEXT NOT NULL DEFAULT '',
  delivered_at TEXT,
  escrow_path  TEXT NOT NULL DEFAULT '',  -- the escrow copy, when the admin asked for one
  destroyed_at TEXT                -- when the encrypted key file was removed
);
CREATE INDEX IF NOT EXISTS generated_keys_person ON generated_keys(product_key, email);
CREATE INDEX IF NOT EXISTS generated_keys_entry ON generated_keys(entry_id);
CREATE INDEX IF NOT EXISTS generated_keys_fingerprint ON generated_keys(fingerprint);
