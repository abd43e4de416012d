import { useState } from "react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/lib/forms/field";

export interface ScopeBuilding {
  id: string;
  name: string;
}

/**
 * Who votes: the whole estate, or the owners of chosen buildings (an elevator renewal paid from
 * one building's fund is decided by that building's owners). Big radio and checkbox targets for
 * phones; works without JavaScript (the buildings' boxes are always there, and count only when
 * "some buildings" is chosen).
 */
export function ScopeChooser({
  buildings,
  defaultBuildingIds,
  errors,
}: {
  buildings: ScopeBuilding[];
  /** The scope chosen so far; null or empty: the whole estate. */
  defaultBuildingIds: string[] | null;
  errors?: string[];
}) {
  const { t } = useTranslation();
  const [some, setSome] = useState(Boolean(defaultBuildingIds?.length));
  const chosen = new Set(defaultBuildingIds ?? []);
  return (
    <fieldset className="stack" style={{ border: 0, padding: 0, margin: "0 0 0.9rem" }}>
      <legend style={{ fontWeight: 600 }}>{t("voteNotice.scope.legend")}</legend>
      <div className="choices" role="radiogroup">
        <label className="choice">
          <input type="radio" name="scope" value="estate" defaultChecked={!some} onChange={() => setSome(false)} />
          {t("voteNotice.scope.estate")}
        </label>
        <label className="choice">
          <input type="radio" name="scope" value="buildings" defaultChecked={some} onChange={() => setSome(true)} />
          {t("voteNotice.scope.buildings")}
        </label>
      </div>
      <fieldset className="choices" aria-describedby="scope-hint" style={{ opacity: some ? 1 : 0.6 }}>
        <legend>{t("voteNotice.scope.choose")}</legend>
        {buildings.map((b) => (
          <label key={b.id} className="choice">
            <input type="checkbox" name="scopeBuildingIds" value={b.id} defaultChecked={chosen.has(b.id)} />
            {b.name}
          </label>
        ))}
      </fieldset>
      <p className="hint" id="scope-hint">
        {t("voteNotice.scope.chooseHint")}
      </p>
      <FieldErrors id="scope-error" errors={errors} />
    </fieldset>
  );
}
