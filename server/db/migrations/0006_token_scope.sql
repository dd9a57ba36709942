ALTER TABLE "api_tokens" ADD COLUMN "departments" text[];--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "streets" text[];