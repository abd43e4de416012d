ALTER TYPE "public"."audit_act" ADD VALUE 'ballot_box_log';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'ballot_box_witness';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'ballot_box_withdraw';--> statement-breakpoint
ALTER TYPE "public"."audit_subject" ADD VALUE 'ballot_box_entry';--> statement-breakpoint
CREATE TABLE "ballot_box_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"proposal_id" uuid,
	"election_id" uuid,
	"unit_id" uuid NOT NULL,
	"voter_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"logged_by" uuid NOT NULL,
	"witnessed_by" uuid,
	"witnessed_at" timestamp with time zone,
	"withdrawn_by" uuid,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "ballot_box_one_vote" CHECK (num_nonnulls("ballot_box_entry"."proposal_id", "ballot_box_entry"."election_id") = 1),
	CONSTRAINT "ballot_box_second_member" CHECK ("ballot_box_entry"."witnessed_by" is null or "ballot_box_entry"."witnessed_by" <> "ballot_box_entry"."logged_by"),
	CONSTRAINT "ballot_box_witnessed" CHECK (("ballot_box_entry"."witnessed_by" is null) = ("ballot_box_entry"."witnessed_at" is null)),
	CONSTRAINT "ballot_box_withdrawn" CHECK (("ballot_box_entry"."withdrawn_by" is null) = ("ballot_box_entry"."withdrawn_at" is null)),
	CONSTRAINT "ballot_box_withdrawn_unwitnessed" CHECK ("ballot_box_entry"."withdrawn_at" is null or "ballot_box_entry"."witnessed_at" is null),
	CONSTRAINT "ballot_box_witnessed_after" CHECK ("ballot_box_entry"."witnessed_at" is null or "ballot_box_entry"."witnessed_at" >= "ballot_box_entry"."received_at")
);
--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_entry_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_entry_proposal_id_proposal_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_entry_election_id_committee_election_id_fk" FOREIGN KEY ("election_id") REFERENCES "public"."committee_election"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_entry_logged_by_user_id_fk" FOREIGN KEY ("logged_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_entry_witnessed_by_user_id_fk" FOREIGN KEY ("witnessed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_entry_withdrawn_by_user_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_proposal_unit_fk" FOREIGN KEY ("proposal_id","unit_id") REFERENCES "public"."vote_unit"("proposal_id","unit_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_proposal_voter_fk" FOREIGN KEY ("proposal_id","voter_id") REFERENCES "public"."vote_voter"("proposal_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_box_entry" ADD CONSTRAINT "ballot_box_election_voter_fk" FOREIGN KEY ("election_id","voter_id") REFERENCES "public"."committee_election_voter"("election_id","voter_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_box_one_live" ON "ballot_box_entry" USING btree ("proposal_id","voter_id") WHERE "ballot_box_entry"."withdrawn_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "ballot_box_one_live_election" ON "ballot_box_entry" USING btree ("election_id","voter_id") WHERE "ballot_box_entry"."withdrawn_at" is null;