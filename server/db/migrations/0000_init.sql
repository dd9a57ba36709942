CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"role" text NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"type" text NOT NULL,
	"action" text,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"origin" text NOT NULL,
	"note" text,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"external_id" text,
	"intake_hash" text NOT NULL,
	"category" text NOT NULL,
	"item" text,
	"title" text NOT NULL,
	"description" text,
	"lat" double precision,
	"lng" double precision,
	"address" text,
	"street_code" text,
	"community_code" text,
	"grid_code" text,
	"out_of_area" boolean DEFAULT false NOT NULL,
	"reporter_name" text,
	"reporter_phone" text,
	"extras" jsonb,
	"people_involved" integer NOT NULL,
	"amount_cny" double precision NOT NULL,
	"urgency" text NOT NULL,
	"tier" text NOT NULL,
	"risk_grade" text NOT NULL,
	"risk_reasons" jsonb NOT NULL,
	"department" text NOT NULL,
	"routed_by" text NOT NULL,
	"co_departments" jsonb NOT NULL,
	"escalation_level" text,
	"status" text NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"respond_by" timestamp with time zone NOT NULL,
	"accept_by" timestamp with time zone NOT NULL,
	"resolve_by" timestamp with time zone NOT NULL,
	"respond_risk_at" timestamp with time zone NOT NULL,
	"accept_risk_at" timestamp with time zone NOT NULL,
	"resolve_risk_at" timestamp with time zone NOT NULL,
	"resolve_started_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"evaluated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"satisfaction" text,
	"merged_into" text,
	"return_count" integer DEFAULT 0 NOT NULL,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"version" integer NOT NULL,
	"last_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_head" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"epoch" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "case_events_case" ON "case_events" USING btree ("case_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_channel_external_id" ON "cases" USING btree ("channel","external_id");--> statement-breakpoint
CREATE INDEX "cases_received_at" ON "cases" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "cases_reporter_phone" ON "cases" USING btree ("reporter_phone","received_at");