export * from "./places";
export * from "./people";
export * from "./notify";
export * from "./voting";
export * from "./fees";
export * from "./committee";
export * from "./tickets";
export * from "./audit";
