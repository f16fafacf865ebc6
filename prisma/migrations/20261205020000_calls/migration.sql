-- Call history: one row per WhatsApp call of a session, with the states it went through.
CREATE TABLE "calls" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "call_id" TEXT NOT NULL,
    "creator" TEXT NOT NULL,
    "peer_jid" TEXT,
    "peer_lid" TEXT,
    "direction" TEXT NOT NULL,
    "is_video" BOOLEAN NOT NULL DEFAULT false,
    "is_group" BOOLEAN NOT NULL DEFAULT false,
    "group_jid" TEXT,
    "state" TEXT NOT NULL,
    "history" JSONB NOT NULL,
    "end_reason" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "calls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "calls_session_id_call_id_key" ON "calls"("session_id", "call_id");

-- CreateIndex
CREATE INDEX "calls_session_id_started_at_idx" ON "calls"("session_id", "started_at" DESC);

-- AddForeignKey
ALTER TABLE "calls" ADD CONSTRAINT "calls_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
