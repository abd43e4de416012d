ALTER TYPE "public"."choice" ADD VALUE 'spoiled';--> statement-breakpoint
ALTER TABLE "ownership" ADD COLUMN "named_voter" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ownership" ADD COLUMN "named_by" uuid;--> statement-breakpoint
ALTER TABLE "ownership" ADD COLUMN "named_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "spoiled_takes_part" boolean;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "co_owners_name_one" boolean;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "spoiled_races" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD COLUMN "spoiled_races" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "ownership" ADD CONSTRAINT "ownership_named_by_user_id_fk" FOREIGN KEY ("named_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ownership_one_named_voter" ON "ownership" USING btree ("unit_id") WHERE "ownership"."named_voter";--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_spoiled_paper" CHECK ("ballot"."choice"::text <> 'spoiled' or "ballot"."channel" = 'paper');--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_spoiled_paper" CHECK (cardinality("committee_election_ballot"."spoiled_races") = 0 or "committee_election_ballot"."channel" = 'paper');