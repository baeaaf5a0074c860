import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testCore } from "../test-support/core";
import { BodyError } from "../ingest/body";

const DATASETS = path.resolve(process.cwd(), "../shared/datasets");
const hasDatasets = fs.existsSync(DATASETS);
const dataset = (p: string) => fs.readFileSync(path.join(DATASETS, p));

// testCore's clock: 2026-11-21T12:00:00Z
const stamp = (secondsBefore: number) => {
  const d = new Date(Date.UTC(2026, 10, 21, 12, 0, 0) - secondsBefore * 1000);
  return `Nov ${String(d.getUTCDate()).padStart(2, " ")} ${d.toISOString().slice(11, 19)}`;
};
const sshFailure = (secondsBefore: number, ip = "203.0.113.50", user = "root", port = 40_000 + secondsBefore) =>
  `${stamp(secondsBefore)} bastion sshd[${1000 + secondsBefore}]: Failed password for ${user} from ${ip} port ${port} ssh2`;
const text = (lines: string[]) => Buffer.from(lines.join("\n") + "\n");

describe("mail servers brute-forced, through the core", () => {
  it("counts dovecot's tries from its login lines once (its auth process's echoes skipped): one brute force per source", () => {
    const { core } = testCore();
    const lines: string[] = [];
    for (let c = 0; c < 3; c++) {
      const at = 100 - c * 20;
      lines.push(`${stamp(at)} mail dovecot: auth-worker(77): pam(alice,203.0.113.7,<s${c}>): pam_authenticate() failed: Authentication failure (Password mismatch?)`);
      lines.push(`${stamp(at)} mail dovecot: auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=alice rhost=203.0.113.7  user=alice`);
      lines.push(`${stamp(at - 1)} mail dovecot[${900 + c}]: imap-login: Disconnected (auth failed, 3 attempts in 9 secs): user=<alice>, method=PLAIN, rip=203.0.113.7, lip=10.0.0.5, TLS`);
    }
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ accepted: 3, skipped: 6, rejected_total: 0 });
    const active = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(active.map((i) => [i.rule, i.entity, i.count])).toEqual([["brute_force", "dovecot:203.0.113.7", 9]]);
  });

  it("finds a brute force against a router's SSH from Cisco IOS login failures", () => {
    const { core } = testCore();
    const lines = Array.from({ length: 8 }, (_, i) => `<189>${stamp(90 - i * 10)} core-rtr-1 ${4000 + i}: ${stamp(90 - i * 10)}.000 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.66] [localport: 22] [Reason: Login Authentication Failed] at x`);
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ accepted: 8, rejected_total: 0 });
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "brute_force", entity: "cisco-ios:203.0.113.66", count: 8 });
  });

  it("finds an RDP brute force from Windows 4625s, and the success that follows it", () => {
    const { core } = testCore();
    const nx = (at: number, id: number) => `<13>${stamp(at)} WEB-1 nxlog: {"EventID":${id},"Channel":"Security","TargetUserName":"administrator","IpAddress":"198.51.100.40","IpPort":"${50_000 + at}","LogonType":10}`;
    const lines = [...Array.from({ length: 10 }, (_, i) => nx(100 - i * 5, 4625)), nx(40, 4624)];
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ accepted: 11, rejected_total: 0 });
    const rules = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.map((i) => [i.rule, i.entity]).sort();
    expect(rules).toEqual([["brute_force", "windows:198.51.100.40"], ["success_after_failures", "198.51.100.40:administrator"]]);
  });

  it("finds a postfix SASL brute force from the client's address", () => {
    const { core } = testCore();
    const lines = Array.from({ length: 8 }, (_, i) => `${stamp(90 - i * 10)} mx postfix/smtpd[${500 + i}]: warning: unknown[198.51.100.23]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`);
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ accepted: 8, rejected_total: 0 });
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "brute_force", entity: "postfix:198.51.100.23", count: 8 });
  });
});

describe("POST /api/v1/ingest/syslog through the core", () => {
  it("turns a raw sshd brute force into one explained incident whose times are the log's", () => {
    const { core } = testCore();
    const lines = Array.from({ length: 10 }, (_, i) => sshFailure(100 - i * 5));
    const r = core.ingestLog("syslog", text(lines), "text/plain");
    expect(r).toMatchObject({ accepted: 10, skipped: 0, duplicates: 0, rejected_total: 0 });
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "brute_force", entity: "sshd:203.0.113.50", title: "Brute-force logins from 203.0.113.50 (sshd)", count: 10, mitre: "T1110.001" });
    expect(incident.first_seen).toBe(Date.UTC(2026, 10, 21, 12, 0, 0) - 100_000);
    expect(incident.last_seen).toBe(Date.UTC(2026, 10, 21, 12, 0, 0) - 55_000);
    expect(incident.explanation).toContain("from 203.0.113.50 (sshd)");
    expect(incident.explanation).toContain("threshold 8 in 120 s");
  });

  it("counts BSD syslog's 'last message repeated N times' on the host's previous event, and nowhere else", () => {
    const { core, handle } = testCore();
    const lines = [
      sshFailure(100, "203.0.113.77"),
      `${stamp(99)} other-host CRON[1]: (root) CMD (true)`,
      `${stamp(90)} bastion last message repeated 7 times`,
      `${stamp(80)} other-host last message repeated 3 times`,
      `${stamp(70)} gateway --- last message repeated 2 times ---`,
    ];
    const r = core.ingestLog("syslog", text(lines), "text/plain");
    expect(r).toMatchObject({ accepted: 1, skipped: 4, rejected_total: 0 });
    expect(r.skipped_by).toMatchObject({ "last message repeated: counted on the host's previous line": 1, "last message repeated: the host's previous line is not an event of this upload": 2 });
    const row = handle.sqlite.prepare("SELECT occurrences FROM security_events").get() as { occurrences: number };
    expect(row.occurrences).toBe(8);
    // eight tries from one address within two minutes: the brute-force rule's threshold
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "brute_force", entity: "sshd:203.0.113.77", count: 8 });
  });

  it("turns 30 PAM su failures in 30 s, which name no source address, into one privilege_escalation incident", () => {
    const { core } = testCore();
    const lines = Array.from({ length: 30 }, (_, i) => `${stamp(100 - i)} web-1 su: pam_unix(su:auth): authentication failure; logname=bob uid=1000 euid=0 tty=pts/0 ruser=bob rhost=  user=root`);
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ accepted: 30, rejected_total: 0 });
    const incidents = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      rule: "privilege_escalation",
      entity: "su:web-1:root:bob",
      count: 30,
      first_seen: Date.UTC(2026, 10, 21, 12, 0, 0) - 100_000,
      last_seen: Date.UTC(2026, 10, 21, 12, 0, 0) - 71_000,
      explanation: "30 failed su attempts for root by bob on web-1 in 29 s; threshold 7 in 5 min",
    });
  });

  it("opens the same incident, with the same times, when the log arrives newest first", () => {
    const { core } = testCore();
    const lines = Array.from({ length: 10 }, (_, i) => sshFailure(100 - i * 5)).reverse();
    core.ingestLog("syslog", text(lines), "text/plain");
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ count: 10, first_seen: Date.UTC(2026, 10, 21, 12, 0, 0) - 100_000, last_seen: Date.UTC(2026, 10, 21, 12, 0, 0) - 55_000 });
  });

  it("keeps identical lines within one upload as separate events, and still finds every copy a duplicate on re-send", () => {
    const { core } = testCore();
    const body = text([sshFailure(10), sshFailure(10), sshFailure(10)]);
    expect(core.ingestLog("syslog", body, "text/plain")).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(core.ingestLog("syslog", body, "text/plain")).toMatchObject({ accepted: 0, duplicates: 3 });
  });

  it("stores nothing twice when the same upload is re-sent, and the incident does not grow", () => {
    const { core } = testCore();
    const body = text(Array.from({ length: 10 }, (_, i) => sshFailure(100 - i * 5)));
    core.ingestLog("syslog", body, "text/plain");
    expect(core.ingestLog("syslog", body, "text/plain")).toMatchObject({ accepted: 0, duplicates: 10 });
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).incidents[0].count).toBe(10);
  });

  // One sshd process per connection, as OpenSSH with UsePAM writes it: PAM reports the tries that
  // sshd reports again as "Failed password", and older versions name no port on the markers.
  const session = (pid: number, at: number, ip: string, tries: number, user = "root") => [
    `${stamp(at)} LabSZ sshd[${pid}]: reverse mapping checking getaddrinfo for dsl.example.net [${ip}] failed - POSSIBLE BREAK-IN ATTEMPT!`,
    `${stamp(at)} LabSZ sshd[${pid}]: Invalid user ${user} from ${ip}`,
    `${stamp(at)} LabSZ sshd[${pid}]: input_userauth_request: invalid user ${user} [preauth]`,
    `${stamp(at)} LabSZ sshd[${pid}]: pam_unix(sshd:auth): check pass; user unknown`,
    `${stamp(at)} LabSZ sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`,
    ...Array.from({ length: tries }, (_, i) => `${stamp(at - i)} LabSZ sshd[${pid}]: Failed password for invalid user ${user} from ${ip} port ${38_000 + pid} ssh2`),
    ...(tries > 1 ? [`${stamp(at - tries)} LabSZ sshd[${pid}]: PAM ${tries - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}`] : []),
    `${stamp(at - tries)} LabSZ sshd[${pid}]: Received disconnect from ${ip}: 11: Bye Bye [preauth]`,
  ];

  it("counts each password try of an sshd session once: PAM's report of the same tries and the session's markers add nothing", () => {
    const { core } = testCore();
    // 2 sessions of 3 tries: 6 tries in a minute, under the threshold of 8, though the log has 24 failure lines
    const lines = [...session(24_200, 60, "203.0.113.77", 3), ...session(24_201, 40, "203.0.113.77", 3)];
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ rejected_total: 0 });
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).incidents).toEqual([]);
    // a third session: 9 tries, over it, one incident counting the tries
    core.ingestLog("syslog", text(session(24_202, 20, "203.0.113.77", 3)), "text/plain");
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "brute_force", entity: "sshd:203.0.113.77", count: 9 });
  });

  it("pairs markers without a port with their session's tries whichever arrives first", () => {
    const { core } = testCore();
    const lines = [...session(31_000, 60, "203.0.113.78", 4), ...session(31_001, 50, "203.0.113.78", 3)].reverse();
    core.ingestLog("syslog", text(lines), "text/plain");
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).incidents).toEqual([]);
  });

  it("detects on a PAM rhost that is a host name, keeping the name as the source", () => {
    const { core } = testCore();
    const lines = Array.from(
      { length: 9 },
      (_, i) => `${stamp(60 - i)} mail sshd[${500 + i}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=Host-7.Netvigator.com  user=root`,
    );
    expect(core.ingestLog("syslog", text(lines), "text/plain")).toMatchObject({ accepted: 9 });
    const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incident).toMatchObject({ rule: "brute_force", entity: "sshd:host-7.netvigator.com" });
    const events = core.events({ limit: 1 } as never).events;
    expect(events[0]).toMatchObject({ src_ip: null, src_host: "host-7.netvigator.com", service: "sshd" });
  });

  it("answers every line: skipped lines counted by reason, bad lines rejected by number, neighbours stored", () => {
    const { core } = testCore();
    const body = Buffer.concat([
      text([sshFailure(10), `${stamp(9)} bastion CRON[77]: (root) CMD (run-parts /etc/cron.hourly)`, "", "not a syslog line at all"]),
      Buffer.from([0xc3, 0x28, 0x0a]),
      Buffer.from(`${"x".repeat(70_000)}\n${sshFailure(8)}`), // the last line has no newline
    ]);
    const r = core.ingestLog("syslog", body, "text/plain");
    expect(r).toMatchObject({ accepted: 2, skipped: 2, duplicates: 0, rejected_total: 3 });
    expect(r.rejected.map((x) => x.line)).toEqual([4, 5, 6]);
    expect(r.rejected[1].reason).toBe("not valid UTF-8");
    expect(r.rejected[2].reason).toContain("at most 65536");
    expect(r.skipped_by).toMatchObject({ "blank line": 1 });
  });

  it("rejects a line stamped in the future or before the retention, with the reason, instead of storing it", () => {
    const { core } = testCore();
    const r = core.ingestLog("syslog", text(["2026-11-21T13:00:00Z bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2", "2026-11-01T13:00:00Z bastion sshd[1]: Failed password for root from 203.0.113.9 port 1 ssh2"]), "text/plain");
    expect(r).toMatchObject({ accepted: 0, rejected_total: 2 });
    expect(r.rejected.every((x) => x.reason.startsWith("time: "))).toBe(true);
  });

  it("takes journalctl -o json output sent as NDJSON on the syslog endpoint", () => {
    const { core } = testCore();
    const rec = { __REALTIME_TIMESTAMP: String(Date.UTC(2026, 10, 21, 11, 59) * 1000), _HOSTNAME: "web-1", SYSLOG_IDENTIFIER: "sshd", _PID: "42", MESSAGE: "Failed password for root from 203.0.113.5 port 40000 ssh2" };
    expect(core.ingestLog("syslog", Buffer.from(JSON.stringify(rec) + "\n"), "application/x-ndjson")).toMatchObject({ accepted: 1, rejected_total: 0 });
  });

  it("refuses a wrong Content-Type (415) and an upload over the line limit (413) before parsing", () => {
    const { core } = testCore();
    expect(() => core.ingestLog("syslog", text([sshFailure(1)]), "application/json")).toThrow(BodyError);
    const many = Buffer.from("x\n".repeat(100_001));
    try {
      core.ingestLog("syslog", many, "text/plain");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 413, code: "too_many_lines" });
    }
  });

  it("masks card numbers before anything is stored or announced", () => {
    const { core, drain } = testCore();
    core.ingestLog("syslog", text([`${stamp(5)} pay sshd[9]: Invalid user 4111111111111111 from 203.0.113.7 port 22`]), "text/plain");
    const [event] = drain("security").map((d) => d.event);
    expect(JSON.stringify(event)).not.toContain("4111111111111111");
    const raw = core.handle.sqlite.prepare("SELECT raw, user FROM security_events").get() as { raw: string; user: string };
    expect(raw.raw).toContain("************1111");
    expect(raw.user).toBe("************1111");
  });
});

describe("POST /api/v1/ingest/fast: Snort 3's alert_json and alert_csv through the core", () => {
  it("takes alert_json as NDJSON beside fast.log and CSV lines, stores each once, and refuses an EVE record naming its endpoint", () => {
    const { core } = testCore();
    const lines = [
      '{ "timestamp" : "11/21-11:59:00.000001", "pkt_num" : 7, "proto" : "TCP", "pkt_gen" : "raw", "pkt_len" : 60, "dir" : "C2S", "src_ap" : "203.0.113.7:50284", "dst_ap" : "192.0.2.10:80", "rule" : "1:2010935:3", "action" : "allow" }',
      '{ "timestamp" : "11/21-11:59:01.000001", "src_ap" : "203.0.113.7:50285", "dst_ap" : "192.0.2.10:80", "rule" : "1:2010936:1", "msg" : "ET WEB_SERVER x", "class" : "Web Application Attack", "priority" : 1, "action" : "would_drop" }',
      "11/21-11:59:02.000001, 9, TCP, raw, 60, C2S, 203.0.113.7:50286, 192.0.2.10:80, 1:2010937:2, drop",
      '{"timestamp":"2026-11-21T11:59:03Z","event_type":"alert","src_ip":"203.0.113.7","alert":{"signature":"x"}}',
    ];
    const r = core.ingestLog("fast", text(lines), "application/x-ndjson");
    expect(r).toMatchObject({ accepted: 3, rejected_total: 1 });
    expect(r.rejected[0]).toMatchObject({ line: 4, reason: expect.stringContaining("/api/v1/ingest/suricata") });
    const rows = core.handle.sqlite.prepare("SELECT signature, severity, service FROM security_events ORDER BY time").all();
    expect(rows).toEqual([
      { signature: "1:2010935:3", severity: "medium", service: "snort" },
      { signature: "ET WEB_SERVER x", severity: "high", service: "snort" },
      { signature: "1:2010937:2", severity: "medium", service: "snort" },
    ]);
    expect(core.ingestLog("fast", text(lines.slice(0, 3)), "text/plain")).toMatchObject({ accepted: 0, duplicates: 3 });
  });
});

describe("transactions", () => {
  it("takes JSON, NDJSON and CSV, and counts a re-sent id as a duplicate", () => {
    const { core } = testCore();
    const tx = { id: "tx-1", time: "2026-11-21T11:59:00Z", account: "acct-1", card: "4111 1111 1111 1111", ip: "203.0.113.7", amount: "12.50", currency: "eur", outcome: "declined" };
    expect(core.ingestLog("transactions", Buffer.from(JSON.stringify([tx, { ...tx, id: "tx-2" }])), "application/json")).toMatchObject({ accepted: 2 });
    expect(core.ingestLog("transactions", Buffer.from(JSON.stringify(tx)), "application/x-ndjson")).toMatchObject({ accepted: 0, duplicates: 1 });
    const csv = "time,account,card,ip,amount,currency,outcome\n2026-11-21T11:58:00Z,acct-2,5555555555554444,203.0.113.8,3.00,USD,approved\n2026-11-21T11:58:00Z,acct-2,,203.0.113.8,not-a-number,USD,approved\n";
    const r = core.ingestLog("transactions", Buffer.from(csv), "text/csv");
    expect(r).toMatchObject({ accepted: 1, rejected_total: 1 });
    expect(r.rejected[0].line).toBe(3);
    const stored = core.handle.sqlite.prepare("SELECT attributes FROM security_events WHERE kind = 'transaction'").all() as { attributes: string }[];
    expect(stored.map((s) => JSON.parse(s.attributes).card).sort()).toEqual(["************1111", "************1111", "************4444"]);
  });
});

describe("firewall packet logs on the syslog endpoint feed port-scan detection", () => {
  const ufw = (i: number, port = 1000 + i) =>
    `${stamp(60 - i * 2)} edge-fw kernel: [${(5000 + i).toFixed(6)}] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=198.51.100.99 DST=10.0.0.9 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=${100 + i} PROTO=TCP SPT=${40_000 + i} DPT=${port} WINDOW=1024 RES=0x00 SYN URGP=0`;
  const filterlog = (i: number) => `${stamp(60 - i * 2)} pfsense filterlog[4242]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,none,6,tcp,44,203.0.113.77,192.0.2.${10 + i},${50_000 + i},445,0,S,1,,1024,,mss`;
  const scan = (core: ReturnType<typeof testCore>["core"], entity: string) => core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.find((i) => i.rule === "port_scan" && i.entity === entity);

  it("a UFW log of one source reaching 25 ports of one host opens a port scan; the lines are counted as skipped, not stored; re-sent, they are duplicates", () => {
    const { core } = testCore();
    const body = text(Array.from({ length: 25 }, (_, i) => ufw(i)));
    const r = core.ingestLog("syslog", body, "text/plain");
    expect(r).toMatchObject({ accepted: 0, skipped: 25, duplicates: 0, rejected_total: 0 });
    expect(r.skipped_by).toMatchObject({ "firewall packet log: not stored, fed to port-scan detection": 25 });
    const incident = scan(core, "198.51.100.99");
    expect(incident).toMatchObject({ count: 25, mitre: "T1046" });
    // its times are the packets' (the first at 60 s before the clock), not the upload's
    expect(incident!.first_seen).toBe(Date.UTC(2026, 10, 21, 11, 59, 0));
    expect(core.ingestLog("syslog", body, "text/plain")).toMatchObject({ accepted: 0, skipped: 0, duplicates: 25 });
    expect(scan(core, "198.51.100.99")!.count).toBe(25);
  });

  it("a pfSense filterlog of one source sweeping port 445 over 25 hosts opens a port scan (horizontal)", () => {
    const { core } = testCore();
    expect(core.ingestLog("syslog", text(Array.from({ length: 25 }, (_, i) => filterlog(i))), "text/plain")).toMatchObject({ skipped: 25, rejected_total: 0 });
    expect(scan(core, "203.0.113.77")?.explanation).toMatch(/^203\.0\.113\.77 reached 25 hosts on TCP\/445/);
  });

  it("a resolver's late replies blocked on 30 of a client's ephemeral ports are no scan (replies are not fed)", () => {
    const { core } = testCore();
    const replies = Array.from({ length: 30 }, (_, i) => `${stamp(60 - i)} edge-fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=8.8.8.8 DST=10.0.0.9 LEN=120 PROTO=UDP SPT=53 DPT=${50_000 + i} LEN=100`);
    expect(core.ingestLog("syslog", text(replies), "text/plain")).toMatchObject({ accepted: 0, skipped: 30, rejected_total: 0 });
    expect(scan(core, "8.8.8.8")).toBeUndefined();
  });

  it("a handful of blocked packets is no scan", () => {
    const { core } = testCore();
    core.ingestLog("syslog", text(Array.from({ length: 5 }, (_, i) => ufw(i))), "text/plain");
    expect(scan(core, "198.51.100.99")).toBeUndefined();
  });
});

describe("POST /api/v1/ingest/suricata flow records through the core", () => {
  // 25 flows from one source to 25 ports of one host within 25 s: a vertical port scan
  const flow = (i: number, flowId = 900_000_000_000 + i) => {
    const start = new Date(Date.UTC(2026, 10, 21, 11, 59, 0) + i * 1000).toISOString().replace("Z", "+0000");
    return JSON.stringify({ timestamp: start, flow_id: flowId, event_type: "flow", src_ip: "198.51.100.77", src_port: 50_000 + i, dest_ip: "10.0.0.9", dest_port: 1000 + i, proto: "TCP", flow: { pkts_toserver: 1, pkts_toclient: 1, start, end: start, state: "closed", reason: "timeout" } });
  };
  const flows = (make: (i: number) => string = flow) => text(Array.from({ length: 25 }, (_, i) => make(i)));
  const scanCount = (core: ReturnType<typeof testCore>["core"]) => core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.find((i) => i.rule === "port_scan")?.count;

  it("counts a re-sent flow record as a duplicate and does not grow the port-scan incident with it", () => {
    const { core } = testCore();
    expect(core.ingestLog("suricata", flows(), "text/plain")).toMatchObject({ accepted: 0, skipped: 25, duplicates: 0 });
    expect(scanCount(core)).toBe(25);
    expect(core.ingestLog("suricata", flows(), "text/plain")).toMatchObject({ accepted: 0, skipped: 0, duplicates: 25 });
    expect(scanCount(core)).toBe(25);
  });

  it("counts the same flow (flow_id and start) twice in one upload once, and still counts new flows of the same scan", () => {
    const { core } = testCore();
    const body = text([...Array.from({ length: 25 }, (_, i) => flow(i)), flow(3)]);
    expect(core.ingestLog("suricata", body, "text/plain")).toMatchObject({ skipped: 25, duplicates: 1 });
    expect(scanCount(core)).toBe(25);
    // other flows (other flow ids) to the same ports: new connections, the scan grows
    expect(core.ingestLog("suricata", flows((i) => flow(i, 800_000_000_000 + i)), "text/plain")).toMatchObject({ skipped: 25, duplicates: 0 });
    expect(scanCount(core)).toBe(50);
  });
});

describe.skipIf(!hasDatasets)(`real logs from ../shared/datasets${hasDatasets ? "" : " (SKIPPED: ../shared/datasets not found)"}`, () => {
  it("suricata/eve-2.json: every line stored, skipped as context, or rejected with a reason; counts exact", () => {
    const { core, clock } = testCore({ retentionDays: 30 });
    clock.set(Date.UTC(2022, 1, 10));
    const r = core.ingestLog("suricata", dataset("suricata/eve-2.json"), "application/x-ndjson");
    expect(r).toMatchObject({ accepted: 224, skipped: 2177, duplicates: 0, rejected_total: 0 });
    // all 224 are Suricata's own engine events: counted, never an incident; the infected host's
    // SMTP sweep is found in the flow records, which are read but not stored
    const incidents = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
    expect(incidents.map((i) => [i.rule, i.entity])).toEqual([["port_scan", "10.2.8.102"]]);
    expect(incidents[0].mitre).toBe("T1046");
    expect(incidents[0].explanation).toMatch(/^10\.2\.8\.102 reached 64 hosts on TCP\/587/);
    // re-sent: the 224 events and the 923 flow records are duplicates, and the sweep does not grow
    expect(core.ingestLog("suricata", dataset("suricata/eve-2.json"), "application/x-ndjson")).toMatchObject({ accepted: 0, duplicates: 224 + 923, skipped: 2177 - 923 });
    expect(core.incidentsSnapshot({ status: "active", limit: 10 }).incidents.map((i) => i.count)).toEqual([incidents[0].count]);
  });

  it("auth/*.log: sshd, PAM and su lines from real systems, none rejected", () => {
    for (const [file, accepted] of [
      ["auth/sshd-variants.log", 50],
      ["auth/syslog_ssh.log", 7],
      ["auth/pam-variants.log", 3],
    ] as const) {
      const { core, clock } = testCore({ retentionDays: 20 * 365 }); // the ISO-stamped lines are from 2013 and 2020
      clock.set(Date.UTC(2026, 11, 31, 23, 0, 0)); // year-less stamps take this year
      const r = core.ingestLog("syslog", dataset(file), "text/plain");
      // identical lines within one upload are separate events, so none is a duplicate
      expect({ file, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected }).toEqual({ file, accepted, duplicates: 0, rejected: [] });
    }
  });

  it("transactions CSV: every row stored", () => {
    const { core, clock } = testCore({ retentionDays: 3650 });
    clock.set(Date.UTC(2026, 0, 1));
    const r = core.ingestLog("transactions", dataset("transactions/transaction_data_2K_coldstart.csv"), "text/csv");
    expect(r).toMatchObject({ accepted: 1611, rejected_total: 0 });
  });
});

describe("the syslog listener through the core", () => {
  it("stores a UDP-forwarded sshd brute force and opens the same incident as an upload would", async () => {
    const { core } = testCore();
    const ports = await core.startSyslog({ host: "127.0.0.1", port: 0, tcp: false, flushMs: 5 });
    try {
      const dgram = await import("node:dgram");
      const socket = dgram.createSocket("udp4");
      for (let i = 0; i < 9; i++) {
        await new Promise<void>((r) => socket.send(`<38>${sshFailure(60 - i * 3, "198.51.100.23")}`, ports.udp!, "127.0.0.1", () => r()));
      }
      socket.close();
      await expect.poll(() => core.syslogStatus().senders[0]?.accepted ?? 0).toBe(9);
      expect(core.syslogStatus()).toMatchObject({ listening: true, udp_port: ports.udp, tcp_port: null, senders: [{ sender: "127.0.0.1", transport: "udp", received: 9, rejected: 0 }] });
      const [incident] = core.incidentsSnapshot({ status: "active", limit: 10 }).incidents;
      expect(incident).toMatchObject({ rule: "brute_force", entity: "sshd:198.51.100.23", count: 9 });
    } finally {
      await core.stopSyslog();
    }
  });
});
