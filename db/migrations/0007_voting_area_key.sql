ALTER TABLE "vote_voter" ADD CONSTRAINT "vote_voter_area_key" UNIQUE("proposal_id","voter_id","area_centi_sqm");
--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_voter_area_fk" FOREIGN KEY ("proposal_id","voter_id","area_centi_sqm") REFERENCES "public"."vote_voter"("proposal_id","voter_id","area_centi_sqm") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_headcount" CHECK ("ballot"."headcount" = 1);