ALTER TYPE "public"."audit_act" ADD VALUE 'personal_data_viewed';--> statement-breakpoint
ALTER TABLE "claim_request" ADD CONSTRAINT "claim_request_not_own" CHECK ("claim_request"."decided_by" is null or "claim_request"."decided_by" <> "claim_request"."user_id");--> statement-breakpoint
ALTER TABLE "proxy_authorisation" ADD CONSTRAINT "proxy_not_holder_approved" CHECK ("proxy_authorisation"."decided_by" is null or "proxy_authorisation"."decided_by" <> "proxy_authorisation"."proxy_user_id");--> statement-breakpoint
ALTER TABLE "role_declaration" ADD CONSTRAINT "role_declaration_not_own" CHECK ("role_declaration"."decided_by" is null or "role_declaration"."decided_by" <> "role_declaration"."user_id");--> statement-breakpoint
-- Written by hand after drizzle-kit: four eyes against the owner set, which a CHECK cannot see.
-- A claim request is not decided by an owner of its unit on the roster (it would seat someone beside them).
CREATE FUNCTION "claim_request_decider_not_owner"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW."decided_by" IS NULL OR (TG_OP = 'UPDATE' AND OLD."decided_by" IS NOT DISTINCT FROM NEW."decided_by") THEN
		RETURN NEW;
	END IF;
	IF EXISTS (
		SELECT 1 FROM "ownership" s JOIN "owner" o ON o."id" = s."owner_id"
		WHERE s."unit_id" = NEW."unit_id" AND o."user_id" = NEW."decided_by"
	) THEN
		RAISE EXCEPTION 'an owner of the unit may not decide its claim request'
			USING ERRCODE = 'check_violation', CONSTRAINT = 'claim_request_decider_not_owner', TABLE = 'claim_request';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "claim_request_decider_not_owner" BEFORE INSERT OR UPDATE ON "claim_request" FOR EACH ROW EXECUTE FUNCTION "claim_request_decider_not_owner"();--> statement-breakpoint
-- A paper ballot is not confirmed (or rejected) by an owner of the voter it is for, nor by anyone
-- an authorisation of that voter's owners names as proxy (pending or approved).
CREATE FUNCTION "paper_ballot_confirmer_not_voter"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW."confirmed_by" IS NULL OR (TG_OP = 'UPDATE' AND OLD."confirmed_by" IS NOT DISTINCT FROM NEW."confirmed_by") THEN
		RETURN NEW;
	END IF;
	IF EXISTS (
		SELECT 1 FROM "vote_voter" v JOIN "owner" o ON o."id" = ANY (v."owner_ids")
		WHERE v."proposal_id" = NEW."proposal_id" AND v."voter_id" = NEW."voter_id" AND o."user_id" = NEW."confirmed_by"
	) OR EXISTS (
		SELECT 1 FROM "vote_voter" v JOIN "proxy_authorisation" x ON x."grantor_owner_id" = ANY (v."owner_ids")
		WHERE v."proposal_id" = NEW."proposal_id" AND v."voter_id" = NEW."voter_id"
			AND x."proposal_id" = NEW."proposal_id" AND x."status" <> 'rejected' AND x."proxy_user_id" = NEW."confirmed_by"
	) THEN
		RAISE EXCEPTION 'the voter or their proxy may not confirm this paper ballot'
			USING ERRCODE = 'check_violation', CONSTRAINT = 'paper_ballot_confirmer_not_voter', TABLE = 'paper_ballot';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "paper_ballot_confirmer_not_voter" BEFORE INSERT OR UPDATE ON "paper_ballot" FOR EACH ROW EXECUTE FUNCTION "paper_ballot_confirmer_not_voter"();--> statement-breakpoint
CREATE FUNCTION "committee_election_paper_confirmer_not_voter"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW."confirmed_by" IS NULL OR (TG_OP = 'UPDATE' AND OLD."confirmed_by" IS NOT DISTINCT FROM NEW."confirmed_by") THEN
		RETURN NEW;
	END IF;
	IF EXISTS (
		SELECT 1 FROM "committee_election_voter" v JOIN "owner" o ON o."id" = ANY (v."owner_ids")
		WHERE v."election_id" = NEW."election_id" AND v."voter_id" = NEW."voter_id" AND o."user_id" = NEW."confirmed_by"
	) OR EXISTS (
		SELECT 1 FROM "committee_election_voter" v JOIN "proxy_authorisation" x ON x."grantor_owner_id" = ANY (v."owner_ids")
		WHERE v."election_id" = NEW."election_id" AND v."voter_id" = NEW."voter_id"
			AND x."election_id" = NEW."election_id" AND x."status" <> 'rejected' AND x."proxy_user_id" = NEW."confirmed_by"
	) THEN
		RAISE EXCEPTION 'the voter or their proxy may not confirm this paper ballot'
			USING ERRCODE = 'check_violation', CONSTRAINT = 'committee_election_paper_confirmer_not_voter', TABLE = 'committee_election_paper_ballot';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "committee_election_paper_confirmer_not_voter" BEFORE INSERT OR UPDATE ON "committee_election_paper_ballot" FOR EACH ROW EXECUTE FUNCTION "committee_election_paper_confirmer_not_voter"();
