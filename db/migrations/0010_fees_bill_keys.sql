ALTER TABLE "bill" DROP CONSTRAINT "bill_estate_id_estate_id_fk";
--> statement-breakpoint
ALTER TABLE "bill" DROP CONSTRAINT "bill_building_id_building_id_fk";
