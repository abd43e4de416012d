ALTER TYPE "public"."audit_act" ADD VALUE 'vote_notice_post';--> statement-breakpoint
ALTER TABLE "proposal" ADD COLUMN "notice_id" uuid;--> statement-breakpoint
ALTER TABLE "proposal" ADD COLUMN "noticed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "notice_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "noticed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_notice_id_board_notice_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."board_notice"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_notice_id_board_notice_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."board_notice"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_notice_pair" CHECK (("proposal"."notice_id" is null) = ("proposal"."noticed_at" is null));--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_notice_pair" CHECK (("committee_election"."notice_id" is null) = ("committee_election"."noticed_at" is null));