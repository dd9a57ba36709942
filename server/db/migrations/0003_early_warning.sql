ALTER TABLE "alerts" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "case_ids" jsonb;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "street" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "alerts_subject" ON "alerts" USING btree ("subject","raised_at");