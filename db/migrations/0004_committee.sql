CREATE TYPE "public"."agenda_item_kind" AS ENUM('motion', 'information', 'elect_chair', 'elect_vice_chair');--> statement-breakpoint
CREATE TYPE "public"."committee_office" AS ENUM('chair', 'vice_chair', 'member');--> statement-breakpoint
CREATE TYPE "public"."committee_seat" AS ENUM('N', 'X', 'observer');--> statement-breakpoint
CREATE TYPE "public"."committee_status" AS ENUM('forming', 'active', 'archived');--> statement-breakpoint
CREATE TYPE "public"."role_declaration_status" AS ENUM('pending', 'verified', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."meeting_kind" AS ENUM('regular', 'first', 'requisitioned');--> statement-breakpoint
CREATE TYPE "public"."meeting_status" AS ENUM('scheduled', 'held', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."member_choice" AS ENUM('agree', 'oppose', 'abstain');--> statement-breakpoint
CREATE TYPE "public"."public_role" AS ENUM('party_congress', 'npc', 'cppcc', 'public_servant');--> statement-breakpoint
CREATE TABLE "committee_agenda_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" "agenda_item_kind" NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"candidate_member_id" uuid,
	"resolution" text,
	"agree_count" integer,
	"oppose_count" integer,
	"abstain_count" integer,
	"member_count" integer,
	"passed" boolean,
	CONSTRAINT "agenda_item_position" UNIQUE("meeting_id","position"),
	CONSTRAINT "agenda_item_candidate" CHECK (("committee_agenda_item"."kind" in ('elect_chair', 'elect_vice_chair')) = ("committee_agenda_item"."candidate_member_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "committee_meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" "meeting_kind" NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"place" text,
	"online_link" text,
	"scheduled_by" uuid,
	"noticed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"short_notice" boolean NOT NULL,
	"requisition_id" uuid,
	"status" "meeting_status" DEFAULT 'scheduled' NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"attendance_recorded_at" timestamp with time zone,
	"minutes" text,
	"minutes_updated_at" timestamp with time zone,
	"minutes_updated_by" uuid,
	"minutes_published_at" timestamp with time zone,
	"decisions_published_at" timestamp with time zone,
	"decisions_published_by" uuid,
	CONSTRAINT "committee_meeting_where" CHECK ("committee_meeting"."place" is not null or "committee_meeting"."online_link" is not null),
	CONSTRAINT "committee_meeting_minutes_after_decisions" CHECK ("committee_meeting"."minutes_published_at" is null or "committee_meeting"."decisions_published_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "committee_member" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"owner_id" uuid,
	"name" text NOT NULL,
	"building" text NOT NULL,
	"seat" "committee_seat" NOT NULL,
	"zone_id" uuid,
	"declaration_id" uuid,
	"office" "committee_office" DEFAULT 'member' NOT NULL,
	"photo_key" text,
	"photo_type" text,
	"seated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone,
	"left_reason" text,
	CONSTRAINT "committee_member_owner" CHECK ("committee_member"."seat" = 'observer' or "committee_member"."owner_id" is not null),
	CONSTRAINT "committee_member_zone" CHECK (("committee_member"."seat" = 'N') = ("committee_member"."zone_id" is not null)),
	CONSTRAINT "committee_member_role" CHECK (("committee_member"."seat" = 'N') = ("committee_member"."declaration_id" is null)),
	CONSTRAINT "committee_member_observer_office" CHECK ("committee_member"."seat" <> 'observer' or "committee_member"."office" = 'member')
);
--> statement-breakpoint
CREATE TABLE "committee_zone" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"building_ids" uuid[] NOT NULL,
	"households" integer NOT NULL,
	"seats" integer NOT NULL,
	"tie_resolution" text,
	CONSTRAINT "committee_zone_name" UNIQUE("committee_id","name"),
	CONSTRAINT "committee_zone_counts" CHECK ("committee_zone"."households" >= 0 and "committee_zone"."seats" >= 0)
);
--> statement-breakpoint
CREATE TABLE "committee" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" "committee_status" NOT NULL,
	"size" integer NOT NULL,
	"n_seats" integer NOT NULL,
	"x_seats" integer NOT NULL,
	"origin" text NOT NULL,
	"term_starts_at" timestamp with time zone,
	"term_ends_at" timestamp with time zone,
	"first_meeting_due_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	"archived_by" uuid,
	CONSTRAINT "committee_size" CHECK ("committee"."size" between 5 and 11 and "committee"."size" % 2 = 1),
	CONSTRAINT "committee_seats" CHECK ("committee"."n_seats" >= 0 and "committee"."x_seats" >= 0 and "committee"."n_seats" + "committee"."x_seats" = "committee"."size"),
	CONSTRAINT "committee_term" CHECK ("committee"."status" = 'forming' or ("committee"."term_starts_at" is not null and "committee"."term_ends_at" > "committee"."term_starts_at" and "committee"."term_ends_at" <= "committee"."term_starts_at" + interval '5 years')),
	CONSTRAINT "committee_origin" CHECK ("committee"."origin" in ('registered', 'election'))
);
--> statement-breakpoint
CREATE TABLE "committee_inquiry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"user_id" uuid,
	"asker_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "committee_inquiry_reply" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"user_id" uuid,
	"member_id" uuid,
	"author_name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "committee_attendance" (
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"voting" boolean NOT NULL,
	"present" boolean NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_attendance_meeting_id_member_id_pk" PRIMARY KEY("meeting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "committee_vote" (
	"item_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"choice" "member_choice" NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_vote_item_id_member_id_pk" PRIMARY KEY("item_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "committee_minutes_signoff" (
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"user_id" uuid,
	"minutes_sha256" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_minutes_signoff_meeting_id_member_id_pk" PRIMARY KEY("meeting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "committee_requisition_signature" (
	"requisition_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "committee_requisition_signature_requisition_id_member_id_pk" PRIMARY KEY("requisition_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "committee_requisition" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"committee_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"threshold_met_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"meeting_id" uuid
);
--> statement-breakpoint
CREATE TABLE "role_declaration" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "public_role" NOT NULL,
	"title" text NOT NULL,
	"proof_note" text NOT NULL,
	"proof_file_key" text,
	"proof_file_type" text,
	"status" "role_declaration_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "committee_agenda_item" ADD CONSTRAINT "committee_agenda_item_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_agenda_item" ADD CONSTRAINT "committee_agenda_item_meeting_id_committee_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."committee_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_agenda_item" ADD CONSTRAINT "committee_agenda_item_candidate_member_id_committee_member_id_fk" FOREIGN KEY ("candidate_member_id") REFERENCES "public"."committee_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meeting" ADD CONSTRAINT "committee_meeting_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meeting" ADD CONSTRAINT "committee_meeting_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meeting" ADD CONSTRAINT "committee_meeting_scheduled_by_user_id_fk" FOREIGN KEY ("scheduled_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meeting" ADD CONSTRAINT "committee_meeting_minutes_updated_by_user_id_fk" FOREIGN KEY ("minutes_updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_meeting" ADD CONSTRAINT "committee_meeting_decisions_published_by_user_id_fk" FOREIGN KEY ("decisions_published_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_owner_id_owner_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."owner"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_zone_id_committee_zone_id_fk" FOREIGN KEY ("zone_id") REFERENCES "public"."committee_zone"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_member" ADD CONSTRAINT "committee_member_declaration_id_role_declaration_id_fk" FOREIGN KEY ("declaration_id") REFERENCES "public"."role_declaration"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_zone" ADD CONSTRAINT "committee_zone_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_zone" ADD CONSTRAINT "committee_zone_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee" ADD CONSTRAINT "committee_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee" ADD CONSTRAINT "committee_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee" ADD CONSTRAINT "committee_archived_by_user_id_fk" FOREIGN KEY ("archived_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_meeting_id_committee_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."committee_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry" ADD CONSTRAINT "committee_inquiry_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry_reply" ADD CONSTRAINT "committee_inquiry_reply_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry_reply" ADD CONSTRAINT "committee_inquiry_reply_inquiry_id_committee_inquiry_id_fk" FOREIGN KEY ("inquiry_id") REFERENCES "public"."committee_inquiry"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry_reply" ADD CONSTRAINT "committee_inquiry_reply_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_inquiry_reply" ADD CONSTRAINT "committee_inquiry_reply_member_id_committee_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."committee_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_attendance" ADD CONSTRAINT "committee_attendance_meeting_id_committee_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."committee_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_attendance" ADD CONSTRAINT "committee_attendance_member_id_committee_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."committee_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_attendance" ADD CONSTRAINT "committee_attendance_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_attendance" ADD CONSTRAINT "committee_attendance_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_vote" ADD CONSTRAINT "committee_vote_item_id_committee_agenda_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."committee_agenda_item"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_vote" ADD CONSTRAINT "committee_vote_member_id_committee_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."committee_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_vote" ADD CONSTRAINT "committee_vote_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_vote" ADD CONSTRAINT "committee_vote_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_vote" ADD CONSTRAINT "committee_vote_roll_fk" FOREIGN KEY ("meeting_id","member_id") REFERENCES "public"."committee_attendance"("meeting_id","member_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_minutes_signoff" ADD CONSTRAINT "committee_minutes_signoff_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_minutes_signoff" ADD CONSTRAINT "committee_minutes_signoff_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_minutes_signoff" ADD CONSTRAINT "committee_signoff_roll_fk" FOREIGN KEY ("meeting_id","member_id") REFERENCES "public"."committee_attendance"("meeting_id","member_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition_signature" ADD CONSTRAINT "committee_requisition_signature_requisition_id_committee_requisition_id_fk" FOREIGN KEY ("requisition_id") REFERENCES "public"."committee_requisition"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition_signature" ADD CONSTRAINT "committee_requisition_signature_member_id_committee_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."committee_member"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition_signature" ADD CONSTRAINT "committee_requisition_signature_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition" ADD CONSTRAINT "committee_requisition_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition" ADD CONSTRAINT "committee_requisition_committee_id_committee_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition" ADD CONSTRAINT "committee_requisition_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_requisition" ADD CONSTRAINT "committee_requisition_meeting_id_committee_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."committee_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_declaration" ADD CONSTRAINT "role_declaration_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_declaration" ADD CONSTRAINT "role_declaration_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_declaration" ADD CONSTRAINT "role_declaration_decided_by_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "committee_meeting_estate_idx" ON "committee_meeting" USING btree ("estate_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "committee_member_committee_idx" ON "committee_member" USING btree ("committee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "committee_member_once" ON "committee_member" USING btree ("committee_id","user_id") WHERE "committee_member"."left_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "committee_one_chair" ON "committee_member" USING btree ("committee_id") WHERE "committee_member"."left_at" is null and "committee_member"."office" = 'chair';--> statement-breakpoint
CREATE UNIQUE INDEX "committee_one_vice_chair" ON "committee_member" USING btree ("committee_id") WHERE "committee_member"."left_at" is null and "committee_member"."office" = 'vice_chair';--> statement-breakpoint
CREATE INDEX "committee_estate_idx" ON "committee" USING btree ("estate_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "committee_one_active" ON "committee" USING btree ("estate_id") WHERE "committee"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "committee_one_forming" ON "committee" USING btree ("estate_id") WHERE "committee"."status" = 'forming';--> statement-breakpoint
CREATE INDEX "committee_inquiry_meeting_idx" ON "committee_inquiry" USING btree ("meeting_id","created_at");--> statement-breakpoint
CREATE INDEX "committee_inquiry_reply_idx" ON "committee_inquiry_reply" USING btree ("inquiry_id","created_at");--> statement-breakpoint
CREATE INDEX "committee_requisition_idx" ON "committee_requisition" USING btree ("estate_id","created_at");--> statement-breakpoint
CREATE INDEX "role_declaration_estate_idx" ON "role_declaration" USING btree ("estate_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "role_declaration_one_open" ON "role_declaration" USING btree ("estate_id","user_id") WHERE "role_declaration"."status" <> 'rejected';