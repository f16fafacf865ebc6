-- CreateTable
CREATE TABLE "contacts" (
    "session_id" UUID NOT NULL,
    "jid" TEXT NOT NULL,
    "lid" TEXT,
    "full_name" TEXT,
    "first_name" TEXT,
    "push_name" TEXT,
    "business_name" TEXT,
    "in_address_book" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("session_id","jid")
);

-- CreateIndex
CREATE INDEX "contacts_session_id_lid_idx" ON "contacts"("session_id", "lid");

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
