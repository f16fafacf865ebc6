-- CreateTable
CREATE TABLE "chat_reads" (
    "session_id" UUID NOT NULL,
    "chat_jid" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3) NOT NULL,
    "read_stored_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "chat_reads_pkey" PRIMARY KEY ("session_id","chat_jid")
);

-- CreateTable
CREATE TABLE "session_events" (
    "seq" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_events_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "session_events_session_id_seq_idx" ON "session_events"("session_id", "seq" DESC);

-- CreateIndex
CREATE INDEX "session_events_session_id_type_seq_idx" ON "session_events"("session_id", "type", "seq" DESC);

-- CreateIndex
CREATE INDEX "session_events_created_at_idx" ON "session_events"("created_at");

-- AddForeignKey
ALTER TABLE "chat_reads" ADD CONSTRAINT "chat_reads_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
