CREATE TYPE "public"."rest_day_kind" AS ENUM('holiday', 'workday');--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'rest_day_change';--> statement-breakpoint
ALTER TYPE "public"."audit_subject" ADD VALUE 'calendar';--> statement-breakpoint
CREATE TABLE "rest_day_override" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" "rest_day_kind" NOT NULL,
	"name" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rest_day_override_name_len" CHECK (char_length("rest_day_override"."name") <= 40)
);
--> statement-breakpoint
CREATE TABLE "rest_day_year" (
	"year" integer PRIMARY KEY NOT NULL,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rest_day_year_range" CHECK ("rest_day_year"."year" between 2000 and 2200)
);
--> statement-breakpoint
ALTER TABLE "rest_day_override" ADD CONSTRAINT "rest_day_override_updated_by_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rest_day_year" ADD CONSTRAINT "rest_day_year_entered_by_user_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
-- The published arrangements of db/data/holidays-cn.json (the test rest-days.test.ts checks they agree).
INSERT INTO "rest_day_override" ("date", "kind", "name") VALUES
  ('2026-01-01', 'holiday', '元旦'),
  ('2026-01-02', 'holiday', '元旦'),
  ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', NULL),
  ('2026-02-14', 'workday', NULL),
  ('2026-02-15', 'holiday', '春节'),
  ('2026-02-16', 'holiday', '春节'),
  ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'),
  ('2026-02-19', 'holiday', '春节'),
  ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'),
  ('2026-02-22', 'holiday', '春节'),
  ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', NULL),
  ('2026-04-04', 'holiday', '清明节'),
  ('2026-04-05', 'holiday', '清明节'),
  ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'),
  ('2026-05-02', 'holiday', '劳动节'),
  ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'),
  ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', NULL),
  ('2026-06-19', 'holiday', '端午节'),
  ('2026-06-20', 'holiday', '端午节'),
  ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', NULL),
  ('2026-09-25', 'holiday', '中秋节'),
  ('2026-09-26', 'holiday', '中秋节'),
  ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'),
  ('2026-10-02', 'holiday', '国庆节'),
  ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'),
  ('2026-10-05', 'holiday', '国庆节'),
  ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', NULL);
--> statement-breakpoint
INSERT INTO "rest_day_year" ("year") VALUES (2026);
