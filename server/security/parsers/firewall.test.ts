import { describe, expect, it } from "vitest";
import { FIREWALL_REPLY_SKIP, FIREWALL_SKIP, filterlogFlow, netfilterFlow } from "./firewall";
import { parseSyslogLine } from "./syslog";

import type { ParseOutcome } from "../types";

const T = Date.UTC(2026, 10, 30, 12, 0, 0);
const flowOf = (o: ParseOutcome | null) => (o?.status === "skipped" ? o.flow : undefined);

describe("netfilter packet logs (iptables, nftables, UFW, firewalld) become flows for port-scan detection", () => {
  it("reads a UFW block: source, destination, protocol and destination port, verdict block, not stored", () => {
    const text = "[123456.789012] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.5 DST=10.0.0.1 LEN=44 TOS=0x00 PREC=0x00 TTL=243 ID=54321 PROTO=TCP SPT=45678 DPT=3389 WINDOW=1024 RES=0x00 SYN URGP=0";
    const o = netfilterFlow(text, T, `line ${text}`);
    expect(o).toEqual({ status: "skipped", reason: FIREWALL_SKIP, flow: { time: T, src_ip: "203.0.113.5", dst_ip: "10.0.0.1", dst_port: 3389, proto: "TCP", state: "block", key: expect.stringMatching(/^syslog:[0-9a-f]{32}$/) } });
  });

  it("canonicalises IPv6 addresses and reads firewalld's and nftables' prefixes as the verdict", () => {
    const v6 = netfilterFlow("FINAL_REJECT: IN=eth0 OUT= MAC= SRC=2001:0db8:0000:0000:0000:0000:0000:0005 DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=UDP SPT=5353 DPT=161 LEN=40", T, "a");
    expect(flowOf(v6)).toMatchObject({ src_ip: "2001:db8::5", dst_ip: "2001:db8::1", dst_port: 161, proto: "UDP", state: "block" });
    const pass = netfilterFlow("nft accept: IN=eth0 OUT= SRC=198.51.100.7 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=443", T, "b");
    expect(flowOf(pass)?.state).toBe("pass");
    const plain = netfilterFlow("IN=eth0 OUT= SRC=198.51.100.7 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=443", T, "c");
    expect(flowOf(plain)?.state).toBeNull();
  });

  it("gives ICMP no port and ignores the embedded packet of an ICMP error", () => {
    const o = netfilterFlow("[UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.9 DST=10.0.0.3 LEN=56 PROTO=ICMP TYPE=3 CODE=3 [SRC=10.0.0.3 DST=192.0.2.9 LEN=28 PROTO=UDP SPT=53 DPT=4000 LEN=8 ]", T, "d");
    expect(flowOf(o)).toMatchObject({ src_ip: "192.0.2.9", dst_ip: "10.0.0.3", dst_port: null, proto: "ICMP" });
  });

  it("rejects a packet line whose source is not an address, naming it", () => {
    expect(netfilterFlow("[UFW BLOCK] IN=eth0 OUT= SRC=not-an-ip DST=10.0.0.1 PROTO=TCP SPT=1 DPT=22", T, "e")).toEqual({ status: "rejected", reason: 'netfilter: source "not-an-ip" is not an IP address' });
    expect(netfilterFlow("[UFW BLOCK] IN=eth0 OUT= SRC=192.0.2.1 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=99999", T, "f")).toEqual({ status: "rejected", reason: 'netfilter: destination port "99999" is not a port number' });
  });

  it("leaves text that is not a packet log to the other parsers", () => {
    expect(netfilterFlow("usb 1-1: new high-speed USB device number 2 using xhci_hcd", T, "g")).toBeNull();
    expect(netfilterFlow("SRC=1.2.3.4 only", T, "h")).toBeNull();
  });

  it("keys a flow by its line, so the same line sent twice is one flow and two attempts are two", () => {
    const text = "[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=22";
    const a = netfilterFlow(text, T, `Nov 30 12:00:00 fw kernel: ${text}`);
    const b = netfilterFlow(text, T, `Nov 30 12:00:00 fw kernel: ${text}`);
    const c = netfilterFlow(text, T + 1000, `Nov 30 12:00:01 fw kernel: ${text}`);
    const key = (o: ReturnType<typeof netfilterFlow>) => (o?.status === "skipped" ? o.flow?.key : undefined);
    expect(key(a)).toBe(key(b));
    expect(key(a)).not.toBe(key(c));
  });
});

describe("pfSense/OPNsense filterlog CSV becomes flows for port-scan detection", () => {
  it("reads an IPv4 TCP block: addresses, destination port, verdict", () => {
    const o = filterlogFlow("5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.51.100.7,192.0.2.10,51836,22,0,S,1234567,,64240,,mss;sackOK;TS;nop;wscale", T, "i");
    expect(o).toEqual({ status: "skipped", reason: FIREWALL_SKIP, flow: { time: T, src_ip: "198.51.100.7", dst_ip: "192.0.2.10", dst_port: 22, proto: "TCP", state: "block", key: expect.any(String) } });
  });

  it("reads IPv6 UDP and IPv4 ICMP (no port), and a pass", () => {
    const v6 = filterlogFlow("82,,,1000009411,igb1,match,pass,out,6,0x00,0x00000,255,udp,17,40,2001:db8::10,2001:db8::53,12345,53,40", T, "j");
    expect(flowOf(v6)).toMatchObject({ src_ip: "2001:db8::10", dst_ip: "2001:db8::53", dst_port: 53, proto: "UDP", state: "pass" });
    const icmp = filterlogFlow("5,,,1000000103,em0,match,block,in,4,0x0,,64,12345,0,none,1,icmp,84,203.0.113.9,192.0.2.10,request,1234,5", T, "k");
    expect(flowOf(icmp)).toMatchObject({ src_ip: "203.0.113.9", dst_port: null, proto: "ICMP", state: "block" });
  });

  it("rejects a cut or foreign line with what is wrong", () => {
    expect(filterlogFlow("5,,,1000000103,em0", T, "l")).toEqual({ status: "rejected", reason: "filterlog: 5 fields, a packet line has at least 17" });
    expect(filterlogFlow("5,,,1000000103,em0,match,block,in,5,a,b,c,d,e,f,g,h,i,j,k", T, "m")).toEqual({ status: "rejected", reason: 'filterlog: IP version "5", expected 4 or 6' });
    expect(filterlogFlow("5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,198.51.100.7,192.0.2.10", T, "n")).toEqual({ status: "rejected", reason: "filterlog: a TCP line without its ports" });
  });
});

describe("network firewalls' denied connections over syslog (Cisco ASA, FortiGate) become flows", () => {
  const ctx = { now: Date.UTC(2026, 11, 1) };
  const flow = (line: string) => flowOf(parseSyslogLine(line, ctx));

  it("reads the ASA's deny messages: 106023, 106001, 106006, 106014 (ICMP, no port), 106100 denied, 710003", () => {
    expect(flow('<164>Nov 30 10:00:00 asa1 %ASA-4-106023: Deny tcp src outside:203.0.113.5/4444 dst inside:10.0.0.5/22 by access-group "outside_in" [0x0, 0x0]')).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), src_ip: "203.0.113.5", dst_ip: "10.0.0.5", dst_port: 22, proto: "TCP", state: "block" });
    expect(flow("<162>Nov 30 10:00:00 asa1 : %ASA-2-106001: Inbound TCP connection denied from 203.0.113.5/4444 to 10.0.0.5/3389 flags SYN  on interface outside")).toMatchObject({ src_ip: "203.0.113.5", dst_port: 3389, proto: "TCP" });
    expect(flow("<162>Nov 30 10:00:00 asa1 %ASA-2-106006: Deny inbound UDP from 203.0.113.5/4444 to 10.0.0.5/161 on interface outside")).toMatchObject({ dst_port: 161, proto: "UDP" });
    expect(flow("<163>Nov 30 10:00:00 asa1 %ASA-3-106014: Deny inbound icmp src outside:203.0.113.5 dst inside:10.0.0.5 (type 8, code 0)")).toMatchObject({ dst_ip: "10.0.0.5", dst_port: null, proto: "ICMP" });
    expect(flow("<166>Nov 30 10:00:00 asa1 %ASA-6-106100: access-list outside_in denied tcp outside/203.0.113.5(4444) -> inside/10.0.0.5(445) hit-cnt 1 first hit [0x91c26a3, 0x0]")).toMatchObject({ dst_port: 445, proto: "TCP" });
    expect(flow("<163>Nov 30 10:00:00 asa1 %ASA-3-710003: TCP access denied by ACL from 203.0.113.5/4444 to outside:10.0.0.1/23")).toMatchObject({ dst_ip: "10.0.0.1", dst_port: 23 });
    expect(flow("<164>Nov 30 10:00:00 asa1 %ASA-4-106023: Deny tcp src outside:2001:0db8::5/4444 dst inside:2001:db8::1/443 by access-group \"outside_in\" [0x0, 0x0]")).toMatchObject({ src_ip: "2001:db8::5", dst_ip: "2001:db8::1", dst_port: 443 });
  });

  it("leaves the ASA's permits, its no-connection denies (stray packets, not a scan) and its logins alone", () => {
    expect(flow("<166>Nov 30 10:00:00 asa1 %ASA-6-106100: access-list outside_in permitted tcp outside/203.0.113.5(4444) -> inside/10.0.0.5(443) hit-cnt 1 first hit [0x1, 0x0]")).toBeUndefined();
    expect(flow("<166>Nov 30 10:00:00 asa1 %ASA-6-106015: Deny TCP (no connection) from 10.0.0.5/443 to 203.0.113.5/51234 flags RST  on interface inside")).toBeUndefined();
    expect(parseSyslogLine('<189>Nov 30 10:00:00 asa1 : %ASA-6-605004: Login denied from 203.0.113.5/51234 to outside:10.0.0.1/ssh for user "admin"', ctx).status).toBe("event");
  });

  it("reads a FortiGate traffic line with a deny action, its protocol number named; an accepted session is not fed", () => {
    const deny = '<13>Nov 30 10:00:00 fg1 date=2026-11-30 time=10:00:00 devname="fg1" devid="FG100E" logid="0000000013" type="traffic" subtype="forward" level="notice" srcip=203.0.113.8 srcport=51000 srcintf="wan1" dstip=10.0.0.7 dstport=1433 dstintf="internal" proto=6 action="deny" policyid=0 service="MS-SQL"';
    expect(flow(deny)).toMatchObject({ src_ip: "203.0.113.8", dst_ip: "10.0.0.7", dst_port: 1433, proto: "TCP", state: "block" });
    expect(flow(deny.replace('action="deny"', 'action="accept"'))).toBeUndefined();
  });
});

describe("Juniper SRX and MikroTik firewall lines over syslog become flows", () => {
  const ctx = { now: Date.UTC(2026, 11, 1) };
  const flow = (line: string) => flowOf(parseSyslogLine(line, ctx));

  it("reads an SRX RT_FLOW_SESSION_DENY, plain and in RFC 5424 with the event as MSGID; a created session is not fed", () => {
    const text = "session denied 203.0.113.5/4444->10.0.0.5/22 0x0 junos-ssh 6(0) default-deny(global) untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny";
    expect(flow(`<14>Nov 30 10:00:00 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: ${text}`)).toMatchObject({ src_ip: "203.0.113.5", dst_ip: "10.0.0.5", dst_port: 22, proto: "TCP", state: "block" });
    expect(flow(`<14>1 2026-11-30T10:00:00.000Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.40 source-address="203.0.113.5" destination-port="22"] ${text}`)).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), src_ip: "203.0.113.5", dst_port: 22 });
    // structured-data mode with nothing after the SD: the session's fields are read from it
    expect(flow('<14>1 2026-11-30T10:00:00.000Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.40 source-address="198.51.100.9" source-port="5555" destination-address="10.0.0.6" destination-port="3389" connection-tag="0" service-name="None" protocol-id="6" icmp-type="0" policy-name="default-deny"]')).toMatchObject({ src_ip: "198.51.100.9", dst_ip: "10.0.0.6", dst_port: 3389, proto: "TCP" });
    expect(flow("<14>Nov 30 10:00:00 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied 203.0.113.5/0->10.0.0.5/2048 None 1(8) default-deny(global) untrust trust")).toMatchObject({ proto: "ICMP", dst_port: null });
    expect(flow("<14>Nov 30 10:00:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session created 203.0.113.5/4444->10.0.0.5/443 0x0 junos-https 203.0.113.5/4444->10.0.0.5/443 0x0 N/A N/A N/A N/A 6 allow-web untrust trust 1234")).toBeUndefined();
  });

  it("reads a MikroTik firewall log: TCP with ports, ICMP without, the prefix's verdict", () => {
    expect(flow("<134>Nov 30 10:00:00 mikrotik firewall,info DROP_WAN input: in:ether1 out:(unknown 0), src-mac 00:11:22:33:44:55, proto TCP (SYN), 203.0.113.5:4444->10.0.0.1:8291, len 60")).toMatchObject({ src_ip: "203.0.113.5", dst_ip: "10.0.0.1", dst_port: 8291, proto: "TCP", state: "block" });
    expect(flow("<134>Nov 30 10:00:00 mikrotik firewall,info input: in:ether1 out:(unknown 0), src-mac 00:11:22:33:44:55, proto ICMP (type 8, code 0), 203.0.113.5->10.0.0.1, len 84")).toMatchObject({ dst_port: null, proto: "ICMP", state: null });
    expect(flow("<134>Nov 30 10:00:00 mikrotik firewall,info forward: in:ether1 out:bridge, connection-state:new src-mac 00:11:22:33:44:55, proto TCP (SYN), [2001:db8::5]:4444->[2001:db8::1]:22, len 80")).toMatchObject({ src_ip: "2001:db8::5", dst_ip: "2001:db8::1", dst_port: 22 });
  });
});

describe("Palo Alto PAN-OS TRAFFIC logs over syslog become flows when the session was denied", () => {
  const ctx = { now: Date.UTC(2026, 11, 1) };
  const flow = (line: string) => flowOf(parseSyslogLine(line, ctx));
  const traffic = (action: string, proto = "tcp", rule = "deny-all") =>
    `<14>Nov 30 10:00:00 pa-fw1 1,2026/11/30 10:00:00,012501002341,TRAFFIC,${action === "allow" ? "end" : "drop"},2561,2026/11/30 10:00:00,203.0.113.5,10.0.0.5,0.0.0.0,0.0.0.0,${rule},,,not-applicable,vsys1,untrust,trust,ethernet1/1,,Log-Forwarding,2026/11/30 10:00:00,0,1,4444,22,0,0,0x0,${proto},${action},0,0,0,1,2026/11/30 09:59:59,0,any,0,123456,0x0,United States,10.0.0.0-10.255.255.255,0,1,0`;

  it("reads a denied TCP session: addresses, destination port, protocol; a quoted rule name with a comma does not shift the fields", () => {
    expect(flow(traffic("deny"))).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), src_ip: "203.0.113.5", dst_ip: "10.0.0.5", dst_port: 22, proto: "TCP", state: "block" });
    expect(flow(traffic("reset-both", "tcp", '"deny, inbound"'))).toMatchObject({ src_ip: "203.0.113.5", dst_port: 22 });
    expect(flow(traffic("drop", "icmp"))).toMatchObject({ proto: "ICMP", dst_port: null });
  });

  it("does not feed an allowed session, and rejects a cut line", () => {
    expect(flow(traffic("allow"))).toBeUndefined();
    expect(parseSyslogLine("<14>Nov 30 10:00:00 pa-fw1 1,2026/11/30 10:00:00,012501002341,TRAFFIC,drop,2561,2026/11/30 10:00:00,203.0.113.5", ctx)).toEqual({ status: "rejected", reason: "pan-os traffic: 8 fields, at least 31 expected" });
  });
});

describe("Check Point Log Exporter lines over syslog become flows when the connection was dropped", () => {
  const ctx = { now: Date.UTC(2026, 11, 1) };
  const flow = (line: string) => flowOf(parseSyslogLine(line, ctx));
  const cp = (action: string, proto = "6") =>
    `<134>1 2026-11-30T10:00:00Z gw1 CheckPoint 12345 - [action:"${action}"; flags:"411908"; ifdir:"inbound"; ifname:"eth1"; logid:"0"; loguid:"{0x0,0x0,0x0,0x0}"; origin:"192.0.2.1"; product:"VPN-1 & FireWall-1"; proto:"${proto}"; s_port:"4444"; service:"22"; src:"203.0.113.5"; dst:"10.0.0.5"; rule_name:"Cleanup rule"]`;

  it("reads a dropped TCP connection: addresses, service port, protocol", () => {
    expect(flow(cp("Drop"))).toMatchObject({ time: Date.UTC(2026, 10, 30, 10), src_ip: "203.0.113.5", dst_ip: "10.0.0.5", dst_port: 22, proto: "TCP", state: "block" });
    expect(flow(cp("Reject", "17"))).toMatchObject({ proto: "UDP", dst_port: 22 });
  });

  it("does not feed an accepted connection", () => {
    expect(flow(cp("Accept"))).toBeUndefined();
  });
});

describe("a firewall form is read only under its own tag, never out of another program's message", () => {
  const ctx = { now: Date.UTC(2026, 11, 1) };
  it("an sshd failure whose user name is written to look like a packet log still counts as a failed login", () => {
    const users = [
      "IN=eth0 OUT= SRC=1.1.1.1 DST=2.2.2.2 PROTO=TCP SPT=1 DPT=22",
      "x input: in:ether1 out:(unknown 0), proto TCP (SYN), 1.1.1.1:1->2.2.2.2:22, len 60",
      'a action:"Drop"; src:"1.1.1.1"; dst:"2.2.2.2"; proto:"6"; service:"22";',
    ];
    for (const user of users) {
      const o = parseSyslogLine(`<38>Nov 30 10:00:00 bastion sshd[4242]: Invalid user ${user} from 203.0.113.50 port 40000`, ctx);
      expect(o.status === "event" && o.event.kind, user).toBe("auth_failure");
    }
    const o = parseSyslogLine("<38>Nov 30 10:00:00 bastion sshd[4242]: Failed password for invalid user RT_FLOW_SESSION_DENY from 203.0.113.50 port 40000 ssh2", ctx);
    expect(o.status === "event" && o.event.kind).toBe("auth_failure");
  });

  it("reads netfilter text under the kernel's tag and without one, not under another program's", () => {
    const packet = "[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=10.0.0.1 PROTO=TCP SPT=1 DPT=22";
    expect(flowOf(parseSyslogLine(`<4>Nov 30 10:00:00 fw kernel: ${packet}`, ctx))).toBeDefined();
    expect(flowOf(parseSyslogLine(`<4>Nov 30 10:00:00 fw ${packet}`, ctx))).toBeDefined();
    expect(flowOf(parseSyslogLine(`<4>Nov 30 10:00:00 fw myapp: ${packet}`, ctx))).toBeUndefined();
  });
});

describe("packets that are no connection attempt are not fed to port-scan detection", () => {
  const ctx = { now: Date.UTC(2026, 11, 1) };
  const outcome = (line: string) => parseSyslogLine(line, ctx);

  it("a late reply from a service port to an ephemeral port, or a TCP packet with ACK or RST, is skipped without a flow", () => {
    const dnsReply = outcome("<4>Nov 30 10:00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=8.8.8.8 DST=10.0.0.5 LEN=120 PROTO=UDP SPT=53 DPT=51234 LEN=100");
    expect(dnsReply).toEqual({ status: "skipped", reason: FIREWALL_REPLY_SKIP });
    const ack = outcome("<4>Nov 30 10:00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=10.0.0.5 PROTO=TCP SPT=44321 DPT=443 WINDOW=501 RES=0x00 ACK PSH URGP=0");
    expect(ack).toEqual({ status: "skipped", reason: FIREWALL_REPLY_SKIP });
    expect(flowOf(outcome("<134>Nov 30 10:00:00 pfsense filterlog[1]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,none,6,tcp,40,203.0.113.5,192.0.2.10,44321,443,0,RA,1,1,0,,"))).toBeUndefined();
    expect(flowOf(outcome("<134>Nov 30 10:00:00 mikrotik firewall,info input: in:ether1 out:(unknown 0), proto TCP (ACK,PSH), 203.0.113.5:44321->10.0.0.1:443, len 52"))).toBeUndefined();
    expect(flowOf(outcome('<164>Nov 30 10:00:00 asa1 %ASA-4-106023: Deny udp src outside:8.8.8.8/53 dst inside:10.0.0.5/51234 by access-group "outside_in" [0x0, 0x0]'))).toBeUndefined();
  });

  it("a SYN, and the scanners' FIN, NULL and Xmas probes, are connection attempts", () => {
    for (const flags of ["SYN", "FIN", "", "FIN PSH URG"]) {
      const o = outcome(`<4>Nov 30 10:00:00 fw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.5 DST=10.0.0.5 PROTO=TCP SPT=44321 DPT=3389 WINDOW=1024 RES=0x00 ${flags} URGP=0`);
      expect(flowOf(o), flags || "NULL").toMatchObject({ dst_port: 3389 });
    }
  });
});
