import { defineMessages } from "~/i18n/define";

export const roster = defineMessages({ title: "业主名册" }, { title: "Owner roster" });
