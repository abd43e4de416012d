export * from "./places";
export * from "./people";
