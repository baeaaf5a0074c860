export * from "./network";
export * from "./security";
export * from "./incidents";
export * from "./auth";
export * from "./audit";
export * from "./ops";
export * from "./notify";
