ALTER TYPE "public"."choice" ADD VALUE 'spoiled';--> statement-breakpoint
ALTER TYPE "public"."audit_act" ADD VALUE 'co_owner_named' BEFORE 'wechat_bind';--> statement-breakpoint
ALTER TABLE "ownership" ADD COLUMN "named_voter" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ownership" ADD COLUMN "named_by" uuid;--> statement-breakpoint
ALTER TABLE "ownership" ADD COLUMN "named_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proposal" ADD COLUMN "proxy_cap" integer;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "proxy_cap" integer;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "spoiled_takes_part" boolean;--> statement-breakpoint
ALTER TABLE "committee_election" ADD COLUMN "co_owners_name_one" boolean;--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD COLUMN "spoiled_races" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "committee_election_paper_ballot" ADD COLUMN "spoiled_races" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "ownership" ADD CONSTRAINT "ownership_named_by_user_id_fk" FOREIGN KEY ("named_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ownership_one_named_voter" ON "ownership" USING btree ("unit_id") WHERE "ownership"."named_voter";--> statement-breakpoint
ALTER TABLE "ballot" ADD CONSTRAINT "ballot_spoiled_paper" CHECK ("ballot"."choice"::text <> 'spoiled' or "ballot"."channel" = 'paper');--> statement-breakpoint
ALTER TABLE "proposal" ADD CONSTRAINT "proposal_proxy_cap" CHECK ("proposal"."proxy_cap" is null or "proposal"."proxy_cap" >= 1);--> statement-breakpoint
ALTER TABLE "committee_election" ADD CONSTRAINT "committee_election_proxy_cap" CHECK ("committee_election"."proxy_cap" is null or "committee_election"."proxy_cap" >= 1);--> statement-breakpoint
ALTER TABLE "committee_election_ballot" ADD CONSTRAINT "committee_election_ballot_spoiled_paper" CHECK (cardinality("committee_election_ballot"."spoiled_races") = 0 or "committee_election_ballot"."channel" = 'paper');--> statement-breakpoint
-- Written by hand after drizzle-kit: a holder holds live (pending or approved) authorisations
-- of at most the vote's cap (fixed at opening; before then the estate's setting, whose default
-- and range mirror `proxyCap` in app/estates/procedure.ts). The advisory lock, per holder and
-- vote, makes two grants racing for the last place wait for each other, so the second counts
-- the first.
CREATE FUNCTION "proxy_holder_cap"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	vote uuid := coalesce(NEW."proposal_id", NEW."election_id");
	cap integer;
	setting jsonb;
	held integer;
BEGIN
	IF NEW."status" = 'rejected' OR (TG_OP = 'UPDATE' AND OLD."status" <> 'rejected' AND OLD."proxy_user_id" = NEW."proxy_user_id") THEN
		RETURN NEW;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtextextended('proxy_holder_cap:' || NEW."proxy_user_id"::text || ':' || vote::text, 0));
	IF NEW."proposal_id" IS NOT NULL THEN
		SELECT p."proxy_cap", e."settings" -> 'proxyCap' INTO cap, setting
			FROM "proposal" p JOIN "estate" e ON e."id" = p."estate_id" WHERE p."id" = NEW."proposal_id";
	ELSE
		SELECT c."proxy_cap", e."settings" -> 'proxyCap' INTO cap, setting
			FROM "committee_election" c JOIN "estate" e ON e."id" = c."estate_id" WHERE c."id" = NEW."election_id";
	END IF;
	IF cap IS NULL THEN
		cap := CASE WHEN jsonb_typeof(setting) = 'number' AND (setting::text)::numeric = trunc((setting::text)::numeric)
			AND (setting::text)::numeric BETWEEN 1 AND 20 THEN (setting::text)::integer ELSE 5 END;
	END IF;
	SELECT count(*) INTO held FROM "proxy_authorisation" x
		WHERE x."proxy_user_id" = NEW."proxy_user_id" AND x."status" <> 'rejected' AND x."id" <> NEW."id"
			AND (x."proposal_id" = NEW."proposal_id" OR x."election_id" = NEW."election_id");
	IF held >= cap THEN
		RAISE EXCEPTION 'this person already holds % authorisations for this vote (the cap)', cap
			USING ERRCODE = 'check_violation', CONSTRAINT = 'proxy_holder_cap', TABLE = 'proxy_authorisation';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "proxy_holder_cap" BEFORE INSERT OR UPDATE OF "status", "proxy_user_id" ON "proxy_authorisation" FOR EACH ROW EXECUTE FUNCTION "proxy_holder_cap"();
