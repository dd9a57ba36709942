CREATE TABLE "community_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"external_id" text,
	"request_hash" text NOT NULL,
	"community_code" text NOT NULL,
	"street_code" text NOT NULL,
	"case_id" text,
	"title" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"resolve_by" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"demo" boolean DEFAULT false NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "community_orders_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "order_summonses" (
	"order_id" text NOT NULL,
	"department" text NOT NULL,
	"rank" text NOT NULL,
	"arrive_by" timestamp with time zone NOT NULL,
	"arrived_at" timestamp with time zone,
	"arrived_rank" text,
	"arrived_recorded_by" text,
	"on_time" boolean,
	CONSTRAINT "order_summonses_order_id_department_pk" PRIMARY KEY("order_id","department")
);
--> statement-breakpoint
CREATE INDEX "community_orders_issued_at" ON "community_orders" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "order_summonses_waiting" ON "order_summonses" USING btree ("arrive_by") WHERE arrived_at IS NULL;