ALTER TABLE "user" DROP CONSTRAINT "user_phone_unique";--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "phone_verified_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "user_verified_phone" ON "user" USING btree ("phone") WHERE "user"."phone_verified_at" is not null;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_phone_verified_has_phone" CHECK ("user"."phone_verified_at" is null or "user"."phone" is not null);