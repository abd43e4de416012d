CREATE TYPE "public"."committee_candidate_status" AS ENUM('standing', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."committee_election_kind" AS ENUM('general', 'by_election');--> statement-breakpoint
CREATE TYPE "public"."committee_election_status" AS ENUM('nominating', 'voting', 'closed', 'published');--> statement-breakpoint
CREATE TABLE "committee_election" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"kind" "committee_election_kind" NOT NULL,
	"title" text NOT NULL,
	"status" "committee_election_status" DEFAULT 'nominating' NOT NULL,
	"nomination_threshold" integer NOT NULL,
	"nomination_ends_at" timestamp with time zone NOT NULL,
	"voting_starts_at" timestamp with time zone NOT NULL,
	"voting_ends_at" timestamp with time zone NOT NULL,
	"term_months" integer,
	"voting_unit_kinds" text[],
	"ballots_changeable" boolean,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"result" jsonb,
	CONSTRAINT "committee_election_threshold" CHECK ("committee_election"."nomination_threshold" >= 1),
	CONSTRAINT "committee_election_window" CHECK ("committee_election"."nomination_ends_at" <= "committee_election"."voting_starts_at" and "committee_election"."voting_starts_at" < "committee_election"."voting_ends_at"),
	CONSTRAINT "committee_election_term" CHECK ("committee_election"."term_months" is null or "committee_election"."term_months" between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "committee_election_ballot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"election_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"cast_by" uuid,
	"receipt" text NOT NULL,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replaced_at" timestamp with time zone,
	CONSTRAINT "committee_election_ballot_receipt_unique" UNIQUE("receipt")
);
--> statement-breakpoint
CREATE TABLE "committee_candidate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"election_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"building" text NOT NULL,
	"seat" "committee_seat" NOT NULL,
	"zone_id" uuid,
	"declaration_id" uuid,
	"statement" text,
	"status" "committee_candidate_status" DEFAULT 'standing' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_candidate_seat" CHECK (("committee_candidate"."seat" = 'N' and "committee_candidate"."zone_id" is not null and "committee_candidate"."declaration_id" is null) or ("committee_candidate"."seat" = 'X' and "committee_candidate"."zone_id" is null and "committee_candidate"."declaration_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "committee_election_mark" (
	"ballot_id" uuid NOT NULL,
	"candidate_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"choice" "member_choice" NOT NULL,
	CONSTRAINT "committee_election_mark_ballot_id_candidate_id_pk" PRIMARY KEY("ballot_id","candidate_id")
);
--> statement-breakpoint
CREATE TABLE "committee_election_race" (
	"election_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"race" text NOT NULL,
	"zone_id" uuid,
	"seats" integer NOT NULL,
	CONSTRAINT "committee_election_race_election_id_race_pk" PRIMARY KEY("election_id","race"),
	CONSTRAINT "committee_election_race_seats" CHECK ("committee_election_race"."seats" >= 0)
);
--> statement-breakpoint
CREATE TABLE "committee_election_voter" (
	"election_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"area_centi_sqm" integer NOT NULL,
	"unit_ids" uuid[] NOT NULL,
	"owner_ids" uuid[] NOT NULL,
	CONSTRAINT "committee_election_voter_election_id_voter_id_pk" PRIMARY KEY("election_id","voter_id"),
	CONSTRAINT "committee_election_voter_area" CHECK ("committee_election_voter"."area_centi_sqm" > 0)
);
--> statement-breakpoint
CREATE TABLE "committee_nomination" (
	"candidate_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_nomination_candidate_id_unit_id_pk" PRIMARY KEY("candidate_id","unit_id")
);
--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_cast_by_user_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_voter_fk" FOREIGN KEY ("election_id","voter_id") REFERENCES "public"."committee_election_voter"("election_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_candidate" ADD CONSTRAINT "committee_candidate_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_candidate" ADD CONSTRAINT "committee_candidate_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_candidate" ADD CONSTRAINT "committee_candidate_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_candidate" ADD CONSTRAINT "committee_candidate_owner_id_owner_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_candidate" ADD CONSTRAINT "committee_candidate_zone_id_committee_zone_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."committee_zone"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_candidate" ADD CONSTRAINT "committee_candidate_declaration_id_role_declaration_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."role_declaration"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_mark" ADD CONSTRAINT "committee_election_mark_ballot_id_committee_election_ballot_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."committee_election_ballot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_mark" ADD CONSTRAINT "committee_election_mark_candidate_id_committee_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."committee_candidate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_mark" ADD CONSTRAINT "committee_election_mark_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_race" ADD CONSTRAINT "committee_election_race_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_race" ADD CONSTRAINT "committee_election_race_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_race" ADD CONSTRAINT "committee_election_race_zone_id_committee_zone_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."committee_zone"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_voter" ADD CONSTRAINT "committee_election_voter_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election_voter" ADD CONSTRAINT "committee_election_voter_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_nomination" ADD CONSTRAINT "committee_nomination_candidate_id_committee_candidate_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."committee_candidate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_nomination" ADD CONSTRAINT "committee_nomination_unit_id_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_nomination" ADD CONSTRAINT "committee_nomination_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_nomination" ADD CONSTRAINT "committee_nomination_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "committee_election_estate_idx" ON "committee_election" USING btree ("estate_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "committee_election_ballot_current" ON "committee_election_ballot" USING btree ("election_id","voter_id") WHERE "committee_election_ballot"."replaced_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "committee_candidate_once" ON "committee_candidate" USING btree ("election_id","user_id") WHERE "committee_candidate"."status" = 'standing';