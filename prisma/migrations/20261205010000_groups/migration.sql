-- CreateTable
CREATE TABLE "group_metadata" (
    "session_id" UUID NOT NULL,
    "group_jid" TEXT NOT NULL,
    "metadata" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "group_metadata_pkey" PRIMARY KEY ("session_id","group_jid")
);

-- AddForeignKey
ALTER TABLE "group_metadata" ADD CONSTRAINT "group_metadata_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
