CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"token_id" text,
	"action" text NOT NULL,
	"subject" text,
	"detail" jsonb,
	"origin" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_action_at" ON "audit_log" USING btree ("action","at");