CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"case_id" text NOT NULL,
	"stage" text,
	"deadline" timestamp with time zone,
	"raised_at" timestamp with time zone NOT NULL,
	"seq" bigint NOT NULL,
	"text" text NOT NULL,
	"acked_at" timestamp with time zone,
	"acked_by" text,
	CONSTRAINT "alerts_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE INDEX "alerts_case" ON "alerts" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "cases_open" ON "cases" USING btree ("received_at") WHERE status NOT IN ('resolved', 'evaluated', 'closed', 'merged');