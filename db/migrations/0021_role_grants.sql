ALTER TYPE "public"."audit_act" ADD VALUE 'role_grant';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'role_revoke';