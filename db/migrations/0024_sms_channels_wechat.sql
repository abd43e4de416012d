CREATE TYPE "public"."outbox_channel" AS ENUM('mail', 'sms', 'wechat');--> statement-breakpoint
ALTER TYPE "public"."outbox_status" ADD VALUE 'skipped';--> statement-breakpoint
CREATE TABLE "wechat_binding" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"app_id" text NOT NULL,
	"openid" text NOT NULL,
	"user_id" uuid NOT NULL,
	"bound_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wechat_binding_openid" UNIQUE("app_id","openid"),
	CONSTRAINT "wechat_binding_user" UNIQUE("app_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "wechat_token" (
	"app_id" text PRIMARY KEY NOT NULL,
	"access_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_once";--> statement-breakpoint
ALTER TABLE "estate" ADD COLUMN "sms_monthly_budget" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD COLUMN "sms" boolean;--> statement-breakpoint
ALTER TABLE "notification_preference" ADD COLUMN "wechat" boolean;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "channel" "outbox_channel" DEFAULT 'mail' NOT NULL;--> statement-breakpoint
ALTER TABLE "wechat_binding" ADD CONSTRAINT "wechat_binding_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wechat_binding_user_idx" ON "wechat_binding" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_once" UNIQUE("user_id","channel","idempotency_key");