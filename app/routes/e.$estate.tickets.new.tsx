import { getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { ticketCategories, ticketLocations } from "#db/values";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { navLinks } from "~/tickets/access";
import { ticketTargets } from "~/tickets/company.server";
import { cleanPhotos, ticketUploadLimits } from "~/tickets/photos.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { estateBuildings, fileTicket, filerUnits } from "~/tickets/tickets.server";
import { TicketNav, useDuration } from "~/tickets/ui";
import { Field, FieldErrors, ConformForm } from "~/lib/forms/field";
import { redirectWithToast } from "~/ui/toast.server";
import { freeText } from "~/lib/text";
import { maxPhotos } from "~/tickets/photo-limits";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "tickets:file");
  const t = await getT(await getLocale(request));
  const [homes, buildingList, targets] = await Promise.all([
    filerUnits(estate.id, user.id),
    estateBuildings(estate.id),
    ticketTargets(getDb(), estate.id),
  ]);
  return {
    title: `${t("tickets.file.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    homes: homes.map((h) => ({ id: h.id, label: `${h.building} ${h.number}` })),
    buildings: buildingList,
    targets,
  };
}

const TicketSchema = z
  .object({
    unitId: z.string({ required_error: "common.errors.required" }).uuid("tickets.errors.notYourUnit"),
    category: z.enum(ticketCategories, {
      required_error: "common.errors.required",
      invalid_type_error: "common.errors.invalid",
    }),
    location: z.enum(ticketLocations, {
      required_error: "common.errors.required",
      invalid_type_error: "common.errors.invalid",
    }),
    buildingId: z.string().uuid("tickets.errors.buildingMissing").optional(),
    place: freeText(100).optional(),
    description: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .min(1, "common.errors.required")
      .max(2000, "common.errors.tooLong"),
    visibility: z.enum(["public", "private"], {
      required_error: "common.errors.required",
      invalid_type_error: "common.errors.invalid",
    }),
    photos: z.any().optional(),
  })
  .refine((v) => v.location !== "building" || Boolean(v.buildingId), {
    path: ["buildingId"],
    message: "tickets.errors.buildingMissing",
  });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "tickets:file");
  const read = await parseForm(request, TicketSchema, { upload: ticketUploadLimits, form: "ticket" });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const photos = await cleanPhotos(read.formData.getAll("photos"));
  if (!photos.ok)
    return refuse(
      "ticket",
      { error: photos.error, fields: { photos: [photos.error] }, reason: "invalid" },
      { submission },
    );
  const result = await fileTicket({
    estateId: estate.id,
    estateSlug: estate.slug,
    userId: user.id,
    roles,
    unitId: v.unitId,
    category: v.category,
    location: v.location,
    buildingId: v.location === "building" ? v.buildingId : null,
    place: v.location === "unit" ? null : v.place,
    description: v.description,
    isPublic: v.visibility === "public",
    photos: photos.photos,
  });
  if (!result.ok) return refuse("ticket", result, { submission, reason: "invalid" });
  return redirectWithToast(`/e/${estate.slug}/tickets/${result.id}`, {
    key: "tickets.file.created",
    params: { seq: result.seq },
  });
}

export default function NewTicket() {
  const { estate, nav, homes, buildings, targets } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const duration = useDuration();
  const [form, fields] = useForm({
    id: "new-ticket",
    lastResult,
    constraint: getZodConstraint(TicketSchema),
    defaultValue: { unitId: homes[0]?.id, category: "repair", location: "unit", visibility: "public" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: TicketSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  const [category, setCategory] = useState<(typeof ticketCategories)[number]>("repair");
  const [location, setLocation] = useState<(typeof ticketLocations)[number]>("unit");
  const target = targets[category];
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <section className="card">
        <h1>{t("tickets.file.title")}</h1>
        <p className="muted">{t("tickets.file.intro")}</p>
        {homes.length === 0 ? (
          <p className="alert">{t("tickets.file.noUnits")}</p>
        ) : (
          <ConformForm form={form} encType="multipart/form-data">
            <div className="field">
              <label htmlFor={fields.unitId.id}>{t("tickets.file.unit")}</label>
              <select {...getSelectProps(fields.unitId)} key={fields.unitId.key}>
                {homes.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.label}
                  </option>
                ))}
              </select>
              <FieldErrors id={fields.unitId.errorId} errors={fields.unitId.errors} />
            </div>
            <div className="field">
              <label htmlFor={fields.category.id}>{t("tickets.file.category")}</label>
              <select
                {...getSelectProps(fields.category)}
                key={fields.category.key}
                onChange={(e) => setCategory(e.target.value as typeof category)}
              >
                {ticketCategories.map((c) => (
                  <option key={c} value={c}>
                    {t(`tickets.categories.${c}`)}
                  </option>
                ))}
              </select>
              <p className="hint">
                {t("tickets.file.targets", {
                  response: duration(target.responseHours * 3_600_000),
                  resolution: duration(target.resolutionHours * 3_600_000),
                })}
              </p>
              <FieldErrors id={fields.category.errorId} errors={fields.category.errors} />
            </div>
            <fieldset className="checks">
              <legend>{t("tickets.file.location")}</legend>
              {ticketLocations.map((l) => (
                <label key={l} className="check">
                  <input
                    type="radio"
                    name={fields.location.name}
                    value={l}
                    defaultChecked={l === "unit"}
                    onChange={() => setLocation(l)}
                  />
                  {t(`tickets.locations.${l}`)}
                </label>
              ))}
              <FieldErrors id={fields.location.errorId} errors={fields.location.errors} />
            </fieldset>
            {location === "building" ? (
              <div className="field">
                <label htmlFor={fields.buildingId.id}>{t("tickets.file.building")}</label>
                <select {...getSelectProps(fields.buildingId)} key={fields.buildingId.key}>
                  <option value="">—</option>
                  {buildings.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name}
                    </option>
                  ))}
                </select>
                <FieldErrors id={fields.buildingId.errorId} errors={fields.buildingId.errors} />
              </div>
            ) : null}
            {location !== "unit" ? (
              <Field meta={fields.place} label={t("tickets.file.place")} hint={t("tickets.file.placeHint")} />
            ) : null}
            <div className="field">
              <label htmlFor={fields.description.id}>{t("tickets.file.description")}</label>
              <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={5} />
              <p className="hint">{t("tickets.file.descriptionHint")}</p>
              <FieldErrors id={fields.description.errorId} errors={fields.description.errors} />
            </div>
            <div className="field">
              <label htmlFor={fields.photos.id}>{t("tickets.file.photos")}</label>
              <input
                {...getInputProps(fields.photos, { type: "file" })}
                key={fields.photos.key}
                accept="image/jpeg,image/png"
                multiple
                data-max={maxPhotos}
              />
              <p className="hint">{t("tickets.file.photosHint")}</p>
              <FieldErrors id={fields.photos.errorId} errors={fields.photos.errors} />
            </div>
            <fieldset className="checks">
              <legend>{t("tickets.file.visibility")}</legend>
              <label className="check">
                <input type="radio" name={fields.visibility.name} value="public" defaultChecked />
                {t("tickets.file.public")}
              </label>
              <label className="check">
                <input type="radio" name={fields.visibility.name} value="private" />
                {t("tickets.file.private")}
              </label>
            </fieldset>
            <div className="actions">
              <button type="submit" className="primary">
                {t("tickets.file.submit")}
              </button>
            </div>
          </ConformForm>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
