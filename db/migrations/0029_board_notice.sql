CREATE TYPE "public"."board_notice_author" AS ENUM('committee', 'property', 'community', 'platform');--> statement-breakpoint
CREATE TYPE "public"."board_notice_kind" AS ENUM('vote_notice', 'election_notice', 'preliminary_result', 'final_result', 'decision', 'minutes', 'fee_schedule', 'general');--> statement-breakpoint
CREATE TYPE "public"."board_notice_subject" AS ENUM('proposal', 'election', 'meeting', 'fee_schedule');--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'board_notice_post';--> statement-breakpoint
ALTER TYPE "public"."audit_subject" ADD VALUE 'board_notice';--> statement-breakpoint
CREATE TABLE "board_notice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"kind" "board_notice_kind" NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"posted_by" uuid NOT NULL,
	"author" "board_notice_author" NOT NULL,
	"subject_type" "board_notice_subject",
	"subject_id" uuid,
	"publicity_ends_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "board_notice_subject_pair" CHECK (("board_notice"."subject_type" is null) = ("board_notice"."subject_id" is null)),
	CONSTRAINT "board_notice_title" CHECK (length(btrim("board_notice"."title")) > 0),
	CONSTRAINT "board_notice_publicity" CHECK ("board_notice"."publicity_ends_at" is null or "board_notice"."publicity_ends_at" > "board_notice"."posted_at")
);
--> statement-breakpoint
ALTER TABLE "board_notice" ADD CONSTRAINT "board_notice_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_notice" ADD CONSTRAINT "board_notice_posted_by_user_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_notice_estate_idx" ON "board_notice" USING btree ("estate_id","posted_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "board_notice_subject_idx" ON "board_notice" USING btree ("subject_type","subject_id");--> statement-breakpoint
-- Written by hand after drizzle-kit: a notice is kept forever and never changes (a correction is a new notice).
CREATE FUNCTION "board_notice_kept_forever"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'board_notice is kept forever (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "board_notice_no_change" BEFORE UPDATE OR DELETE ON "board_notice" FOR EACH ROW EXECUTE FUNCTION "board_notice_kept_forever"();--> statement-breakpoint
CREATE TRIGGER "board_notice_no_truncate" BEFORE TRUNCATE ON "board_notice" FOR EACH STATEMENT EXECUTE FUNCTION "board_notice_kept_forever"();
