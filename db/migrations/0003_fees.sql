CREATE TYPE "public"."bill_status" AS ENUM('unpaid', 'pending', 'paid');--> statement-breakpoint
CREATE TYPE "public"."billing_cycle" AS ENUM('monthly', 'quarterly', 'yearly');--> statement-breakpoint
CREATE TYPE "public"."checkout_status" AS ENUM('creating', 'open', 'processing', 'completed', 'expired', 'failed');--> statement-breakpoint
CREATE TYPE "public"."fee_basis" AS ENUM('area', 'unit');--> statement-breakpoint
CREATE TYPE "public"."fee_charge" AS ENUM('property', 'parking', 'storage');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('online', 'cash', 'bank_transfer');--> statement-breakpoint
CREATE TABLE "bill" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"building_id" uuid NOT NULL,
	"period_key" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"charge" "fee_charge" NOT NULL,
	"schedule_id" uuid NOT NULL,
	"basis" "fee_basis" NOT NULL,
	"rate_fen" integer NOT NULL,
	"area_centi_sqm" integer NOT NULL,
	"months" smallint NOT NULL,
	"amount_fen" integer NOT NULL,
	"due_date" date NOT NULL,
	"status" "bill_status" DEFAULT 'unpaid' NOT NULL,
	"pending_checkout_id" uuid,
	"payment_id" uuid,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bill_once" UNIQUE("unit_id","period_key","charge"),
	CONSTRAINT "bill_amount" CHECK ("bill"."amount_fen" > 0),
	CONSTRAINT "bill_months" CHECK ("bill"."months" in (1, 3, 12)),
	CONSTRAINT "bill_period_order" CHECK ("bill"."period_start" < "bill"."period_end"),
	CONSTRAINT "bill_period_key" CHECK ("bill"."period_key" ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
	CONSTRAINT "bill_pending_has_checkout" CHECK (("bill"."status" = 'pending') = ("bill"."pending_checkout_id" is not null)),
	CONSTRAINT "bill_paid_has_payment" CHECK (("bill"."status" = 'paid') = ("bill"."payment_id" is not null and "bill"."paid_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "checkout_bill" (
	"checkout_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	CONSTRAINT "checkout_bill_checkout_id_bill_id_pk" PRIMARY KEY("checkout_id","bill_id")
);
--> statement-breakpoint
CREATE TABLE "checkout" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"session_id" text,
	"url" text,
	"status" "checkout_status" DEFAULT 'creating' NOT NULL,
	"amount_fen" integer NOT NULL,
	"currency" text DEFAULT 'cny' NOT NULL,
	"payment_intent_id" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "checkout_session_once" UNIQUE("provider","session_id"),
	CONSTRAINT "checkout_amount" CHECK ("checkout"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "fee_rate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"charge" "fee_charge" NOT NULL,
	"unit_kind" "unit_kind" NOT NULL,
	"basis" "fee_basis" NOT NULL,
	"rate_fen" integer NOT NULL,
	CONSTRAINT "fee_rate_once" UNIQUE("schedule_id","charge","unit_kind"),
	CONSTRAINT "fee_rate_positive" CHECK ("fee_rate"."rate_fen" > 0 and "fee_rate"."rate_fen" <= 10000000)
);
--> statement-breakpoint
CREATE TABLE "fee_reminder_run" (
	"estate_id" uuid NOT NULL,
	"month" text NOT NULL,
	"recipients" integer NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_reminder_run_estate_id_month_pk" PRIMARY KEY("estate_id","month")
);
--> statement-breakpoint
CREATE TABLE "fee_schedule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"name" text NOT NULL,
	"effective_from" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_schedule_once" UNIQUE("estate_id","effective_from")
);
--> statement-breakpoint
CREATE TABLE "fee_settings" (
	"estate_id" uuid PRIMARY KEY NOT NULL,
	"billing_cycle" "billing_cycle" DEFAULT 'monthly' NOT NULL,
	"due_days" integer DEFAULT 30 NOT NULL,
	"schedule_publisher" text DEFAULT 'property_staff' NOT NULL,
	"reminder_day" smallint,
	"receipt_seq" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "fee_settings_due_days" CHECK ("fee_settings"."due_days" between 0 and 365),
	CONSTRAINT "fee_settings_reminder_day" CHECK ("fee_settings"."reminder_day" is null or "fee_settings"."reminder_day" between 1 and 28),
	CONSTRAINT "fee_settings_publisher" CHECK ("fee_settings"."schedule_publisher" in ('property_staff', 'committee')),
	CONSTRAINT "fee_settings_receipt_seq" CHECK ("fee_settings"."receipt_seq" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payment_bill" (
	"payment_id" uuid NOT NULL,
	"bill_id" uuid NOT NULL,
	"estate_id" uuid NOT NULL,
	"amount_fen" integer NOT NULL,
	CONSTRAINT "payment_bill_payment_id_bill_id_pk" PRIMARY KEY("payment_id","bill_id")
);
--> statement-breakpoint
CREATE TABLE "payment_event" (
	"event_id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"outcome" text NOT NULL,
	"related_ref" text,
	"detail" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"receipt_no" text NOT NULL,
	"method" "payment_method" NOT NULL,
	"provider" text,
	"checkout_id" uuid,
	"provider_payment_intent" text,
	"amount_fen" integer NOT NULL,
	"refunded_fen" integer DEFAULT 0 NOT NULL,
	"applied" boolean DEFAULT true NOT NULL,
	"payer_user_id" uuid,
	"recorded_by" uuid,
	"reference" text,
	"paid_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_receipt_once" UNIQUE("estate_id","receipt_no"),
	CONSTRAINT "payment_checkout_once" UNIQUE("checkout_id"),
	CONSTRAINT "payment_intent_once" UNIQUE("provider","provider_payment_intent"),
	CONSTRAINT "payment_amount" CHECK ("payment"."amount_fen" > 0),
	CONSTRAINT "payment_refunded" CHECK ("payment"."refunded_fen" >= 0 and "payment"."refunded_fen" <= "payment"."amount_fen"),
	CONSTRAINT "payment_online_has_checkout" CHECK (("payment"."method" = 'online') = ("payment"."checkout_id" is not null)),
	CONSTRAINT "payment_offline_recorded" CHECK ("payment"."method" = 'online' or "payment"."recorded_by" is not null)
);
--> statement-breakpoint
CREATE TABLE "refund" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"estate_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"provider_charge_id" text,
	"total_fen" integer NOT NULL,
	"amount_fen" integer NOT NULL,
	"event_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refund_event_id_unique" UNIQUE("event_id"),
	CONSTRAINT "refund_amount" CHECK ("refund"."amount_fen" > 0 and "refund"."total_fen" >= "refund"."amount_fen")
);
--> statement-breakpoint
CREATE TABLE "sandbox_session" (
	"id" text PRIMARY KEY NOT NULL,
	"estate_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"client_reference_id" text,
	"customer_email" text,
	"amount_total" integer NOT NULL,
	"currency" text NOT NULL,
	"line_items" jsonb NOT NULL,
	"metadata" jsonb NOT NULL,
	"payment_method_types" text[] NOT NULL,
	"success_url" text NOT NULL,
	"cancel_url" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"payment_status" text DEFAULT 'unpaid' NOT NULL,
	"payment_intent" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sandbox_session_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_unit_id_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_building_id_building_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."building"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_schedule_id_fee_schedule_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."fee_schedule"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_pending_checkout_id_checkout_id_fk" FOREIGN KEY ("pending_checkout_id") REFERENCES "public"."checkout"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_payment_id_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_bill" ADD CONSTRAINT "checkout_bill_checkout_id_checkout_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkout"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_bill" ADD CONSTRAINT "checkout_bill_bill_id_bill_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bill"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout_bill" ADD CONSTRAINT "checkout_bill_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout" ADD CONSTRAINT "checkout_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkout" ADD CONSTRAINT "checkout_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_rate" ADD CONSTRAINT "fee_rate_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_rate" ADD CONSTRAINT "fee_rate_schedule_id_fee_schedule_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."fee_schedule"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_reminder_run" ADD CONSTRAINT "fee_reminder_run_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule" ADD CONSTRAINT "fee_schedule_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule" ADD CONSTRAINT "fee_schedule_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_settings" ADD CONSTRAINT "fee_settings_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_settings" ADD CONSTRAINT "fee_settings_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_bill" ADD CONSTRAINT "payment_bill_payment_id_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_bill" ADD CONSTRAINT "payment_bill_bill_id_bill_id_fk" FOREIGN KEY ("bill_id") REFERENCES "public"."bill"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_bill" ADD CONSTRAINT "payment_bill_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment" ADD CONSTRAINT "payment_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment" ADD CONSTRAINT "payment_checkout_id_checkout_id_fk" FOREIGN KEY ("checkout_id") REFERENCES "public"."checkout"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment" ADD CONSTRAINT "payment_payer_user_id_user_id_fk" FOREIGN KEY ("payer_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment" ADD CONSTRAINT "payment_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund" ADD CONSTRAINT "refund_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refund" ADD CONSTRAINT "refund_payment_id_payment_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_session" ADD CONSTRAINT "sandbox_session_estate_id_estate_id_fk" FOREIGN KEY ("estate_id") REFERENCES "public"."estate"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bill_estate_period_idx" ON "bill" USING btree ("estate_id","period_key");--> statement-breakpoint
CREATE INDEX "bill_open_idx" ON "bill" USING btree ("estate_id","due_date") WHERE "bill"."status" <> 'paid';--> statement-breakpoint
CREATE INDEX "bill_payment_idx" ON "bill" USING btree ("payment_id") WHERE "bill"."payment_id" is not null;--> statement-breakpoint
CREATE INDEX "checkout_bill_bill_idx" ON "checkout_bill" USING btree ("bill_id");--> statement-breakpoint
CREATE INDEX "checkout_user_idx" ON "checkout" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "checkout_unsettled_idx" ON "checkout" USING btree ("created_at") WHERE "checkout"."status" in ('creating', 'open', 'processing');--> statement-breakpoint
CREATE INDEX "payment_bill_bill_idx" ON "payment_bill" USING btree ("bill_id");--> statement-breakpoint
CREATE INDEX "payment_event_deferred_idx" ON "payment_event" USING btree ("related_ref") WHERE "payment_event"."outcome" = 'deferred';--> statement-breakpoint
CREATE INDEX "payment_estate_idx" ON "payment" USING btree ("estate_id","paid_at");--> statement-breakpoint
CREATE INDEX "refund_payment_idx" ON "refund" USING btree ("payment_id");