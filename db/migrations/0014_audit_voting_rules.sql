ALTER TYPE "public"."audit_act" ADD VALUE 'voting_rules_change';--> statement-breakpoint
ALTER TYPE "public"."audit_subject" ADD VALUE 'estate';