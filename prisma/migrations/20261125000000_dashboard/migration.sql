-- The dashboard's message log (newest first per session) and sessions list (last activity).
CREATE INDEX "messages_session_id_timestamp_idx" ON "messages"("session_id", "timestamp" DESC);
