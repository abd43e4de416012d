import { defaultEstateSettings, type EstateSettings } from "#db/schema/places";

/** An estate's settings with the defaults for keys it has never set. */
export function estateSettings(settings: Partial<EstateSettings> | null | undefined): EstateSettings {
  return { ...defaultEstateSettings, ...(settings ?? {}) };
}
