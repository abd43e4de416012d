CREATE TYPE "public"."ballot_channel" AS ENUM('online', 'paper', 'proxy');--> statement-breakpoint
CREATE TYPE "public"."choice" AS ENUM('agree', 'oppose', 'abstain');--> statement-breakpoint
CREATE TYPE "public"."voting_file_kind" AS ENUM('proposal', 'proxy', 'paper');--> statement-breakpoint
CREATE TYPE "public"."matter" AS ENUM('ordinary', 'major');--> statement-breakpoint
CREATE TYPE "public"."paper_ballot_status" AS ENUM('pending', 'counted', 'overridden', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."proposal_status" AS ENUM('draft', 'comment', 'voting', 'closed', 'published', 'carried_out');--> statement-breakpoint
CREATE TYPE "public"."proposal_type" AS ENUM('rules_of_procedure', 'management_covenant', 'committee_election', 'property_company', 'fund_use', 'fund_raise', 'rebuild_renovate', 'common_parts_use', 'other_major');--> statement-breakpoint
CREATE TYPE "public"."proxy_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TABLE "ballot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"choice" "choice" NOT NULL,
	"channel" "ballot_channel" NOT NULL,
	"cast_by" uuid NOT NULL,
	"proxy_id" uuid,
	"paper_ballot_id" uuid,
	"receipt" text NOT NULL,
	"seq" integer NOT NULL,
	"replaces" text,
	"area_centi_sqm" integer NOT NULL,
	"headcount" integer NOT NULL,
	"cast_at" timestamp with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"superseded" boolean DEFAULT false NOT NULL,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "ballot_receipt_unique" UNIQUE("receipt"),
	CONSTRAINT "ballot_seq" UNIQUE("proposal_id","seq"),
	CONSTRAINT "ballot_channel_link" CHECK (("ballot"."channel" = 'proxy') = ("ballot"."proxy_id" is not null) and ("ballot"."channel" = 'paper') = ("ballot"."paper_ballot_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "paper_ballot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"choice" "choice" NOT NULL,
	"file_id" uuid NOT NULL,
	"entered_by" uuid NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "paper_ballot_status" DEFAULT 'pending' NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "paper_ballot_second_member" CHECK ("paper_ballot"."confirmed_by" is null or "paper_ballot"."confirmed_by" <> "paper_ballot"."entered_by"),
	CONSTRAINT "paper_ballot_confirmed" CHECK (("paper_ballot"."status" = 'pending') = ("paper_ballot"."confirmed_by" is null))
);
--> statement-breakpoint
CREATE TABLE "petition_signature" (
	"petition_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "petition_signature_petition_id_user_id_pk" PRIMARY KEY("petition_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "petition" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone,
	"proposal_id" uuid,
	"scheduled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "proposal_comment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"user_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proposal" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"type" "proposal_type" NOT NULL,
	"matter" "matter" NOT NULL,
	"status" "proposal_status" DEFAULT 'draft' NOT NULL,
	"comment_ends_at" timestamp with time zone NOT NULL,
	"voting_starts_at" timestamp with time zone NOT NULL,
	"voting_ends_at" timestamp with time zone NOT NULL,
	"petition_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"comment_opened_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"opened_by" uuid,
	"rules" jsonb,
	"chain_seq" integer DEFAULT 0 NOT NULL,
	"chain_head" text,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"result" jsonb,
	"final_hash" text,
	"published_at" timestamp with time zone,
	"publicity_ends_at" timestamp with time zone,
	"carried_out_at" timestamp with time zone,
	"carried_out_by" uuid,
	"carried_out_record" text,
	"last_reminder_at" timestamp with time zone,
	CONSTRAINT "proposal_matter_fixed_by_type" CHECK ("proposal"."matter" = (case when "proposal"."type" in ('fund_raise', 'rebuild_renovate', 'common_parts_use') then 'major' else 'ordinary' end)::matter),
	CONSTRAINT "proposal_window_order" CHECK ("proposal"."comment_ends_at" <= "proposal"."voting_starts_at" and "proposal"."voting_starts_at" < "proposal"."voting_ends_at"),
	CONSTRAINT "proposal_chain_seq" CHECK ("proposal"."chain_seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "proxy_authorisation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"grantor_owner_id" uuid NOT NULL,
	"grantor_user_id" uuid NOT NULL,
	"proxy_user_id" uuid NOT NULL,
	"proxy_name" text NOT NULL,
	"file_id" uuid NOT NULL,
	"status" "proxy_status" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "proxy_not_self" CHECK ("proxy_authorisation"."proxy_user_id" <> "proxy_authorisation"."grantor_user_id"),
	CONSTRAINT "proxy_not_self_approved" CHECK ("proxy_authorisation"."decided_by" is null or "proxy_authorisation"."decided_by" <> "proxy_authorisation"."grantor_user_id")
);
--> statement-breakpoint
CREATE TABLE "vote_unit" (
	"proposal_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"building_name" text NOT NULL,
	"unit_number" text NOT NULL,
	"area_centi_sqm" integer NOT NULL,
	CONSTRAINT "vote_unit_proposal_id_unit_id_pk" PRIMARY KEY("proposal_id","unit_id")
);
--> statement-breakpoint
CREATE TABLE "vote_voter" (
	"proposal_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"area_centi_sqm" integer NOT NULL,
	"headcount" integer DEFAULT 1 NOT NULL,
	"unit_ids" uuid[] NOT NULL,
	"owner_ids" uuid[] NOT NULL,
	CONSTRAINT "vote_voter_proposal_id_voter_id_pk" PRIMARY KEY("proposal_id","voter_id"),
	CONSTRAINT "vote_voter_area" CHECK ("vote_voter"."area_centi_sqm" > 0),
	CONSTRAINT "vote_voter_headcount" CHECK ("vote_voter"."headcount" = 1)
);
--> statement-breakpoint
CREATE TABLE "voting_file" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"kind" "voting_file_kind" NOT NULL,
	"storage_key" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "voting_file_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "voting_file_size" CHECK ("voting_file"."size_bytes" > 0)
);
--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_cast_by_user_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_proxy_id_proxy_authorisation_id_fk" FOREIGN KEY ("proxy_id") REFERENCES "public"."proxy_authorisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_paper_ballot_id_paper_ballot_id_fk" FOREIGN KEY ("paper_ballot_id") REFERENCES "public"."paper_ballot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_voter_fk" FOREIGN KEY ("proposal_id","voter_id") REFERENCES "public"."vote_voter"("proposal_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot" ADD CONSTRAINT "paper_ballot_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot" ADD CONSTRAINT "paper_ballot_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot" ADD CONSTRAINT "paper_ballot_file_id_voting_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."voting_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot" ADD CONSTRAINT "paper_ballot_entered_by_user_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot" ADD CONSTRAINT "paper_ballot_confirmed_by_user_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_ballot" ADD CONSTRAINT "paper_ballot_voter_fk" FOREIGN KEY ("proposal_id","voter_id") REFERENCES "public"."vote_voter"("proposal_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "petition_signature" ADD CONSTRAINT "petition_signature_petition_id_petition_id_fk" FOREIGN KEY ("petition_id") REFERENCES "public"."petition"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "petition_signature" ADD CONSTRAINT "petition_signature_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "petition_signature" ADD CONSTRAINT "petition_signature_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "petition" ADD CONSTRAINT "petition_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "petition" ADD CONSTRAINT "petition_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_comment" ADD CONSTRAINT "proposal_comment_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_comment" ADD CONSTRAINT "proposal_comment_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_comment" ADD CONSTRAINT "proposal_comment_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_petition_id_petition_id_fk" FOREIGN KEY ("petition_id") REFERENCES "public"."petition"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_opened_by_user_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_closed_by_user_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_carried_out_by_user_id_fk" FOREIGN KEY ("carried_out_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_grantor_owner_id_owner_id_fk" FOREIGN KEY ("grantor_owner_id") REFERENCES "public"."owner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_grantor_user_id_user_id_fk" FOREIGN KEY ("grantor_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_proxy_user_id_user_id_fk" FOREIGN KEY ("proxy_user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_file_id_voting_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."voting_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_unit" ADD CONSTRAINT "vote_unit_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_unit" ADD CONSTRAINT "vote_unit_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_unit" ADD CONSTRAINT "vote_unit_voter_fk" FOREIGN KEY ("proposal_id","voter_id") REFERENCES "public"."vote_voter"("proposal_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_voter" ADD CONSTRAINT "vote_voter_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_voter" ADD CONSTRAINT "vote_voter_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voting_file" ADD CONSTRAINT "voting_file_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voting_file" ADD CONSTRAINT "voting_file_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voting_file" ADD CONSTRAINT "voting_file_uploaded_by_user_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_one_current" ON "ballot" USING btree ("proposal_id","voter_id") WHERE not "ballot"."superseded";--> statement-breakpoint
CREATE INDEX "ballot_cast_by_idx" ON "ballot" USING btree ("cast_by");--> statement-breakpoint
CREATE UNIQUE INDEX "paper_ballot_one_live" ON "paper_ballot" USING btree ("proposal_id","voter_id") WHERE "paper_ballot"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "petition_estate_idx" ON "petition" USING btree ("estate_id","created_at");--> statement-breakpoint
CREATE INDEX "proposal_comment_idx" ON "proposal_comment" USING btree ("proposal_id","created_at");--> statement-breakpoint
CREATE INDEX "proposal_estate_idx" ON "proposal" USING btree ("estate_id","status","created_at");--> statement-breakpoint
CREATE INDEX "proxy_proposal_idx" ON "proxy_authorisation" USING btree ("proposal_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "proxy_one_live" ON "proxy_authorisation" USING btree ("proposal_id","grantor_owner_id") WHERE "proxy_authorisation"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "vote_unit_voter_idx" ON "vote_unit" USING btree ("proposal_id","voter_id");--> statement-breakpoint
CREATE INDEX "voting_file_proposal_idx" ON "voting_file" USING btree ("proposal_id","kind");