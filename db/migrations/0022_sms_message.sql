CREATE TYPE "public"."sms_status" AS ENUM('held', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "sms_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"template" text NOT NULL,
	"params" jsonb NOT NULL,
	"user_id" uuid,
	"estate_id" uuid,
	"budgeted" boolean DEFAULT false NOT NULL,
	"provider" text NOT NULL,
	"provider_id" text,
	"status" "sms_status" NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sms_message" ADD CONSTRAINT "sms_message_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_message" ADD CONSTRAINT "sms_message_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_message_phone_idx" ON "sms_message" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "sms_message_estate_idx" ON "sms_message" USING btree ("estate_id","created_at");