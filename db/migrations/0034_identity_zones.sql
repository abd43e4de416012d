ALTER TABLE "owner" ADD COLUMN "id_tail" text;--> statement-breakpoint
ALTER TABLE "roster_import" ADD COLUMN "id_basis" text;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "zone_voting" text;--> statement-breakpoint
ALTER TABLE "committee_election_voter" ADD COLUMN "zone_areas" jsonb;--> statement-breakpoint
ALTER TABLE "roster_import" ADD CONSTRAINT "roster_import_id_basis" CHECK ("roster_import"."id_basis" is null or "roster_import"."id_basis" in ('consent', 'contract', 'legalDuty'));--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_zone_voting" CHECK ("committee_election"."zone_voting" is null or "committee_election"."zone_voting" in ('all', 'own'));