import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Threshold } from "~/lib/law";
import { shareText } from "~/lib/law-text";
import {
  procedureSettings,
  settingKeys,
  thresholdFromForm,
  thresholdToForm,
  type ProcedureSettings,
  type SettingKey,
} from "./procedure";

/** One control per setting of the rules of procedure, as its entry in procedure.ts describes it. */
export function SettingFields({ values }: { values: ProcedureSettings }) {
  return (
    <>
      {settingKeys.map((key) => (
        <SettingField key={key} name={key} value={values[key]} />
      ))}
    </>
  );
}

function SettingField({ name, value }: { name: SettingKey; value: ProcedureSettings[SettingKey] }) {
  const { t } = useTranslation();
  const def = procedureSettings[name];
  const input = def.input;
  const current = (def.toForm as (v: unknown) => string | string[])(value);
  const checked = (option: string) => (Array.isArray(current) ? current.includes(option) : current === option);
  const hintId = def.hint ? `${name}-hint` : undefined;
  if (input.kind === "number") {
    return (
      <div className="field">
        <label htmlFor={name}>{t(def.label)}</label>
        <input
          id={name}
          name={name}
          type="number"
          inputMode="numeric"
          min={input.min}
          max={input.max}
          step={1}
          required
          defaultValue={String(current)}
          aria-describedby={hintId}
        />
        {def.hint ? (
          <p className="hint" id={hintId}>
            {t(def.hint)}
          </p>
        ) : null}
      </div>
    );
  }
  const options: { value: string; label: string }[] =
    input.kind === "yesNo"
      ? [
          { value: "yes", label: t(input.yes) },
          { value: "no", label: t(input.no) },
        ]
      : input.kind === "threshold"
        ? input.options.map((o) => ({ value: thresholdToForm(o), label: shareText(t, o) }))
        : input.options.map((o) => ({ value: o, label: t(input.optionLabel(o)) }));
  const type = input.kind === "checkboxes" ? "checkbox" : "radio";
  return (
    <fieldset aria-describedby={hintId}>
      <legend>{t(def.label)}</legend>
      {def.hint ? (
        <p className="hint" id={hintId}>
          {t(def.hint)}
        </p>
      ) : null}
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type={type} name={name} value={o.value} defaultChecked={checked(o.value)} /> {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function isSettingKey(key: string): key is SettingKey {
  return (settingKeys as string[]).includes(key);
}

/** A setting's value in words, as its control labels it (for the audit log). */
export function settingValueText(t: TFunction, key: SettingKey, value: unknown): string {
  const def = procedureSettings[key];
  const parsed = def.schema.safeParse(value);
  if (!parsed.success) return String(value);
  const input = def.input;
  const one = (o: string) =>
    input.kind === "yesNo"
      ? t(o === "yes" ? input.yes : input.no)
      : input.kind === "threshold"
        ? shareText(t, thresholdFromForm(o) as Threshold)
        : input.kind === "number"
          ? o
          : t(input.optionLabel(o));
  const shown = (def.toForm as (v: unknown) => string | string[])(parsed.data);
  return Array.isArray(shown) ? shown.map(one).join("、") : one(shown);
}
