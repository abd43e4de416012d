CREATE TYPE "public"."inquiry_subject_kind" AS ENUM('minutes', 'service_report', 'maintenance_fund', 'common_income');--> statement-breakpoint
ALTER TABLE "committee_inquiry" ALTER COLUMN "meeting_id" DROP NOT NULL;--> statement-breakpoint
-- Every question asked so far was on minutes.
ALTER TABLE "committee_inquiry" ADD COLUMN "subject_kind" "inquiry_subject_kind" DEFAULT 'minutes' NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ALTER COLUMN "subject_kind" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD COLUMN "service_report_id" uuid;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_service_report_id_service_report_id_fk" FOREIGN KEY ("service_report_id") REFERENCES "public"."service_report"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "committee_inquiry_subject_idx" ON "committee_inquiry" USING btree ("estate_id","subject_kind","created_at");--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_subject" CHECK (("committee_inquiry"."subject_kind" = 'minutes') = ("committee_inquiry"."meeting_id" is not null) and ("committee_inquiry"."subject_kind" = 'service_report') = ("committee_inquiry"."service_report_id" is not null));