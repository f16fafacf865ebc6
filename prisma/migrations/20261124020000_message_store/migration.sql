-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "message_id" TEXT NOT NULL,
    "chat_jid" TEXT NOT NULL,
    "chat_lid" TEXT,
    "sender_jid" TEXT,
    "sender_lid" TEXT,
    "from_me" BOOLEAN NOT NULL,
    "type" TEXT,
    "text" TEXT,
    "content" JSONB,
    "status" TEXT NOT NULL DEFAULT 'sent',
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "edited_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "reactions" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_statuses" (
    "id" BIGSERIAL NOT NULL,
    "message_row" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "participant" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "message_statuses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "messages_session_id_chat_jid_message_id_key" ON "messages"("session_id", "chat_jid", "message_id");

-- CreateIndex
CREATE INDEX "messages_session_id_message_id_idx" ON "messages"("session_id", "message_id");

-- CreateIndex
CREATE INDEX "messages_session_id_chat_jid_timestamp_idx" ON "messages"("session_id", "chat_jid", "timestamp" DESC);

-- CreateIndex
CREATE INDEX "messages_timestamp_idx" ON "messages"("timestamp");

-- CreateIndex
CREATE INDEX "message_statuses_message_row_idx" ON "message_statuses"("message_row");

-- Full-text search over bodies and captions (not expressible in schema.prisma).
CREATE INDEX "messages_text_search_idx" ON "messages" USING GIN (to_tsvector('simple', coalesce("text", '')));

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_statuses" ADD CONSTRAINT "message_statuses_message_row_fkey" FOREIGN KEY ("message_row") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
