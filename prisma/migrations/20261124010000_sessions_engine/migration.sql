-- AlterTable
ALTER TABLE "sessions" ADD COLUMN "webhook_secret" BYTEA,
ADD COLUMN "webhook_format" TEXT NOT NULL DEFAULT 'json',
ADD COLUMN "auto_connect" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "session_auth" (
    "session_id" UUID NOT NULL,
    "creds" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_auth_pkey" PRIMARY KEY ("session_id")
);

-- CreateTable
CREATE TABLE "session_keys" (
    "session_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "value" BYTEA NOT NULL,

    CONSTRAINT "session_keys_pkey" PRIMARY KEY ("session_id","type","key_id")
);

-- CreateTable
CREATE TABLE "session_leases" (
    "session_id" UUID NOT NULL,
    "owner_id" TEXT NOT NULL,
    "owner_url" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_leases_pkey" PRIMARY KEY ("session_id")
);

-- CreateTable
CREATE TABLE "webhook_events" (
    "seq" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "last_status_code" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "session_leases_expires_at_idx" ON "session_leases"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_events_event_id_key" ON "webhook_events"("event_id");

-- CreateIndex
CREATE INDEX "webhook_events_session_id_status_seq_idx" ON "webhook_events"("session_id", "status", "seq");

-- CreateIndex
CREATE INDEX "webhook_events_status_next_attempt_at_idx" ON "webhook_events"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "session_auth" ADD CONSTRAINT "session_auth_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_keys" ADD CONSTRAINT "session_keys_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_leases" ADD CONSTRAINT "session_leases_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
