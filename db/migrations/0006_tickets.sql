CREATE TYPE "public"."ledger_kind" AS ENUM('maintenance_fund', 'common_income');--> statement-breakpoint
CREATE TYPE "public"."ticket_category" AS ENUM('repair', 'cleaning', 'security', 'greenery', 'parking', 'noise', 'other');--> statement-breakpoint
CREATE TYPE "public"."ticket_event_kind" AS ENUM('filed', 'acknowledged', 'assigned', 'comment', 'resolved', 'reopened', 'confirmed', 'auto_closed', 'escalated', 'committee_comment', 'pressed');--> statement-breakpoint
CREATE TYPE "public"."ticket_location" AS ENUM('unit', 'building', 'common');--> statement-breakpoint
CREATE TYPE "public"."ticket_status" AS ENUM('open', 'acknowledged', 'resolved', 'closed');--> statement-breakpoint
CREATE TABLE "company_estate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "company_estate_order" CHECK ("company_estate"."ended_at" is null or "company_estate"."ended_at" > "company_estate"."started_at")
);
--> statement-breakpoint
CREATE TABLE "ledger_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"ledger" "ledger_kind" NOT NULL,
	"seq" integer NOT NULL,
	"direction" text NOT NULL,
	"occurred_on" date NOT NULL,
	"description" text NOT NULL,
	"counterparty" text,
	"amount_fen" bigint NOT NULL,
	"proposal_id" uuid,
	"corrects_id" uuid,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entry_seq" UNIQUE("estate_id","ledger","seq"),
	CONSTRAINT "ledger_entry_direction" CHECK ("ledger_entry"."direction" in ('in', 'out')),
	CONSTRAINT "ledger_entry_amount" CHECK ("ledger_entry"."amount_fen" > 0 and "ledger_entry"."amount_fen" <= 100000000000)
);
--> statement-breakpoint
CREATE TABLE "property_company" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scorecard_proposal" (
	"proposal_id" uuid PRIMARY KEY NOT NULL,
	"estate_id" uuid NOT NULL,
	"company_id" uuid,
	"month" text NOT NULL,
	"intent" text NOT NULL,
	"figures" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scorecard_proposal_intent" CHECK ("scorecard_proposal"."intent" in ('renew', 'renegotiate', 'replace')),
	CONSTRAINT "scorecard_proposal_month" CHECK ("scorecard_proposal"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "service_report_line" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "service_report_line_position" UNIQUE("report_id","position"),
	CONSTRAINT "service_report_line_kind" CHECK ("service_report_line"."kind" in ('income', 'spending')),
	CONSTRAINT "service_report_line_amount" CHECK ("service_report_line"."amount_fen" >= 0 and "service_report_line"."amount_fen" <= 100000000000)
);
--> statement-breakpoint
CREATE TABLE "service_report" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"company_id" uuid,
	"quarter" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_report_once" UNIQUE("estate_id","quarter"),
	CONSTRAINT "service_report_quarter" CHECK ("service_report"."quarter" ~ '^[0-9]{4}-Q[1-4]$')
);
--> statement-breakpoint
CREATE TABLE "ticket_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"kind" "ticket_event_kind" NOT NULL,
	"actor_id" uuid,
	"actor_role" text,
	"body" text,
	"detail" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_photo" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_photo_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "ticket_photo_size" CHECK ("ticket_photo"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "ticket_settings" (
	"estate_id" uuid PRIMARY KEY NOT NULL,
	"targets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ticket_seq" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "ticket_settings_seq" CHECK ("ticket_settings"."ticket_seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ticket_upvote" (
	"ticket_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_upvote_ticket_id_user_id_pk" PRIMARY KEY("ticket_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "ticket" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"company_id" uuid,
	"filer_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"category" "ticket_category" NOT NULL,
	"location" "ticket_location" NOT NULL,
	"building_id" uuid,
	"place" text,
	"description" text NOT NULL,
	"is_public" boolean NOT NULL,
	"status" "ticket_status" DEFAULT 'open' NOT NULL,
	"assignee_id" uuid,
	"response_due_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"first_resolved_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"rating" smallint,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"escalation_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_seq_once" UNIQUE("estate_id","seq"),
	CONSTRAINT "ticket_rating" CHECK ("ticket"."rating" is null or "ticket"."rating" between 1 and 5),
	CONSTRAINT "ticket_rated_when_closed" CHECK ("ticket"."rating" is null or "ticket"."status" = 'closed'),
	CONSTRAINT "ticket_due_order" CHECK ("ticket"."response_due_at" > "ticket"."created_at" and "ticket"."resolution_due_at" >= "ticket"."response_due_at"),
	CONSTRAINT "ticket_resolved" CHECK (("ticket"."status" = 'resolved') = ("ticket"."resolved_at" is not null and "ticket"."closed_at" is null)),
	CONSTRAINT "ticket_closed" CHECK (("ticket"."status" = 'closed') = ("ticket"."closed_at" is not null and "ticket"."closed_by" in ('filer', 'auto'))),
	CONSTRAINT "ticket_acknowledged" CHECK ("ticket"."status" = 'open' or "ticket"."acknowledged_at" is not null),
	CONSTRAINT "ticket_location_building" CHECK ("ticket"."location" = 'common' or "ticket"."building_id" is not null),
	CONSTRAINT "ticket_reopen_count" CHECK ("ticket"."reopen_count" >= 0),
	CONSTRAINT "ticket_escalation_reason" CHECK (("ticket"."escalated_at" is null) = ("ticket"."escalation_reason" is null))
);
--> statement-breakpoint
ALTER TABLE "company_estate" ADD CONSTRAINT "company_estate_company_id_property_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."property_company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_estate" ADD CONSTRAINT "company_estate_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_proposal" ADD CONSTRAINT "scorecard_proposal_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_proposal" ADD CONSTRAINT "scorecard_proposal_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_proposal" ADD CONSTRAINT "scorecard_proposal_company_id_property_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."property_company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scorecard_proposal" ADD CONSTRAINT "scorecard_proposal_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_report_line" ADD CONSTRAINT "service_report_line_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_report_line" ADD CONSTRAINT "service_report_line_report_id_service_report_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."service_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_report" ADD CONSTRAINT "service_report_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_report" ADD CONSTRAINT "service_report_company_id_property_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."property_company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_report" ADD CONSTRAINT "service_report_published_by_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_event" ADD CONSTRAINT "ticket_event_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_event" ADD CONSTRAINT "ticket_event_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_event" ADD CONSTRAINT "ticket_event_actor_id_user_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_photo" ADD CONSTRAINT "ticket_photo_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_photo" ADD CONSTRAINT "ticket_photo_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_settings" ADD CONSTRAINT "ticket_settings_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_settings" ADD CONSTRAINT "ticket_settings_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_upvote" ADD CONSTRAINT "ticket_upvote_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_upvote" ADD CONSTRAINT "ticket_upvote_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_upvote" ADD CONSTRAINT "ticket_upvote_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_company_id_property_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."property_company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_filer_id_user_id_fk" FOREIGN KEY ("filer_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_unit_id_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_building_id_building_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."building"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_assignee_id_user_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "company_estate_one_current" ON "company_estate" USING btree ("estate_id") WHERE "company_estate"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "company_estate_company_idx" ON "company_estate" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "ledger_entry_estate_idx" ON "ledger_entry" USING btree ("estate_id","ledger","occurred_on");--> statement-breakpoint
CREATE INDEX "scorecard_proposal_estate_idx" ON "scorecard_proposal" USING btree ("estate_id","created_at");--> statement-breakpoint
CREATE INDEX "ticket_event_ticket_idx" ON "ticket_event" USING btree ("ticket_id","at");--> statement-breakpoint
CREATE INDEX "ticket_photo_ticket_idx" ON "ticket_photo" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_estate_created_idx" ON "ticket" USING btree ("estate_id","created_at");--> statement-breakpoint
CREATE INDEX "ticket_estate_status_idx" ON "ticket" USING btree ("estate_id","status");--> statement-breakpoint
CREATE INDEX "ticket_filer_idx" ON "ticket" USING btree ("filer_id");--> statement-breakpoint
CREATE INDEX "ticket_unit_idx" ON "ticket" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "ticket_unescalated_idx" ON "ticket" USING btree ("resolution_due_at") WHERE "ticket"."escalated_at" is null and "ticket"."status" in ('open', 'acknowledged');--> statement-breakpoint
CREATE INDEX "ticket_resolved_idx" ON "ticket" USING btree ("resolved_at") WHERE "ticket"."status" = 'resolved';