import type { Core } from "../core";
import type { EventInput } from "../../lib/contracts/events";
import type { HeartbeatInput } from "../../lib/contracts/network";
import { DEMO_FLEET, type SimulatedNode } from "./fleet";
import { appLoginFailure, externalIp, idsAlert, loginSuccess, PEOPLE, sshFailure, transaction } from "./security-traffic";
import { between, logNormal, pick, seededRandom, type Random } from "./random";
import { getLogger } from "../ops/logging";

/** An attack or outage in progress: it adds events for some ticks. */
interface Episode {
  ticksLeft: number;
  run(time: number, out: EventInput[]): void;
}

interface NodeCondition {
  outageTicks: number;
  slowTicks: number;
}

export interface SimulatorOptions {
  seed?: number;
  tickMs?: number;
  /** episode and outage odds are multiplied by this; tests raise it */
  intensity?: number;
  fleet?: readonly SimulatedNode[];
}

/**
 * The demo payment platform. Each tick produces heartbeats for the fleet and a slice of security
 * traffic, and hands both to the core's ingest functions: the same path as real sensors.
 */
export class Simulator {
  readonly tickMs: number;
  private readonly random: Random;
  private readonly intensity: number;
  private readonly fleet: readonly SimulatedNode[];
  private readonly conditions = new Map<string, NodeCondition>();
  private episodes: Episode[] = [];
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;

  constructor(
    private readonly core: Pick<Core, "ingestEvents" | "ingestHeartbeats" | "registerNodes" | "clock">,
    options: SimulatorOptions = {},
  ) {
    this.random = seededRandom(options.seed ?? 7);
    this.tickMs = options.tickMs ?? 1000;
    this.intensity = options.intensity ?? 1;
    this.fleet = options.fleet ?? DEMO_FLEET;
    for (const n of this.fleet) this.conditions.set(n.key, { outageTicks: 0, slowTicks: 0 });
    core.registerNodes(this.fleet);
  }

  tick(): { heartbeats: number; events: number } {
    const now = this.core.clock.now();
    this.ticks += 1;
    const heartbeats = this.heartbeats(now);
    const events = this.securityTraffic(now);
    this.core.ingestHeartbeats(heartbeats, "demo");
    this.core.ingestEvents(events, "demo");
    return { heartbeats: heartbeats.length, events: events.length };
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => {
      try {
        this.tick();
      } catch (error) {
        getLogger().error({ err: error, component: "simulator" }, "demo simulator tick failed");
      }
    }, this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private chance(p: number): boolean {
    return this.random() < p * this.intensity;
  }

  private heartbeats(time: number): HeartbeatInput[] {
    // an early, short outage of a non-critical node shows a fresh console the whole incident cycle
    if (this.ticks === 40) {
      const early = this.conditions.get("sms-otp-gw");
      if (early) early.outageTicks = 20;
    }
    return this.fleet.map((node) => {
      const c = this.conditions.get(node.key)!;
      if (c.outageTicks === 0 && this.chance(0.0004)) c.outageTicks = Math.round(between(this.random, 8, 40));
      if (c.slowTicks === 0 && this.chance(0.0015)) c.slowTicks = Math.round(between(this.random, 10, 60));
      if (c.outageTicks > 0) {
        c.outageTicks -= 1;
        return { node: node.key, ok: false, time, message: pick(this.random, ["connection refused", "timeout after 5000 ms", "HTTP 503 from health endpoint"]) };
      }
      let latency = logNormal(this.random, node.medianMs, node.sigma);
      if (c.slowTicks > 0) {
        c.slowTicks -= 1;
        latency *= between(this.random, 4, 9);
      } else if (this.random() < 0.01) {
        latency *= between(this.random, 5, 20); // a lone spike
      }
      return { node: node.key, ok: true, latency_ms: Math.round(latency * 100) / 100, time };
    });
  }

  private securityTraffic(time: number): EventInput[] {
    const r = this.random;
    const out: EventInput[] = [];
    if (r() < 0.5) out.push(idsAlert(r, time));
    if (r() < 0.35) out.push(sshFailure(r, time));
    if (r() < 0.25) out.push(appLoginFailure(r, time));
    if (r() < 0.9) out.push(loginSuccess(r, time));
    const tx = Math.floor(between(r, 1, 4));
    for (let i = 0; i < tx; i++) out.push(transaction(r, time));

    // the first attack comes early so a fresh console has something to show
    if (this.ticks === 15 || this.chance(0.004)) this.episodes.push(this.bruteForce());
    if (this.chance(0.002)) this.episodes.push(this.passwordSpray());
    if (this.chance(0.002)) this.episodes.push(this.cardTesting());
    for (const e of this.episodes) {
      e.run(time, out);
      e.ticksLeft -= 1;
    }
    this.episodes = this.episodes.filter((e) => e.ticksLeft > 0);
    return out;
  }

  private bruteForce(): Episode {
    const r = this.random;
    const src = externalIp(r);
    const user = pick(r, ["root", "admin", "deploy"]);
    return { ticksLeft: Math.round(between(r, 12, 25)), run: (t, out) => { for (let i = 0; i < 2; i++) out.push(sshFailure(r, t, src, user)); } };
  }

  private passwordSpray(): Episode {
    const r = this.random;
    const src = externalIp(r);
    let next = 0;
    return {
      ticksLeft: PEOPLE.length,
      run: (t, out) => {
        out.push({ ...appLoginFailure(r, t, src, PEOPLE[next++ % PEOPLE.length]), attributes: { service: "wallet-web", pattern: "one password, many users" } });
      },
    };
  }

  private cardTesting(): Episode {
    const r = this.random;
    const src = externalIp(r);
    return {
      ticksLeft: Math.round(between(r, 10, 20)),
      run: (t, out) => {
        for (let i = 0; i < 3; i++) out.push(transaction(r, t, src, Math.round(between(r, 0.5, 2) * 100) / 100));
      },
    };
  }
}
