-- A contact's Signal session record is rewritten with every message sent to or received from
-- its device: 1–4 KB, encrypted, so it never compresses. Past 2 KB PostgreSQL moved each new
-- version out of line into the TOAST table, and with the page full, to a new page with a new
-- index entry: without a vacuum between bursts the table grew by the size of every version
-- written (45 MB per 4,000 messages with 20 sessions) and PostgreSQL's CPU per message with it
-- (0.25 → 0.9 ms in three rounds). Rows up to a page stay inline, and pages filled to half keep
-- room for a record's next version on its own page, so an update is heap-only and the page's
-- next access reclaims the version before it, vacuum or not.
ALTER TABLE "session_keys" SET (fillfactor = 50, toast_tuple_target = 8160);
