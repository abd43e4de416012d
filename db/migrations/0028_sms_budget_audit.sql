ALTER TYPE "public"."audit_act" ADD VALUE 'sms_budget_change';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'wechat_bind';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'wechat_unbind';