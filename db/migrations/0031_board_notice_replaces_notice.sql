-- Written by hand before drizzle-kit's DROP: the estate's old notices (no poster, no kind) move
-- to the notice board as general notices, kept forever like the rest.
INSERT INTO "board_notice" ("estate_id", "kind", "title", "body", "posted_at", "posted_by", "author", "created_at")
SELECT "estate_id", 'general', "title", "body", "published_at", NULL, 'committee', "published_at" FROM "notice";--> statement-breakpoint
DROP TABLE "notice" CASCADE;
