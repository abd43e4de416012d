ALTER TYPE "public"."inquiry_subject_kind" ADD VALUE 'vote';--> statement-breakpoint
ALTER TYPE "public"."inquiry_subject_kind" ADD VALUE 'election';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'vote_correction_request';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'vote_correction_confirm';--> statement-breakpoint
CREATE TABLE "vote_correction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid,
	"election_id" uuid,
	"reason" text NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	"before" jsonb,
	"after" jsonb,
	CONSTRAINT "vote_correction_one_vote" CHECK (("vote_correction"."proposal_id" is null) <> ("vote_correction"."election_id" is null)),
	CONSTRAINT "vote_correction_four_eyes" CHECK ("vote_correction"."confirmed_by" is null or "vote_correction"."confirmed_by" <> "vote_correction"."requested_by"),
	CONSTRAINT "vote_correction_confirmed" CHECK (("vote_correction"."confirmed_by" is null) = ("vote_correction"."confirmed_at" is null))
);
--> statement-breakpoint
ALTER TABLE "proposal" ADD COLUMN "query_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proposal" ADD COLUMN "effective_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "closed_by" uuid;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "query_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "effective_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD COLUMN "proposal_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD COLUMN "election_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD COLUMN "query_topic" text;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD COLUMN "query_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "vote_correction" ADD CONSTRAINT "vote_correction_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_correction" ADD CONSTRAINT "vote_correction_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_correction" ADD CONSTRAINT "vote_correction_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_correction" ADD CONSTRAINT "vote_correction_requested_by_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_correction" ADD CONSTRAINT "vote_correction_confirmed_by_user_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vote_correction_vote_idx" ON "vote_correction" USING btree ("proposal_id","election_id","requested_at");--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_closed_by_user_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_query_unit_id_unit_id_fk" FOREIGN KEY ("query_unit_id") REFERENCES "public"."unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_vote_subject" CHECK (("committee_inquiry"."subject_kind"::text = 'vote') = ("committee_inquiry"."proposal_id" is not null) and ("committee_inquiry"."subject_kind"::text = 'election') = ("committee_inquiry"."election_id" is not null) and ("committee_inquiry"."subject_kind"::text in ('vote', 'election')) = ("committee_inquiry"."query_topic" is not null) and ("committee_inquiry"."query_unit_id" is null or "committee_inquiry"."query_topic" = 'eligibility'));