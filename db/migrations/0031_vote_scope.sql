ALTER TABLE "proposal" ADD COLUMN "scope_building_ids" uuid[];--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "scope_building_ids" uuid[];--> statement-breakpoint
ALTER TABLE "committee_election_voter" ADD CONSTRAINT "committee_election_voter_area_key" UNIQUE("election_id","voter_id","area_centi_sqm");--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_voter_area_fk" FOREIGN KEY ("election_id","voter_id","area_centi_sqm") REFERENCES "public"."committee_election_voter"("election_id","voter_id","area_centi_sqm") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_scope_not_empty" CHECK (cardinality("proposal"."scope_building_ids") > 0);--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_scope_not_empty" CHECK (cardinality("committee_election"."scope_building_ids") > 0);