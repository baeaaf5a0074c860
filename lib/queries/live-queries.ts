// Query options of the live panes: one module per pane.
export * from "./network-queries";
export * from "./security-queries";
export * from "./incident-queries";
