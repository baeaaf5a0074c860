import { describe, expect, it } from "vitest";
import { entryOf, FailureCounter, serviceOf, sourceOf, type WeighedFailure } from "./attempts";
import { fail, SEC, T0 } from "./auth-test-events";
import { PAIRED, REPORTED } from "./window";
import type { StoredEvent } from "../types";

const items = (events: StoredEvent[]): WeighedFailure<string>[] => events.map((event) => ({ key: "k", event, entry: entryOf(event) }));
const weights = (counter: FailureCounter, events: StoredEvent[]) => counter.weigh(items(events)).map((w) => [w.event.id, w.entry.weight]);
const total = (counter: FailureCounter, events: StoredEvent[]) => counter.weigh(items(events)).reduce((n, w) => n + w.entry.weight, 0);

describe("sourceOf and serviceOf", () => {
  it("takes the host name as the source when the log gives no address", () => {
    expect(sourceOf({ src_ip: null, src_host: "dsl.example.net" })).toBe("dsl.example.net");
    expect(sourceOf({ src_ip: "203.0.113.5", src_host: "ignored.example" })).toBe("203.0.113.5");
    expect(sourceOf({ src_ip: null, src_host: null })).toBeNull();
  });

  it("lower-cases the service and names a missing one unknown", () => {
    expect(serviceOf({ service: "SSHD" })).toBe("sshd");
    expect(serviceOf({ service: null })).toBe("unknown");
  });
});

describe("FailureCounter", () => {
  it("counts an attempt's occurrences", () => {
    const c = new FailureCounter();
    expect(total(c, [fail(T0, { occurrences: 5 }), fail(T0 + SEC)])).toBe(6);
  });

  it("counts nothing for a marker whose connection has an attempt, in either order within a batch, yet keeps it as paired evidence", () => {
    const c = new FailureCounter();
    const marker = fail(T0, { src_port: 4000, attempt: false });
    const attempt = fail(T0 + SEC, { src_port: 4000, attempt: true });
    expect(weights(c, [attempt, marker])).toEqual([
      [marker.id, 0],
      [attempt.id, 1],
    ]);
    const [m] = c.weigh(items([fail(T0 + 2 * SEC, { src_port: 4000, attempt: false })]));
    expect(m.entry).toMatchObject({ weight: 0, flags: PAIRED });
  });

  it("counts the markers of one connection without an attempt once in all", () => {
    const c = new FailureCounter();
    const a = fail(T0, { src_port: 4000, attempt: false });
    const b = fail(T0 + SEC, { src_port: 4000, attempt: false });
    const other = fail(T0 + SEC, { src_port: 4001, attempt: false });
    expect(weights(c, [a, b, other])).toEqual([
      [a.id, 1],
      [b.id, 0],
      [other.id, 1],
    ]);
  });

  it("counts each marker without a port once, since it cannot be tied to a connection", () => {
    const c = new FailureCounter();
    expect(total(c, [fail(T0, { attempt: false }), fail(T0, { attempt: false }), fail(T0 + SEC, { attempt: false })])).toBe(3);
  });

  it("takes a marker's unit back when its attempt arrives in a later batch before any report", () => {
    const c = new FailureCounter();
    const [marker] = c.weigh(items([fail(T0, { src_port: 4000, attempt: false })]));
    expect(marker.entry.weight).toBe(1);
    const later = c.weigh(items([fail(T0 + SEC, { src_port: 4000, occurrences: 3 })]));
    expect(marker.entry).toMatchObject({ weight: 0, flags: PAIRED });
    expect(later[0].entry.weight).toBe(3);
  });

  it("counts the attempt one less when its marker was already reported, so the connection's total stays the same", () => {
    const c = new FailureCounter();
    const [marker] = c.weigh(items([fail(T0, { src_port: 4000, attempt: false })]));
    marker.entry.flags |= REPORTED;
    const later = c.weigh(items([fail(T0 + SEC, { src_port: 4000, occurrences: 3 })]));
    expect(marker.entry.weight + later[0].entry.weight).toBe(3);
  });

  it("keeps connections from different sources with the same port apart", () => {
    const c = new FailureCounter();
    const attempt = fail(T0, { src_port: 4000, src_ip: "198.51.100.1" });
    const marker = fail(T0, { src_port: 4000, src_ip: "198.51.100.2", attempt: false });
    expect(total(c, [attempt, marker])).toBe(2);
  });

  // one sshd process (pid 7 on host h): PAM's lines and sshd's own report the same tries
  const inSession = (e: StoredEvent, pam = false): StoredEvent => ({ ...e, ...(pam ? { signature: "pam: authentication failure" } : {}), attributes: { ...e.attributes, host: "h", pid: "7" } });
  const pamTries = () => [inSession(fail(T0), true), inSession(fail(T0 + SEC, { occurrences: 5 }), true)];
  const sshdTries = () => Array.from({ length: 6 }, (_, i) => inSession(fail(T0 + i * SEC, { src_port: 4000 })));

  it("counts PAM's tries where the log has no line of the service's own for that process", () => {
    expect(total(new FailureCounter(), pamTries())).toBe(6);
  });

  it("counts a session's tries once when PAM and sshd both report them, in either order within a batch", () => {
    expect(total(new FailureCounter(), [...pamTries(), ...sshdTries()])).toBe(6);
    expect(total(new FailureCounter(), [...sshdTries(), ...pamTries()].reverse())).toBe(6);
  });

  it("ties a marker without a port to its process: counted only while the process shows no try", () => {
    const marker = () => inSession(fail(T0, { attempt: false }));
    expect(total(new FailureCounter(), [marker(), marker()])).toBe(1);
    expect(total(new FailureCounter(), [marker(), ...sshdTries()])).toBe(6);
    expect(total(new FailureCounter(), [marker(), ...pamTries()])).toBe(6);
  });

  it("across batches: PAM's tries give way to sshd's, and if already reported, sshd's count that much less", () => {
    const c = new FailureCounter();
    const pam = c.weigh(items(pamTries()));
    const sshd = c.weigh(items(sshdTries()));
    expect(pam.map((w) => w.entry.weight)).toEqual([0, 0]);
    expect(sshd.reduce((n, w) => n + w.entry.weight, 0)).toBe(6);

    const r = new FailureCounter();
    const reported = r.weigh(items(pamTries()));
    for (const w of reported) w.entry.flags |= REPORTED;
    const after = r.weigh(items(sshdTries()));
    expect(reported.reduce((n, w) => n + w.entry.weight, 0) + after.reduce((n, w) => n + w.entry.weight, 0)).toBe(6);
    expect(after.every((w) => w.entry.flags & PAIRED)).toBe(true);
  });

  it("takes PAM's reverse-DNS name and sshd's address in one process for one connection: sshd's lines count", () => {
    const c = new FailureCounter();
    const pam = inSession(fail(T0, { src_ip: null, src_host: "5.36.59.76.dsl.example.net" }), true);
    const sshd = inSession(fail(T0 + SEC, { src_ip: "5.36.59.76", src_port: 4000 }));
    const weighed = c.weigh(items([pam, sshd]));
    expect(weighed.map((w) => [w.event.src_host ?? w.event.src_ip, w.entry.weight])).toEqual([["5.36.59.76.dsl.example.net", 0], ["5.36.59.76", 1]]);
  });

  it("takes a process id seen again more than 10 minutes later for a new connection (the pid was reused)", () => {
    const marker = (t: number) => inSession(fail(t, { attempt: false }));
    expect(total(new FailureCounter(), [marker(T0), marker(T0 + 9 * 60_000)])).toBe(1);
    expect(total(new FailureCounter(), [marker(T0), marker(T0 + 11 * 60_000)])).toBe(2);
  });

  it("FTP: a reported PAM line held by its client's and its pid's connections is paid back once when the server's own line arrives", () => {
    // auth.log's PAM line as journald writes it (host and pid) and vsftpd.log's line of that process (its pid, no host)
    const pam = (): StoredEvent => ({ ...fail(T0, { service: "ftp" }), signature: "pam: authentication failure", attributes: { host: "ftp1", pid: "4711" } });
    const own = (t = T0 + SEC): StoredEvent => ({ ...fail(t, { service: "ftp" }), signature: "vsftpd: login failed", attributes: { host: null, pid: "4711" } });
    const c = new FailureCounter();
    const reported = c.weigh(items([pam()]));
    for (const w of reported) w.entry.flags |= REPORTED;
    // the try PAM reported, and a second one of the process: 2 in all, not 1 (the debt taken once)
    const later = c.weigh(items([own(), own(T0 + 5 * SEC)]));
    expect(reported[0].entry.weight + later[0].entry.weight + later[1].entry.weight).toBe(2);
    expect(total(new FailureCounter(), [pam(), own()])).toBe(1);
  });

  it("remembers a bounded number of connections", () => {
    const c = new FailureCounter(1_000);
    c.weigh(items(Array.from({ length: 5_000 }, (_, i) => fail(T0 + i, { src_port: 1024 + i, attempt: false }))));
    expect(c.trackedConnections).toBe(1_000);
  });
});
