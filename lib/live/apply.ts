// Folding live deltas into each pane's snapshot: one module per pane.
export * from "./apply-network";
export * from "./apply-security";
export * from "./apply-incidents";
