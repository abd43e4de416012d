CREATE TYPE "public"."outbox_channel" AS ENUM('mail', 'sms', 'wechat');--> statement-breakpoint
ALTER TYPE "public"."outbox_status" ADD VALUE 'skipped';--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_once";--> statement-breakpoint
ALTER TABLE "estate" ADD COLUMN "sms_monthly_budget" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD COLUMN "sms" boolean;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD COLUMN "wechat" boolean;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "channel" "outbox_channel" DEFAULT 'mail' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_once" UNIQUE("user_id","channel","idempotency_key");