ALTER TYPE "public"."audit_act" ADD VALUE 'payment_settings_change';--> statement-breakpoint
CREATE TABLE "estate_payment_method" (
	"estate_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"wechat_sub_mchid" text,
	"wechat_sub_appid" text,
	"alipay_app_auth_token_enc" text,
	"alipay_seller_id" text,
	"cross_border_confirmed_by" uuid,
	"cross_border_confirmed_at" timestamp with time zone,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "estate_payment_method_estate_id_provider_pk" PRIMARY KEY("estate_id","provider"),
	CONSTRAINT "estate_payment_method_provider" CHECK ("estate_payment_method"."provider" in ('stripe', 'wechatpay', 'alipay')),
	CONSTRAINT "estate_payment_method_stripe_confirmed" CHECK ("estate_payment_method"."provider" <> 'stripe' or not "estate_payment_method"."enabled" or "estate_payment_method"."cross_border_confirmed_at" is not null),
	CONSTRAINT "estate_payment_method_wechat_sub_mchid" CHECK ("estate_payment_method"."provider" <> 'wechatpay' or not "estate_payment_method"."enabled" or "estate_payment_method"."wechat_sub_mchid" is not null)
);
--> statement-breakpoint
ALTER TABLE "checkout" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "checkout" ADD COLUMN "action" jsonb;--> statement-breakpoint
ALTER TABLE "estate_payment_method" ADD CONSTRAINT "estate_payment_method_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_payment_method" ADD CONSTRAINT "estate_payment_method_cross_border_confirmed_by_user_id_fk" FOREIGN KEY ("cross_border_confirmed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_payment_method" ADD CONSTRAINT "estate_payment_method_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;