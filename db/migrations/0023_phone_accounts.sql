CREATE TYPE "public"."sms_code_purpose" AS ENUM('signup', 'login', 'reset', 'change_number');--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'phone_change';--> statement-breakpoint
CREATE TABLE "sms_code" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"purpose" "sms_code_purpose" NOT NULL,
	"code_hmac" text NOT NULL,
	"tries" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "user" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "sms_code_live" ON "sms_code" USING btree ("phone","purpose") WHERE "sms_code"."closed_at" is null;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_reachable" CHECK ("user"."deleted_at" is not null or "user"."email" is not null or "user"."phone_verified_at" is not null);