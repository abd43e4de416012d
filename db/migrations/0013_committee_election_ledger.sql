ALTER TYPE "public"."role" ADD VALUE 'committee_observer';--> statement-breakpoint
CREATE TABLE "committee_election_paper_ballot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"election_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"marks" jsonb NOT NULL,
	"file_id" uuid NOT NULL,
	"entered_by" uuid NOT NULL,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "committee_election_paper_status" CHECK ("committee_election_paper_ballot"."status" in ('pending', 'counted', 'overridden', 'rejected')),
	CONSTRAINT "committee_election_paper_second_member" CHECK ("committee_election_paper_ballot"."confirmed_by" is null or "committee_election_paper_ballot"."confirmed_by" <> "committee_election_paper_ballot"."entered_by"),
	CONSTRAINT "committee_election_paper_confirmed" CHECK (("committee_election_paper_ballot"."status" = 'pending') = ("committee_election_paper_ballot"."confirmed_by" is null))
);
--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ALTER COLUMN "proposal_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "voting_file" ALTER COLUMN "proposal_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD COLUMN "election_id" uuid;--> statement-breakpoint
ALTER TABLE "voting_file" ADD COLUMN "election_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "chain_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "chain_head" text;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "final_hash" text;--> statement-breakpoint
-- Ballots cast before the chain existed were all online; they get their order and area, and an
-- empty hash, so their election's ledger shows that it was never chained rather than a made-up chain.
ALTER TABLE "committee_election_ballot" ADD COLUMN "channel" text DEFAULT 'online' NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ALTER COLUMN "channel" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "proxy_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "paper_ballot_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "seq" integer;--> statement-breakpoint
UPDATE "committee_election_ballot" b SET "seq" = o.n FROM (SELECT "id", row_number() OVER (PARTITION BY "election_id" ORDER BY "cast_at", "id") AS n FROM "committee_election_ballot") o WHERE o."id" = b."id";--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
UPDATE "committee_election" e SET "chain_seq" = (SELECT count(*) FROM "committee_election_ballot" b WHERE b."election_id" = e."id");--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "replaces" text;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "area_centi_sqm" integer;--> statement-breakpoint
UPDATE "committee_election_ballot" b SET "area_centi_sqm" = v."area_centi_sqm" FROM "committee_election_voter" v WHERE v."election_id" = b."election_id" AND v."voter_id" = b."voter_id";--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ALTER COLUMN "area_centi_sqm" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "prev_hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ALTER COLUMN "prev_hash" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "hash" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ALTER COLUMN "hash" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD CONSTRAINT "committee_election_paper_ballot_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD CONSTRAINT "committee_election_paper_ballot_unit_id_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD CONSTRAINT "committee_election_paper_ballot_file_id_voting_file_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."voting_file"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD CONSTRAINT "committee_election_paper_ballot_entered_by_user_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD CONSTRAINT "committee_election_paper_ballot_confirmed_by_user_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD CONSTRAINT "committee_election_paper_voter_fk" FOREIGN KEY ("election_id","voter_id") REFERENCES "public"."committee_election_voter"("election_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "committee_election_paper_one_live" ON "committee_election_paper_ballot" USING btree ("election_id","voter_id") WHERE "committee_election_paper_ballot"."status" <> 'rejected';--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_authorisation_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voting_file" ADD CONSTRAINT "voting_file_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_proxy_id_proxy_authorisation_id_fk" FOREIGN KEY ("proxy_id") REFERENCES "public"."proxy_authorisation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_paper_ballot_id_committee_election_paper_ballot_id_fk" FOREIGN KEY ("paper_ballot_id") REFERENCES "public"."committee_election_paper_ballot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "proxy_election_idx" ON "proxy_authorisation" USING btree ("election_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "proxy_one_live_election" ON "proxy_authorisation" USING btree ("election_id","grantor_owner_id") WHERE "proxy_authorisation"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "voting_file_election_idx" ON "voting_file" USING btree ("election_id","kind");--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_seq" UNIQUE("election_id","seq");--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_one_vote" CHECK (num_nonnulls("proxy_authorisation"."proposal_id", "proxy_authorisation"."election_id") = 1);--> statement-breakpoint
ALTER TABLE "voting_file" ADD CONSTRAINT "voting_file_one_vote" CHECK (num_nonnulls("voting_file"."proposal_id", "voting_file"."election_id") = 1);--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_channel" CHECK ("committee_election_ballot"."channel" in ('online', 'paper', 'proxy'));--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_channel_link" CHECK (("committee_election_ballot"."channel" = 'proxy') = ("committee_election_ballot"."proxy_id" is not null) and ("committee_election_ballot"."channel" = 'paper') = ("committee_election_ballot"."paper_ballot_id" is not null));