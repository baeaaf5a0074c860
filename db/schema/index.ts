export * from "./network";
export * from "./security";
export * from "./incidents";
