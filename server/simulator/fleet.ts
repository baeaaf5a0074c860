import type { NodeDefinition } from "../ingest/network";

export interface SimulatedNode extends NodeDefinition {
  /** median latency of a healthy check, ms */
  medianMs: number;
  sigma: number;
}

/** A small payment platform over two sites: edge to card network, with its dependency tree and tags (site, tier, owner). */
export const DEMO_FLEET: readonly SimulatedNode[] = [
  { key: "edge-rtr-1", name: "Edge router 1", kind: "router", medianMs: 2, sigma: 0.3, degradedMs: 40, tags: { site: "fra1", tier: "edge", owner: "netops" } },
  { key: "edge-rtr-2", name: "Edge router 2", kind: "router", medianMs: 2.4, sigma: 0.3, degradedMs: 40, tags: { site: "ams2", tier: "edge", owner: "netops" } },
  { key: "lb-1", name: "Load balancer A", kind: "load_balancer", parent: "edge-rtr-1", medianMs: 3, sigma: 0.3, degradedMs: 50, tags: { site: "fra1", tier: "edge", owner: "netops" } },
  { key: "lb-2", name: "Load balancer B", kind: "load_balancer", parent: "edge-rtr-2", medianMs: 3, sigma: 0.3, degradedMs: 50, tags: { site: "ams2", tier: "edge", owner: "netops" } },
  { key: "api-gw-1", name: "API gateway 1", kind: "gateway", parent: "lb-1", medianMs: 18, sigma: 0.35, degradedMs: 150, tags: { site: "fra1", tier: "app", owner: "platform" } },
  { key: "api-gw-2", name: "API gateway 2", kind: "gateway", parent: "lb-2", medianMs: 20, sigma: 0.35, degradedMs: 150, tags: { site: "ams2", tier: "app", owner: "platform" } },
  { key: "auth-svc", name: "Auth service", kind: "service", parent: "api-gw-1", medianMs: 35, sigma: 0.4, degradedMs: 250, tags: { site: "fra1", tier: "app", owner: "identity" } },
  { key: "wallet-svc", name: "Wallet service", kind: "service", parent: "api-gw-1", medianMs: 42, sigma: 0.4, degradedMs: 300, critical: true, tags: { site: "fra1", tier: "app", owner: "payments" } },
  { key: "ledger-svc", name: "Ledger service", kind: "service", parent: "api-gw-2", medianMs: 28, sigma: 0.35, degradedMs: 250, critical: true, tags: { site: "ams2", tier: "app", owner: "payments" } },
  { key: "db-primary", name: "Ledger DB primary", kind: "database", parent: "ledger-svc", medianMs: 4, sigma: 0.5, degradedMs: 60, critical: true, tags: { site: "ams2", tier: "data", owner: "platform" } },
  { key: "db-replica", name: "Ledger DB replica", kind: "database", parent: "db-primary", medianMs: 5, sigma: 0.5, degradedMs: 80, tags: { site: "ams2", tier: "data", owner: "platform" } },
  { key: "payment-switch", name: "Payment switch", kind: "switch", parent: "api-gw-2", medianMs: 55, sigma: 0.35, degradedMs: 400, critical: true, tags: { site: "ams2", tier: "app", owner: "payments" } },
  { key: "card-network", name: "Card network link", kind: "link", parent: "payment-switch", medianMs: 120, sigma: 0.3, degradedMs: 800, critical: true, tags: { site: "ams2", tier: "external", owner: "payments" } },
  { key: "hsm-1", name: "HSM", kind: "hsm", parent: "payment-switch", medianMs: 6, sigma: 0.25, degradedMs: 60, critical: true, tags: { site: "ams2", tier: "data", owner: "security" } },
  { key: "fraud-engine", name: "Fraud engine", kind: "service", parent: "payment-switch", medianMs: 65, sigma: 0.45, degradedMs: 500, tags: { site: "ams2", tier: "app", owner: "risk" } },
  { key: "sms-otp-gw", name: "SMS OTP gateway", kind: "gateway", parent: "auth-svc", medianMs: 180, sigma: 0.5, degradedMs: 1500, tags: { site: "fra1", tier: "external", owner: "identity" } },
  { key: "cache-1", name: "Session cache", kind: "cache", parent: "wallet-svc", medianMs: 1.2, sigma: 0.4, degradedMs: 20, tags: { site: "fra1", tier: "data", owner: "platform" } },
  { key: "mq-1", name: "Message queue", kind: "queue", parent: "ledger-svc", medianMs: 3, sigma: 0.4, degradedMs: 50, tags: { site: "ams2", tier: "data", owner: "platform" } },
  { key: "settlement", name: "Settlement batch", kind: "service", parent: "ledger-svc", medianMs: 90, sigma: 0.5, degradedMs: 900, tags: { site: "ams2", tier: "app", owner: "payments" } },
  { key: "notify-svc", name: "Notification service", kind: "service", parent: "api-gw-1", medianMs: 25, sigma: 0.4, degradedMs: 250, tags: { site: "fra1", tier: "app", owner: "platform" } },
];
