-- Written by hand after drizzle-kit (which emitted only the DROP): audit_event becomes the one
-- audit table. Each audit_log row is copied under its new act, subject and a detail without
-- personal data (names and free-text reasons stay on the domain rows that already hold them).
-- Not copied: rows of acts that have written both tables since audit_event began (roster import,
-- vote and election open/close, paper ballots, proxy, claim and role decisions, offline payments
-- and refunds) — their audit_event row is already there — except where only audit_log has one
-- (the demo estate's minutes and committee); and any action no code writes any more, which has
-- no act to go to. There is no production data yet, so nothing else is lost.
INSERT INTO "audit_event" ("estate_id", "actor_user_id", "act", "subject_type", "subject_id", "detail", "created_at")
SELECT m."estate_id", m."actor_id", m."act"::"public"."audit_act", m."subject_type"::"public"."audit_subject", m."subject_id", m."detail", m."at"
FROM (
	SELECT l."estate_id", l."actor_id", l."at",
		CASE l."action"
			WHEN 'fees.settings' THEN 'fee_settings_change'
			WHEN 'fees.schedule' THEN 'fee_schedule_create'
			WHEN 'fees.generate' THEN 'bills_generate'
			WHEN 'payment.unapplied' THEN 'payment_unapplied'
			WHEN 'password.reset' THEN 'password_reset'
			WHEN 'roster.reissueClaimCode' THEN 'claim_code_reissue'
			WHEN 'claim.linked' THEN 'claim_link'
			WHEN 'claim.requested' THEN 'claim_request'
			WHEN 'resident.invited' THEN 'resident_invite'
			WHEN 'resident.inviteRevoked' THEN 'resident_invite_revoke'
			WHEN 'resident.removed' THEN 'resident_remove'
			WHEN 'resident.joined' THEN 'resident_join'
			WHEN 'company.set' THEN 'company_set'
			WHEN 'tickets.targets' THEN 'ticket_targets_change'
			WHEN 'service_report.publish' THEN 'service_report_publish'
			WHEN 'committee.registered' THEN 'committee_register'
			WHEN 'committee.archived' THEN 'committee_archive'
			WHEN 'committee.member.seated' THEN 'committee_member_seat'
			WHEN 'committee.member.left' THEN 'committee_member_leave'
			WHEN 'committee.office.set' THEN 'committee_office_set'
			WHEN 'committee.meeting.scheduled' THEN 'meeting_schedule'
			WHEN 'committee.meeting.cancelled' THEN 'meeting_cancel'
			WHEN 'committee.decisions.published' THEN 'decisions_publish'
			WHEN 'committee.minutes.signed' THEN 'minutes_sign'
			WHEN 'committee.minutes.published' THEN 'minutes_publish'
			WHEN 'committee.election.called' THEN 'election_call'
			WHEN 'committee.election.published' THEN 'election_publish'
			WHEN 'committee.requisition.created' THEN 'requisition_create'
			WHEN 'committee.requisition.due' THEN 'requisition_due'
			WHEN 'vote.remind' THEN 'vote_remind'
			WHEN 'proposal.comment_opened' THEN 'proposal_comment_open'
			WHEN 'proposal.published' THEN 'proposal_publish'
			WHEN 'proposal.carried_out' THEN 'proposal_carry_out'
		END AS "act",
		CASE
			WHEN l."action" IN ('fees.settings', 'tickets.targets') THEN 'estate'
			WHEN l."action" IN ('fees.schedule', 'fees.generate') THEN 'fee_schedule'
			WHEN l."action" = 'payment.unapplied' THEN 'payment'
			WHEN l."action" = 'password.reset' THEN 'user'
			WHEN l."action" = 'roster.reissueClaimCode' THEN 'unit'
			WHEN l."action" = 'claim.linked' THEN 'owner'
			WHEN l."action" = 'claim.requested' THEN 'claim_request'
			WHEN l."action" IN ('resident.invited', 'resident.inviteRevoked', 'resident.joined') THEN 'resident_invite'
			WHEN l."action" = 'resident.removed' THEN 'resident'
			WHEN l."action" = 'company.set' THEN 'property_company'
			WHEN l."action" = 'service_report.publish' THEN 'service_report'
			WHEN l."action" IN ('committee.registered', 'committee.archived') THEN 'committee'
			WHEN l."action" IN ('committee.member.seated', 'committee.member.left', 'committee.office.set') THEN 'committee_member'
			WHEN l."action" LIKE 'committee.meeting.%' OR l."action" LIKE 'committee.decisions.%' OR l."action" LIKE 'committee.minutes.%' THEN 'meeting'
			WHEN l."action" LIKE 'committee.election.%' THEN 'election'
			WHEN l."action" LIKE 'committee.requisition.%' THEN 'requisition'
			WHEN l."action" = 'vote.remind' OR l."action" LIKE 'proposal.%' THEN 'proposal'
		END AS "subject_type",
		CASE
			WHEN l."action" IN ('fees.settings', 'tickets.targets') THEN l."estate_id"
			WHEN l."action" = 'fees.generate' THEN (l."detail"->>'scheduleId')::uuid
			WHEN l."subject" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN l."subject"::uuid
		END AS "subject_id",
		CASE l."action"
			WHEN 'fees.schedule' THEN jsonb_build_object('effectiveFrom', l."detail"->'effectiveFrom', 'rates', jsonb_array_length(l."detail"->'rates'))
			WHEN 'fees.generate' THEN jsonb_build_object('period', l."subject", 'bills', l."detail"->'created', 'existing', l."detail"->'existing')
			WHEN 'payment.unapplied' THEN jsonb_build_object('checkoutId', l."detail"->'checkoutId', 'amountMatches', l."detail"->'amountMatches', 'billsFree', l."detail"->'billsFree', 'amountFen', l."detail"->'amountTotal', 'currency', l."detail"->'currency', 'expectedFen', l."detail"->'expected')
			WHEN 'claim.requested' THEN l."detail" - 'nameGiven'
			WHEN 'tickets.targets' THEN jsonb_build_object('targets', (SELECT jsonb_agg(t.key || ':' || (t.value->>'responseHours') || '/' || (t.value->>'resolutionHours') ORDER BY t.key) FROM jsonb_each(l."detail") t))
			-- Names and free-text reasons: left on property_company, committee_member, committee_meeting and proposal.
			WHEN 'company.set' THEN '{}'::jsonb
			WHEN 'committee.member.left' THEN '{}'::jsonb
			WHEN 'committee.meeting.cancelled' THEN '{}'::jsonb
			WHEN 'proposal.carried_out' THEN '{}'::jsonb
			WHEN 'password.reset' THEN '{}'::jsonb
			ELSE coalesce(l."detail", '{}'::jsonb)
		END AS "detail"
	FROM "audit_log" l
) m
WHERE m."act" IS NOT NULL AND m."subject_type" IS NOT NULL AND m."subject_id" IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM "audit_event" e WHERE e."act"::text = m."act" AND e."subject_id" = m."subject_id");--> statement-breakpoint
DROP TABLE "audit_log" CASCADE;
