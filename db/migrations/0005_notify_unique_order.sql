ALTER TABLE "notification" DROP CONSTRAINT "notification_once";--> statement-breakpoint
ALTER TABLE "outbox" DROP CONSTRAINT "outbox_once";--> statement-breakpoint
DROP INDEX "outbox_user_idx";--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_once" UNIQUE("user_id","idempotency_key");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_once" UNIQUE("user_id","idempotency_key");