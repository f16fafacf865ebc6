-- CreateTable
CREATE TABLE "labels" (
    "session_id" UUID NOT NULL,
    "label_id" TEXT NOT NULL,
    "name" TEXT,
    "color" INTEGER,
    "predefined_id" INTEGER,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "labels_pkey" PRIMARY KEY ("session_id","label_id")
);

-- CreateTable
CREATE TABLE "label_associations" (
    "session_id" UUID NOT NULL,
    "label_id" TEXT NOT NULL,
    "chat_jid" TEXT NOT NULL,
    "message_id" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "label_associations_pkey" PRIMARY KEY ("session_id","label_id","chat_jid","message_id")
);

-- CreateIndex
CREATE INDEX "label_associations_session_id_chat_jid_idx" ON "label_associations"("session_id", "chat_jid");

-- AddForeignKey
ALTER TABLE "labels" ADD CONSTRAINT "labels_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "label_associations" ADD CONSTRAINT "label_associations_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
