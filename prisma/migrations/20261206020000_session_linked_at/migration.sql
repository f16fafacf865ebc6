-- When the session's WhatsApp link was made: kept after a logout (logged_in_at is cleared then,
-- and rewritten at every reconnection). Sessions linked before this column existed take their
-- last log-in time.
ALTER TABLE "sessions" ADD COLUMN "linked_at" TIMESTAMPTZ(3);
UPDATE "sessions" SET "linked_at" = "logged_in_at" WHERE "logged_in_at" IS NOT NULL;
