-- Version 7 (both backends): a person is the set of their emails. Every
-- email of an attempt, normalised as internal/mailbox does it (Unicode
-- NFC, lower case, the domain in IDNA A-labels, so every spelling of a
-- mailbox is one), for the attempt's product; any shared email is the
-- same person. The orders' primary email is here too. The upgrade fills
-- it from orders.email, normalised again (Go: emailsFromOrders): all an
-- older journal kept.
CREATE TABLE IF NOT EXISTS person_emails (
  entry_id    BIGINT NOT NULL REFERENCES orders(id),
  product_key TEXT NOT NULL,        -- as orders.product_key
  email       TEXT NOT NULL,
  PRIMARY KEY (product_key, email, entry_id)
);
CREATE INDEX IF NOT EXISTS person_emails_entry ON person_emails(entry_id, email);
CREATE INDEX IF NOT EXISTS person_emails_email ON person_emails(email);
