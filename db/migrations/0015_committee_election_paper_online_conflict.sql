ALTER TABLE "committee_election" ADD COLUMN "paper_online_conflict" text;--> statement-breakpoint
UPDATE "committee_election" SET "paper_online_conflict" = coalesce(e."settings"->>'paperOnlineConflict', 'online') FROM "estate" e WHERE e."id" = "committee_election"."estate_id" AND "committee_election"."opened_at" IS NOT NULL;
